package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.config.Config;
import io.chathub.testing.Api;
import io.chathub.testing.HubClient;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import io.chathub.testing.TestVisitor;
import io.chathub.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertNotFound;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Private notes: in the chat's history for staff, never for the customer (visitor API and hub events) nor for webhooks.
 * (That a messenger channel never gets one: {@code io.chathub.channel.NoteChannelTest}.)
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class NotesTest {
    static TestServer server;

    @Parameter
    String database;

    @BeforeParameterizedClassInvocation
    static void startServer(String database) {
        server = TestServer.start(database, b -> b.webhooks(Config.builder().build().webhooks().withAllowPrivate(true)
                .withRetries(Duration.ofMillis(50), Duration.ofSeconds(3))));
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
    }

    private static Api.Response note(String token, long chatId, Object body) {
        return server.api().post("/api/chat/" + chatId + "/note").bearer(token).json(body).send();
    }

    @Test
    void anOperatorsNoteIsInTheStaffsHistoryFlaggedAndOtherMessagesCarryNoFlag() {
        TestTenant t = server.newTenant();
        long org = t.organization("Sales");
        long anna = t.operator(org, "Anna");
        String op = t.operatorToken(anna);
        long chat = t.newChat(org);

        var r = note(op, chat, Map.of("text", "VIP customer, be nice"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode n = r.json();
        assertThat(n.get("isNote").asBoolean()).isTrue();
        assertThat(n.get("author").asInt()).isZero();
        assertThat(n.at("/operator/id").asLong()).isEqualTo(anna);
        assertThat(n.get("message").asText()).isEqualTo("VIP customer, be nice");
        JsonNode byCompany = note(t.token(), chat, Map.of("text", "from the console")).json();
        assertThat(byCompany.get("author").asInt()).isEqualTo(3);

        JsonNode history = t.messages(chat, "after=0");
        assertThat(history).extracting(m -> m.get("message").asText())
                .containsExactly(history.get(0).get("message").asText(), "VIP customer, be nice", "from the console");
        assertThat(history.get(0).has("isNote")).isFalse();
        assertThat(history.get(1).get("isNote").asBoolean()).isTrue();
        JsonNode c = t.chat(chat);
        assertThat(c.get("chatStatus").asInt()).isZero(); // a note opens nothing
        assertThat(c.get("operator").isNull()).isTrue(); // and takes nothing
        assertThat(c.at("/lastMessage/message").asText()).isEqualTo(history.get(0).get("message").asText());
    }

    @Test
    void aNoteMayBeAddedToAClosedChat() {
        TestTenant t = server.newTenant();
        long org = t.organization("Sales");
        long chat = t.newChat(org);
        t.setChatStatus(chat, 4);

        assertThat(note(t.token(), chat, Map.of("text", "wrap-up: refunded")).status()).isEqualTo(200);
        assertThat(t.chat(chat).get("chatStatus").asInt()).isEqualTo(4);
    }

    @Test
    void theVisitorNeverSeesANoteInItsHistoryNorInItsHubEvents() {
        TestTenant t = server.newTenant();
        long org = t.organization("Shop");
        long anna = t.operator(org, "Anna");
        String op = t.operatorToken(anna);
        TestVisitor visitor = TestVisitor.arrive(server, t.widgetGuid(org), null);
        long chat = visitor.send("Hello, I need help").get("chatId").asLong();

        try (HubClient customer = server.connect(visitor.token(), "customer"); HubClient operator = t.connect(op, "Anna")) {
            long noteId = note(op, chat, Map.of("text", "internal: suspected fraud")).json().get("id").asLong();
            t.send(op, chat, "How can I help?");

            HubClient.Event reply = customer.await("ReceiveMessage", e -> e.arg(0).get("message").asText().equals("How can I help?"));
            assertThat(reply).isNotNull();
            operator.await("ReceiveMessage", e -> e.arg(0).get("id").asLong() == noteId
                    && e.arg(0).get("isNote").asBoolean());
            operator.await("ReceiveMessage", e -> e.arg(0).get("message").asText().equals("How can I help?"));
            assertThat(customer.events()).noneMatch(e -> e.toString().contains("suspected fraud"));
        }
        JsonNode seen = visitor.messages("after=0");
        assertThat(seen).extracting(m -> m.get("message").asText()).containsExactly("Hello, I need help", "How can I help?");
        assertThat(visitor.messages("").toString()).doesNotContain("suspected fraud");
        assertThat(visitor.authed("GET", "session").send().text()).doesNotContain("suspected fraud");
        var transcript = visitor.authed("GET", "transcript").send();
        assertThat(transcript.text()).doesNotContain("suspected fraud");
    }

    @Test
    void aNoteGoesToNoWebhook() {
        TestTenant t = server.newTenant();
        long org = t.organization("Shop");
        long chat = t.newChat(org);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            var hook = t.api().post("/api/company/webhooks").bearer(t.token())
                    .json(Map.of("url", receiver.url(), "events", List.of("message.created"))).send();
            assertThat(hook.status()).as(hook.toString()).isEqualTo(201);

            note(t.token(), chat, Map.of("text", "internal: do not forward"));
            t.send(t.token(), chat, "A public reply");

            var got = receiver.awaitMatching(q -> q.text().contains("A public reply"), 1, Duration.ofSeconds(15));
            assertThat(got).hasSize(1);
            assertThat(receiver.requests()).noneMatch(q -> q.text().contains("do not forward"));
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    @Test
    void badNotesAre400AndOthersChatsAreOutOfReach() {
        TestTenant t = server.newTenant();
        TestTenant other = server.newTenant();
        long org = t.organization("Sales");
        long support = t.organization("Support");
        long chat = t.newChat(org);
        long theirChat = other.newChat(other.organization("Theirs"));
        String supportOp = t.operatorToken(t.operator(support, "Sam"));

        assertBadRequest(note(t.token(), chat, Map.of("text", "  ")), "text");
        assertBadRequest(note(t.token(), chat, Map.of()), "text");
        assertBadRequest(note(t.token(), chat, Map.of("text", "x".repeat(10_001))), "text");
        assertBadRequest(note(t.token(), chat, Map.of("text", 7)), "text");
        assertBadRequest(note(t.token(), chat, "[]"), "body");
        assertBadRequest(server.api().post("/api/chat/0x1/note").bearer(t.token()).json(Map.of("text", "x")).send(), "chatId");
        assertForbidden(note(t.token(), theirChat, Map.of("text", "mine?")));
        assertForbidden(note(supportOp, chat, Map.of("text", "not my organization")));
        assertNotFound(note(t.token(), 999_999_999L, Map.of("text", "nobody's")));
        assertThat(t.messages(chat, "after=0")).hasSize(1);
        assertThat(other.messages(theirChat, "after=0").toString()).doesNotContain("mine?");
    }
}
