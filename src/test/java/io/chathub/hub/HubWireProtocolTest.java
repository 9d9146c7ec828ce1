package io.chathub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.auth.Principal;
import io.chathub.web.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.chathub.hub.RawHubClient.HANDSHAKE;
import static io.chathub.hub.RawHubClient.RS;
import static org.assertj.core.api.Assertions.assertThat;

/** The JSON hub protocol on the wire, written by hand: the handshake, framing, every message type and its errors. */
class HubWireProtocolTest {
    @TempDir
    static Path dataDir;
    static HubTestServer server;
    static final BlockingQueue<String> recorded = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        server = HubTestServer.start(dataDir, HubTestServer::fastClocks);
        server.hub.method("Echo", 1, (c, args) -> args.get(0))
                .method("Add", 2, (c, args) -> args.get(0).asInt() + args.get(1).asInt())
                .method("Void", 0, (c, args) -> null)
                .method("Fail", 1, (c, args) -> { throw new HubException(args.get(0).asText()); })
                .method("Crash", 0, (c, args) -> { throw new IllegalStateException("secret internals"); })
                .method("Record", 1, (c, args) -> { recorded.add(args.get(0).asText()); return null; })
                .method("SlowEcho", 2, (c, args) -> {
                    Thread.sleep(args.get(1).asLong());
                    return args.get(0);
                });
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String url() {
        return server.ws("/chathub?access_token=" + HubTestServer.DEV_TOKEN);
    }

    private static RawHubClient open() throws Exception {
        return RawHubClient.open(url());
    }

    private static String invocation(String id, String target, String args) {
        return "{\"type\":1,\"invocationId\":\"" + id + "\",\"target\":\"" + target + "\",\"arguments\":" + args + "}";
    }

    // ---- handshake ----

    @Test
    void handshakeIsAnsweredWithAnEmptyObject() throws Exception {
        try (var client = RawHubClient.connect(url())) {
            client.send(HANDSHAKE);
            assertThat(client.next().toString()).isEqualTo("{}");
        }
    }

    @Test
    void unsupportedProtocolGetsAHandshakeErrorThenClose() throws Exception {
        try (var client = RawHubClient.connect(url())) {
            client.send("{\"protocol\":\"messagepack\",\"version\":1}" + RS);
            assertThat(client.next().get("error").asText()).isEqualTo("The protocol 'messagepack' is not supported.");
            client.awaitClose();
        }
    }

    @Test
    void aMessagePackHandshakeSentAsBinaryIsAnsweredTheSameWay() throws Exception {
        try (var client = RawHubClient.connect(url())) {
            client.sendBinary(("{\"protocol\":\"messagepack\",\"version\":1}" + RS).getBytes(StandardCharsets.UTF_8));
            assertThat(client.next().get("error").asText()).isEqualTo("The protocol 'messagepack' is not supported.");
            client.awaitClose();
        }
    }

    @Test
    void unsupportedVersionGetsAHandshakeError() throws Exception {
        try (var client = RawHubClient.connect(url())) {
            client.send("{\"protocol\":\"json\",\"version\":2}" + RS);
            assertThat(client.next().get("error").asText()).isEqualTo("The server does not support version 2 of the 'json' protocol.");
            client.awaitClose();
        }
    }

    @Test
    void badHandshakeJsonGetsAHandshakeErrorThenClose() throws Exception {
        for (String bad : new String[] {"{not json" + RS, "{\"version\":1}" + RS, "[1,2]" + RS, "{\"type\":6}" + RS}) {
            try (var client = RawHubClient.connect(url())) {
                client.send(bad);
                assertThat(client.next().get("error").asText())
                        .startsWith("An unexpected error occurred during connection handshake.");
                client.awaitClose();
            }
        }
    }

    @Test
    void noHandshakeInTimeClosesTheConnection() throws Exception {
        try (var client = RawHubClient.connect(url())) {
            long start = System.nanoTime();
            assertThat(client.next().get("error").asText()).isEqualTo("Handshake was canceled.");
            client.awaitClose();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(1_500L, 6_000L);
        }
    }

    @Test
    void aHandshakeSplitAcrossMessagesAndFollowedByAnInvocationInTheSameMessage() throws Exception {
        try (var client = RawHubClient.connect(url())) {
            client.send("{\"protocol\":\"js");
            client.send("on\",\"version\":1}" + RS + invocation("1", "Echo", "[\"after handshake\"]") + RS);
            assertThat(client.next().toString()).isEqualTo("{}");
            JsonNode completion = client.nextNonPing();
            assertThat(completion.get("result").asText()).isEqualTo("after handshake");
        }
    }

    // ---- invocations ----

