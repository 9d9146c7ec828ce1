package io.chathub.hub;

import io.chathub.web.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON hub protocol codec, without a server. */
class HubProtocolTest {
    @Test
    void parsesAnInvocationWithAndWithoutId() {
        var blocking = (HubMessage.Invocation) HubProtocol.parse(
                "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[42,\"x\"],\"headers\":{\"a\":\"b\"}}");
        assertThat(blocking.invocationId()).isEqualTo("1");
        assertThat(blocking.target()).isEqualTo("Send");
        assertThat(blocking.arguments()).hasSize(2);
        assertThat(blocking.expectsCompletion()).isTrue();

        var nonBlocking = (HubMessage.Invocation) HubProtocol.parse("{\"type\":1,\"target\":\"Send\",\"arguments\":[]}");
        assertThat(nonBlocking.expectsCompletion()).isFalse();
        assertThat(((HubMessage.Invocation) HubProtocol.parse("{\"type\":1,\"target\":\"T\"}")).arguments()).isEmpty();
    }

    @Test
    void parsesEveryOtherMessageType() {
        assertThat(HubProtocol.parse("{\"type\":2,\"invocationId\":\"1\",\"item\":1}")).isInstanceOf(HubMessage.StreamItem.class);
        assertThat(HubProtocol.parse("{\"type\":3,\"invocationId\":\"1\",\"result\":1}")).isInstanceOf(HubMessage.Completion.class);
        assertThat(HubProtocol.parse("{\"type\":4,\"invocationId\":\"1\",\"target\":\"T\",\"arguments\":[]}"))
                .isInstanceOf(HubMessage.StreamInvocation.class);
        assertThat(HubProtocol.parse("{\"type\":5,\"invocationId\":\"1\"}")).isInstanceOf(HubMessage.CancelInvocation.class);
        assertThat(HubProtocol.parse("{\"type\":6}")).isInstanceOf(HubMessage.Ping.class);
        assertThat(((HubMessage.Close) HubProtocol.parse("{\"type\":7,\"error\":\"bye\"}")).error()).isEqualTo("bye");
        assertThat(HubProtocol.parse("{\"type\":8,\"sequenceId\":3}")).isInstanceOf(HubMessage.StatefulReconnect.class);
    }

    @Test
    void rejectsWhatTheProtocolForbids() {
        assertBad("", "Error reading JSON.");
        assertBad("{} {}", "Error reading JSON.");
        assertBad("[]", "Expected a JSON object.");
        assertBad("{}", "Missing required property 'type'.");
        assertBad("{\"type\":\"1\"}", "Expected 'type' to be of type Integer.");
        assertBad("{\"type\":99}", "Unknown message type: 99");
        assertBad("{\"type\":1,\"arguments\":[]}", "Missing required property 'target'.");
        assertBad("{\"type\":1,\"target\":\"T\",\"arguments\":{}}", "Expected 'arguments' to be of type Array.");
        assertBad("{\"type\":1,\"target\":\"T\",\"invocationId\":5}", "Expected 'invocationId' to be of type String.");
        assertBad("{\"type\":3,\"invocationId\":\"1\",\"result\":1,\"error\":\"e\"}", "The 'error' and 'result' properties are mutually exclusive.");
        assertBad("{\"type\":5}", "Missing required property 'invocationId'.");
    }

    private static void assertBad(String record, String message) {
        assertThatThrownBy(() -> HubProtocol.parse(record)).isInstanceOf(HubProtocolException.class).hasMessage(message);
    }

    @Test
    void parsesTheHandshake() {
        var request = HubProtocol.parseHandshake("{\"protocol\":\"json\",\"version\":1}");
        assertThat(request.protocol()).isEqualTo("json");
        assertThat(request.version()).isEqualTo(1);
        assertThatThrownBy(() -> HubProtocol.parseHandshake("{\"protocol\":\"json\"}")).hasMessage("Missing required property 'version'.");
    }

    @Test
    void encodesMessagesTerminatedByTheRecordSeparator() throws Exception {
        String invocation = HubProtocol.invocation("ReceiveMessage", new Object[] {Map.of("id", 7), null, "x"}).text();
        assertThat(invocation).endsWith("\u001e");
        assertThat(invocation).isEqualTo("{\"type\":1,\"target\":\"ReceiveMessage\",\"arguments\":[{\"id\":7},null,\"x\"]}\u001e");

        assertThat(HubProtocol.completionResult("1", 42).text()).isEqualTo("{\"type\":3,\"invocationId\":\"1\",\"result\":42}\u001e");
        assertThat(HubProtocol.completionResult("1", null).text()).isEqualTo("{\"type\":3,\"invocationId\":\"1\"}\u001e");
        assertThat(HubProtocol.completionError("1", "no").text()).isEqualTo("{\"type\":3,\"invocationId\":\"1\",\"error\":\"no\"}\u001e");
        assertThat(HubProtocol.close("bye", false).text()).isEqualTo("{\"type\":7,\"error\":\"bye\"}\u001e");
        assertThat(HubProtocol.close(null, true).text()).isEqualTo("{\"type\":7,\"allowReconnect\":true}\u001e");
        assertThat(HubProtocol.handshakeError("no").text()).isEqualTo("{\"error\":\"no\"}\u001e");
        assertThat(HubProtocol.PING_FRAME.text()).isEqualTo("{\"type\":6}\u001e");
        assertThat(HubProtocol.HANDSHAKE_OK.text()).isEqualTo("{}\u001e");
        assertThat(Json.read(invocation.substring(0, invocation.length() - 1)).get("arguments")).hasSize(3);
    }

    @Test
    void anArgumentThatCannotBeSerializedIsTheCallersError() {
        assertThatThrownBy(() -> HubProtocol.invocation("T", new Object[] {new Object()}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