    @Test
    void invocationCompletesWithItsResult() throws Exception {
        try (var client = open()) {
            client.sendRecord(invocation("7", "Add", "[40,2]"));
            JsonNode completion = client.nextNonPing();
            assertThat(completion.get("type").asInt()).isEqualTo(3);
            assertThat(completion.get("invocationId").asText()).isEqualTo("7");
            assertThat(completion.get("result").asInt()).isEqualTo(42);
            assertThat(completion.has("error")).isFalse();
        }
    }

    @Test
    void aVoidMethodCompletesWithoutResult() throws Exception {
        try (var client = open()) {
            client.sendRecord(invocation("v", "Void", "[]"));
            JsonNode completion = client.nextNonPing();
            assertThat(completion.has("result")).isFalse();
            assertThat(completion.has("error")).isFalse();
        }
    }

    @Test
    void targetsMatchCaseInsensitivelyAsInAspNetCore() throws Exception {
        try (var client = open()) {
            client.sendRecord(invocation("c", "echo", "[\"x\"]"));
            assertThat(client.nextNonPing().get("result").asText()).isEqualTo("x");
        }
    }

    @Test
    void unknownTargetCompletesWithError() throws Exception {
        try (var client = open()) {
            client.sendRecord(invocation("u", "NoSuchMethod", "[]"));
            JsonNode completion = client.nextNonPing();
            assertThat(completion.get("invocationId").asText()).isEqualTo("u");
            assertThat(completion.get("error").asText()).isEqualTo("Unknown hub method 'NoSuchMethod'");
        }
    }

    @Test
    void wrongArgumentCountCompletesWithError() throws Exception {
        try (var client = open()) {
            client.sendRecord(invocation("a", "Add", "[1]"));
            assertThat(client.nextNonPing().get("error").asText())
                    .contains("Invocation provides 1 argument(s) but target expects 2.");
        }
    }

    @Test
    void hubExceptionMessageIsTheCompletionError() throws Exception {
        try (var client = open()) {
            client.sendRecord(invocation("f", "Fail", "[\"Chat is closed\"]"));
            assertThat(client.nextNonPing().get("error").asText()).isEqualTo("Chat is closed");
        }
    }

    @Test
    void anyOtherExceptionIsAGenericErrorWithoutInternals() throws Exception {
        try (var client = open()) {
            client.sendRecord(invocation("x", "Crash", "[]"));
            JsonNode completion = client.nextNonPing();
            assertThat(completion.get("error").asText()).isEqualTo("An unexpected error occurred invoking 'Crash' on the server.");
            assertThat(completion.toString()).doesNotContain("secret").doesNotContain("Exception");
            // and the connection goes on
            client.sendRecord(invocation("y", "Echo", "[1]"));
            assertThat(client.nextNonPing().get("result").asInt()).isEqualTo(1);
        }
    }

    @Test
    void invocationWithoutIdRunsButGetsNoCompletion() throws Exception {
        try (var client = open()) {
            client.sendRecord("{\"type\":1,\"target\":\"Record\",\"arguments\":[\"fire-and-forget\"]}");
            client.sendRecord("{\"type\":1,\"target\":\"NoSuchMethod\",\"arguments\":[]}");
            client.sendRecord("{\"type\":1,\"target\":\"Fail\",\"arguments\":[\"nobody hears this\"]}");
            client.sendRecord(invocation("after", "Echo", "[\"marker\"]"));

            assertThat(recorded.poll(5, TimeUnit.SECONDS)).isEqualTo("fire-and-forget");
            JsonNode next = client.nextNonPing();
            assertThat(next.get("invocationId").asText()).isEqualTo("after");
        }
    }

    @Test
    void severalRecordsInOneMessageAreAllProcessedInOrder() throws Exception {
        try (var client = open()) {
            client.send(invocation("1", "Echo", "[\"a\"]") + RS + "{\"type\":6}" + RS
                    + invocation("2", "Echo", "[\"b\"]") + RS + invocation("3", "Echo", "[\"c\"]") + RS);
            assertThat(client.nextNonPing().get("invocationId").asText()).isEqualTo("1");
            assertThat(client.nextNonPing().get("invocationId").asText()).isEqualTo("2");
            assertThat(client.nextNonPing().get("invocationId").asText()).isEqualTo("3");
        }
    }

    @Test
    void aRecordSplitAcrossMessagesIsReassembled() throws Exception {
        try (var client = open()) {
            String record = invocation("split", "Echo", "[\"héllo wörld\"]") + RS;
            client.send(record.substring(0, 10));
            client.send(record.substring(10, 30));
            client.send(record.substring(30));
            JsonNode completion = client.nextNonPing();
            assertThat(completion.get("invocationId").asText()).isEqualTo("split");
            assertThat(completion.get("result").asText()).isEqualTo("héllo wörld");
        }
    }

    @Test
    void invocationsOfOneConnectionRunOneAtATimeInOrder() throws Exception {
        try (var client = open()) {
            client.sendRecord(invocation("slow", "SlowEcho", "[\"first\",400]"));
            client.sendRecord(invocation("fast", "SlowEcho", "[\"second\",0]"));
            assertThat(client.nextNonPing().get("invocationId").asText()).isEqualTo("slow");
            assertThat(client.nextNonPing().get("invocationId").asText()).isEqualTo("fast");
        }
    }

    @Test
    void streamInvocationIsRefusedAndCancelInvocationIgnored() throws Exception {
        try (var client = open()) {
            client.sendRecord("{\"type\":4,\"invocationId\":\"s\",\"target\":\"Echo\",\"arguments\":[1]}");
            JsonNode completion = client.nextNonPing();
            assertThat(completion.get("invocationId").asText()).isEqualTo("s");
            assertThat(completion.get("error").asText()).isEqualTo("Streaming is not supported");

            client.sendRecord("{\"type\":5,\"invocationId\":\"s\"}");
            client.sendRecord(invocation("after", "Echo", "[1]"));
            assertThat(client.nextNonPing().get("invocationId").asText()).isEqualTo("after");
        }
    }

    @Test
    void completionsAndStreamItemsFromTheClientAreAccepted() throws Exception {
        try (var client = open()) {
            client.sendRecord("{\"type\":3,\"invocationId\":\"1\",\"result\":42}");
            client.sendRecord("{\"type\":3,\"invocationId\":\"2\",\"error\":\"no\"}");
            client.sendRecord("{\"type\":2,\"invocationId\":\"3\",\"item\":1}");
            client.sendRecord(invocation("after", "Echo", "[1]"));
            assertThat(client.nextNonPing().get("invocationId").asText()).isEqualTo("after");
        }
    }

    // ---- protocol errors close the connection with a Close message ----

    @Test
    void invalidJsonClosesWithError() throws Exception {
        assertClosedWithError("{\"type\":1, oops" + RS, "Error reading JSON.");
    }

    @Test
    void aMessageWithoutTypeClosesWithError() throws Exception {
        assertClosedWithError("{\"target\":\"Echo\"}" + RS, "Missing required property 'type'.");
    }

    @Test
    void anUnknownMessageTypeClosesWithError() throws Exception {
        assertClosedWithError("{\"type\":42}" + RS, "Unknown message type: 42");
    }

    @Test
    void aCompletionWithResultAndErrorClosesWithError() throws Exception {
        assertClosedWithError("{\"type\":3,\"invocationId\":\"1\",\"result\":1,\"error\":\"x\"}" + RS, "mutually exclusive");
    }

    @Test
    void anOversizedMessageClosesWithError() throws Exception {
        String big = invocation("big", "Echo", "[\"" + "x".repeat(70_000) + "\"]") + RS;
        assertClosedWithError(big, "The maximum message size of 65536B was exceeded.");
    }

    @Test
    void anOversizedRecordBuiltFromManyMessagesClosesWithError() throws Exception {
        try (var client = open()) {
            client.send("{\"type\":1,\"target\":\"Echo\",\"arguments\":[\"");
            for (int i = 0; i < 5; i++) client.send("y".repeat(15_000));
            JsonNode close = client.nextNonPing();
            assertThat(close.get("type").asInt()).isEqualTo(7);
            assertThat(close.get("error").asText()).contains("maximum message size");
            client.awaitClose();
        }
    }

    @Test
    void binaryMessagesCarryUtf8JsonAsTheOfficialJavaClientSendsThem() throws Exception {
        try (var client = open()) {
            byte[] record = (invocation("bin", "Echo", "[\"żółw €\"]") + RS).getBytes(StandardCharsets.UTF_8);
            int cut = indexOfByte(record, (byte) 0xE2) + 1; // inside the 3-byte euro sign
            client.sendBinary(java.util.Arrays.copyOfRange(record, 0, cut));
            client.sendBinary(java.util.Arrays.copyOfRange(record, cut, record.length));
            JsonNode completion = client.nextNonPing();
            assertThat(completion.get("invocationId").asText()).isEqualTo("bin");
            assertThat(completion.get("result").asText()).isEqualTo("żółw €");
        }
    }

    @Test
    void aBinaryMessageThatIsNotUtf8ClosesWithError() throws Exception {
        try (var client = open()) {
            client.sendBinary(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x01});
            JsonNode close = client.nextNonPing();
            assertThat(close.get("type").asInt()).isEqualTo(7);
            assertThat(close.get("error").asText()).contains("not valid UTF-8");
            client.awaitClose();
        }
    }

    private static int indexOfByte(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == b) return i;
        throw new IllegalArgumentException("byte not found");
    }

    private static void assertClosedWithError(String message, String expected) throws Exception {
        try (var client = open()) {
            client.send(message);
            JsonNode close = client.nextNonPing();
            assertThat(close.get("type").asInt()).isEqualTo(7);
            assertThat(close.get("error").asText()).startsWith("Connection closed with an error.").contains(expected);
            assertThat(close.has("allowReconnect")).isFalse();
            client.awaitClose();
        }
    }

    // ---- keep-alive, timeouts, closing ----

    @Test
    void theServerPingsAnIdleConnection() throws Exception {
        try (var client = open()) {
            assertThat(client.next().toString()).isEqualTo("{\"type\":6}");
        }
    }

    @Test
    void aClientThatSendsNothingIsClosedAfterTheClientTimeout() throws Exception {
        try (var client = open()) {
            long start = System.nanoTime();
            JsonNode close = client.nextNonPing();
            assertThat(close.get("type").asInt()).isEqualTo(7);
            assertThat(close.get("error").asText()).contains("Client timeout (3000ms) elapsed");
            client.awaitClose();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(2_500L, 8_000L);
        }
    }

    @Test
    void clientPingsKeepTheConnectionOpen() throws Exception {
        try (var client = open()) {
            for (int i = 0; i < 10; i++) {
                Thread.sleep(500);
                client.sendRecord("{\"type\":6}");
            }
            assertThat(client.isClosed()).isFalse();
            client.sendRecord(invocation("alive", "Echo", "[1]"));
            assertThat(client.nextNonPing().get("invocationId").asText()).isEqualTo("alive");
        }
    }

    @Test
    void aCloseFromTheClientClosesTheSocket() throws Exception {
        try (var client = open()) {
            client.sendRecord("{\"type\":7}");
            assertThat(client.awaitClose()).isEqualTo(1000);
        }
    }

    @Test
    void theSendersOwnMessageEventIsOnTheWireBeforeTheCompletionOfItsSend() throws Exception {
        String companyToken = server.companyToken();
        long sales = server.organizationId(companyToken, "Sales");
        var opened = server.post("/api/chat/incoming", companyToken, "{\"organizationId\":" + sales
                + ",\"client\":{\"externalId\":\"wire-order\"},\"textMessage\":\"Hello\"}");
        long chatId = Json.read(opened.body()).get("chatId").asLong();

        try (var client = open()) { // the development token: an operator of Sales
            for (int i = 1; i <= 20; i++) {
                client.sendRecord(invocation("send" + i, "SendMessage", "[" + chatId + ",\"m" + i + "\"]"));
                boolean eventFirst = false;
                while (true) {
                    JsonNode m = client.nextNonPing();
                    if (m.path("type").asInt() == 1 && m.path("target").asText().equals("ReceiveMessage")
                            && m.path("arguments").path(0).path("message").asText().equals("m" + i)) {
                        eventFirst = true;
                    }
                    if (m.path("type").asInt() == 3 && m.path("invocationId").asText().equals("send" + i)) {
                        assertThat(m.path("result").path("message").asText()).isEqualTo("m" + i);
                        break;
                    }
                }
                // The writer publishes a commit's events before it answers its senders.
                assertThat(eventFirst).as("ReceiveMessage of send #" + i + " before its Completion").isTrue();
            }
        }
    }

    @Test
    void hubCloseSendsCloseWithTheErrorToMatchingConnectionsOnly() throws Exception {
        String companyToken = server.companyToken();
        try (var operator = open(); var company = RawHubClient.open(server.ws("/chathub?access_token=" + companyToken))) {
            int closed = server.hub.close(p -> p instanceof Principal.Operator, "Invalid token");

            assertThat(closed).isGreaterThanOrEqualTo(1);
            JsonNode close = operator.nextNonPing();
            assertThat(close.get("type").asInt()).isEqualTo(7);
            assertThat(close.get("error").asText()).isEqualTo("Invalid token");
            assertThat(close.has("allowReconnect")).isFalse();
            operator.awaitClose();

            company.sendRecord(invocation("still", "Echo", "[1]"));
            assertThat(company.nextNonPing().get("invocationId").asText()).isEqualTo("still");
        }
    }

    @Test
    void aTokenThatExpiresWhileConnectedClosesWithTokenExpired() throws Exception {
        String companyToken = server.companyToken();
        long org = server.organizationId(companyToken, "Support");
        long operator = server.operatorId(companyToken, org, 0);
        String token = server.operatorToken(companyToken, operator, Instant.now().plusSeconds(2));

        try (var client = RawHubClient.open(server.ws("/chathub?access_token=" + token))) {
            JsonNode close;
            do {
                client.sendRecord("{\"type\":6}"); // stay clear of the client timeout
                close = client.nextNonPing();
            } while (close.get("type").asInt() != 7);
            assertThat(close.get("error").asText()).isEqualTo("token expired");
            client.awaitClose();
        }
    }
}
