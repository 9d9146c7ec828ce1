package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertInvalidToken;
import static io.chathub.testing.Problems.assertNotFound;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/chat/{chatId}/message}, {@code GET /api/chat/{chatId}/messages} and
 * {@code POST /api/chat/{chatId}/read}: sending (authors, idempotency, validation), history paging
 * and read markers.
 */
class ChatMessagesTest extends ServerTest {
    private record Setup(TestTenant tenant, long sales, long anna, String annaToken, long chatId) {}

    private static Setup setup() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long anna = tenant.operator(sales, "Anna");
        return new Setup(tenant, sales, anna, tenant.operatorToken(anna), tenant.newChat(sales));
    }

    private static Api.Response send(String token, Object chatId, Object body) {
        return server.api().post("/api/chat/" + chatId + "/message").bearer(token).json(body).send();
    }

    private static Api.Response history(String token, Object chatId, String query) {
        return server.api().get("/api/chat/" + chatId + "/messages" + (query.isEmpty() ? "" : "?" + query)).bearer(token).send();
    }

    private static Api.Response read(String token, Object chatId, Object body) {
        return server.api().post("/api/chat/" + chatId + "/read").bearer(token).json(body).send();
    }

    private static JsonNode ok(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static List<Long> seqs(JsonNode messages) {
        List<Long> seqs = new ArrayList<>();
        messages.forEach(m -> seqs.add(m.get("seq").longValue()));
        return seqs;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    // ---- sending

    @Test
    void aCompanySendsAsOperatorByDefaultOrAsBotSystemOrClient() {
        Setup s = setup();
        TestTenant t = s.tenant();

        JsonNode byDefault = ok(send(t.token(), s.chatId(), Map.of("textMessage", "Default author")));
        JsonNode bot = ok(send(t.token(), s.chatId(), Map.of("textMessage", "Bot", "author", 2)));
        JsonNode system = ok(send(t.token(), s.chatId(), Map.of("textMessage", "System", "author", 3)));
        JsonNode client = ok(send(t.token(), s.chatId(), Map.of("textMessage", "Client", "author", 1)));

        assertThat(List.of(byDefault, bot, system, client)).extracting(m -> m.get("author").intValue()).containsExactly(0, 2, 3, 1);
        assertThat(List.of(byDefault, bot, system, client)).extracting(m -> m.get("seq").longValue()).containsExactly(2L, 3L, 4L, 5L);
        assertThat(byDefault.get("id").longValue()).isPositive();
        assertThat(byDefault.get("chatId").longValue()).isEqualTo(s.chatId());
        assertThat(byDefault.get("message").textValue()).isEqualTo("Default author");
        assertThat(byDefault.get("media").isNull()).isTrue();
        assertThat(byDefault.get("status").intValue()).isEqualTo(1);
        assertThat(byDefault.get("operator").isNull()).isTrue();
        assertThat(Instant.parse(byDefault.get("createdAt").textValue())).isBeforeOrEqualTo(Instant.now());
        assertThat(ok(history(t.token(), s.chatId(), "after=1"))).containsExactly(byDefault, bot, system, client);
        assertThat(t.chat(s.chatId()).get("countUnread").intValue()).isEqualTo(2); // the first message and "Client"
    }

    @Test
    void anOperatorSendsAsOperatorOnlyAndItsReplyTakesAndOpensANewChat() {
        Setup s = setup();

        assertBadRequest(send(s.annaToken(), s.chatId(), Map.of("textMessage", "As client", "author", 1)), "author");
        assertBadRequest(send(s.annaToken(), s.chatId(), Map.of("textMessage", "As bot", "author", 2)), "author");
        assertThat(s.tenant().chat(s.chatId()).get("operator").isNull()).isTrue();

        JsonNode reply = ok(send(s.annaToken(), s.chatId(), Map.of("textMessage", "Hi, I am Anna", "author", 0)));

        assertThat(reply.get("author").intValue()).isZero();
        assertThat(reply.get("operator").get("id").longValue()).isEqualTo(s.anna());
        assertThat(reply.get("operator").get("name").textValue()).isEqualTo("Anna");
        JsonNode chat = s.tenant().chat(s.chatId());
        assertThat(chat.get("chatStatus").intValue()).isEqualTo(1);
        assertThat(chat.get("operator").get("id").longValue()).isEqualTo(s.anna());
        assertThat(chat.get("operator").get("name").textValue()).isEqualTo("Anna");
        assertThat(chat.get("lastMessage")).isEqualTo(reply);
    }

    @Test
    void anotherOperatorsReplyDoesNotTakeAnAssignedChat() {
        Setup s = setup();
        long bram = s.tenant().operator(s.sales(), "Bram");
        ok(send(s.annaToken(), s.chatId(), Map.of("textMessage", "Mine")));

        JsonNode reply = ok(send(s.tenant().operatorToken(bram), s.chatId(), Map.of("textMessage", "Helping out")));

        assertThat(reply.get("operator").get("id").longValue()).isEqualTo(bram);
        assertThat(s.tenant().chat(s.chatId()).get("operator").get("id").longValue()).isEqualTo(s.anna());
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameMessageOnce() {
        Setup s = setup();
        TestTenant t = s.tenant();

        var first = send(t.token(), s.chatId(), Map.of("textMessage", "Once"));
        assertThat(first.status()).isEqualTo(200);
        JsonNode byHeader = ok(server.api().post("/api/chat/" + s.chatId() + "/message").bearer(t.token())
                .header("Idempotency-Key", "key-1").json(Map.of("textMessage", "Keyed")).send());
        JsonNode again = ok(server.api().post("/api/chat/" + s.chatId() + "/message").bearer(t.token())
                .header("Idempotency-Key", "key-1").json(Map.of("textMessage", "Keyed, retried")).send());
        JsonNode byBody = ok(send(t.token(), s.chatId(), Map.of("textMessage", "Body key", "clientMessageId", "cm-1")));
        JsonNode byBodyAgain = ok(send(t.token(), s.chatId(), Map.of("textMessage", "Body key", "clientMessageId", "cm-1")));
        JsonNode operatorKeyed = ok(server.api().post("/api/chat/" + s.chatId() + "/message").bearer(s.annaToken())
                .header("Idempotency-Key", "key-2").json(Map.of("textMessage", "Operator")).send());
        JsonNode operatorAgain = ok(server.api().post("/api/chat/" + s.chatId() + "/message").bearer(s.annaToken())
                .header("Idempotency-Key", "key-2").json(Map.of("textMessage", "Operator")).send());

        assertThat(again).isEqualTo(byHeader);
        assertThat(again.get("message").textValue()).isEqualTo("Keyed");
        assertThat(byBodyAgain).isEqualTo(byBody);
        assertThat(operatorAgain).isEqualTo(operatorKeyed);
        assertThat(seqs(t.messages(s.chatId(), ""))).containsExactly(1L, 2L, 3L, 4L, 5L);

        long otherChat = t.newChat(s.sales());
        JsonNode sameKeyElsewhere = ok(server.api().post("/api/chat/" + otherChat + "/message").bearer(t.token())
                .header("Idempotency-Key", "key-1").json(Map.of("textMessage", "Other chat")).send());
        assertThat(sameKeyElsewhere.get("chatId").longValue()).isEqualTo(otherChat);
        assertThat(sameKeyElsewhere.get("id")).isNotEqualTo(byHeader.get("id"));
    }

    @Test
    void badMessagesAreRefusedAndChangeNothing() {
        Setup s = setup();
        TestTenant t = s.tenant();
        JsonNode before = t.chat(s.chatId());

        assertBadRequest(send(t.token(), s.chatId(), "{\"textMessage\": "), "body");
        assertBadRequest(send(t.token(), s.chatId(), "[]"), "body");
        assertBadRequest(send(t.token(), s.chatId(), ""), "body");
        assertBadRequest(send(t.token(), s.chatId(), Map.of()), "textMessage");
        assertBadRequest(send(t.token(), s.chatId(), Map.of("textMessage", "   ")), "textMessage");
        assertBadRequest(send(t.token(), s.chatId(), Map.of("textMessage", 42)), "textMessage");
        assertBadRequest(send(t.token(), s.chatId(), Map.of("textMessage", "x".repeat(10_001))), "textMessage");
        assertBadRequest(send(t.token(), s.chatId(), Map.of("textMessage", "nul\u0000")), "textMessage");
        assertBadRequest(send(t.token(), s.chatId(), Map.of("textMessage", "Hi", "author", 4)), "author");
        assertBadRequest(send(t.token(), s.chatId(), Map.of("textMessage", "Hi", "author", -1)), "author");
        assertBadRequest(send(t.token(), s.chatId(), Map.of("textMessage", "Hi", "author", "bot")), "author");
        assertBadRequest(send(t.token(), s.chatId(), Map.of("textMessage", "Hi", "clientMessageId", "k".repeat(101))), "clientMessageId");
        assertBadRequest(send(t.token(), s.chatId(), Map.of("textMessage", "Hi", "media", "not an object")), "media");
        assertBadRequest(send(t.token(), "abc", Map.of("textMessage", "Hi")), "chatId");
        assertBadRequest(send(t.token(), 0, Map.of("textMessage", "Hi")), "chatId");

        assertThat(t.chat(s.chatId())).isEqualTo(before);
        assertThat(t.messages(s.chatId(), "")).hasSize(1);
    }

    @Test
    void exactlyTenThousandCharactersAreAllowed() {
        Setup s = setup();
        JsonNode m = ok(send(s.tenant().token(), s.chatId(), Map.of("textMessage", "é".repeat(10_000))));
        assertThat(m.get("message").textValue()).hasSize(10_000);
    }

    @Test
    void sendingNeedsAVisibleOpenChat() {
        Setup s = setup();
        TestTenant t = s.tenant();
        TestTenant globex = server.newTenant();
        long support = t.organization("Support");
        long supportChat = t.newChat(support);
        long closed = t.newChat(s.sales());
        t.setChatStatus(closed, 4);

        assertNotFound(send(t.token(), 999_999_999, Map.of("textMessage", "Hi")));
        assertForbidden(send(globex.token(), s.chatId(), Map.of("textMessage", "Hi")));
        assertForbidden(send(s.annaToken(), supportChat, Map.of("textMessage", "Hi")));
        assertThat(assertProblem(send(t.token(), closed, Map.of("textMessage", "Hi")), 409).get("detail").asText())
                .isEqualTo("Chat " + closed + " is closed");
        assertInvalidToken(server.api().post("/api/chat/" + s.chatId() + "/message").json(Map.of("textMessage", "Hi")).send());

        assertThat(t.messages(s.chatId(), "")).hasSize(1);
        assertThat(t.messages(supportChat, "")).hasSize(1);
        assertThat(t.messages(closed, "")).hasSize(1);
    }

    // ---- history

    @Test
    void historyIsInSeqOrderAndPagesForwardWithAfterAndBackWithBefore() {
        Setup s = setup();
        TestTenant t = s.tenant();
        for (int i = 2; i <= 250; i++) t.send(t.token(), s.chatId(), "m" + i);

        // Without a cursor: the newest messages, in seq order; after=0 pages the whole history forward.
        assertThat(seqs(ok(history(t.token(), s.chatId(), "")))).isEqualTo(range(151, 250));
        assertThat(seqs(ok(history(t.token(), s.chatId(), "limit=3")))).isEqualTo(range(248, 250));
        assertThat(seqs(ok(history(t.token(), s.chatId(), "after=0")))).isEqualTo(range(1, 100));
        assertThat(seqs(ok(history(t.token(), s.chatId(), "after=100")))).isEqualTo(range(101, 200));
        assertThat(seqs(ok(history(t.token(), s.chatId(), "after=240&limit=5")))).isEqualTo(range(241, 245));
        assertThat(seqs(ok(history(t.token(), s.chatId(), "after=245&limit=1000")))).isEqualTo(range(246, 250));
        assertThat(ok(history(t.token(), s.chatId(), "after=250"))).isEmpty();
        assertThat(seqs(ok(history(t.token(), s.chatId(), "limit=1000")))).isEqualTo(range(1, 250));
        assertThat(seqs(ok(history(t.token(), s.chatId(), "before=11&limit=5")))).isEqualTo(range(6, 10));
        assertThat(seqs(ok(history(t.token(), s.chatId(), "before=3")))).isEqualTo(range(1, 2));
        assertThat(seqs(ok(history(t.token(), s.chatId(), "before=251")))).isEqualTo(range(151, 250));
        assertThat(ok(history(t.token(), s.chatId(), "before=1"))).isEmpty();
        assertThat(ok(history(t.token(), s.chatId(), "after=0&limit=1")).get(0).get("message").textValue()).isEqualTo("Hello");
        assertThat(seqs(ok(history(s.annaToken(), s.chatId(), "after=248")))).isEqualTo(range(249, 250));
    }

    @Test
    void theHostedChatsPagePathGivesTheSameHistoryUnderTheSameRules() {
        Setup s = setup();
        TestTenant t = s.tenant();
        for (int i = 2; i <= 5; i++) t.send(t.token(), s.chatId(), "m" + i);

        for (String query : List.of("", "?after=2", "?before=4&limit=2", "?limit=1")) {
            var viaProductPage = server.api().get("/api/chat/" + s.chatId() + "/messages" + query).bearer(t.token()).send();
            var viaChatsPage = server.api().get("/api/chat/chats/" + s.chatId() + "/messages" + query).bearer(t.token()).send();
            assertThat(viaChatsPage.status()).as(viaChatsPage.toString()).isEqualTo(200);
            assertThat(viaChatsPage.json()).as(query).isEqualTo(viaProductPage.json());
        }
        assertBadRequest(server.api().get("/api/chat/chats/" + s.chatId() + "/messages?limit=0").bearer(t.token()).send(), "limit");
        assertBadRequest(server.api().get("/api/chat/chats/+" + s.chatId() + "/messages").bearer(t.token()).send(), "chatId");
        assertInvalidToken(server.api().get("/api/chat/chats/" + s.chatId() + "/messages").send());
        TestTenant globex = server.newTenant();
        assertForbidden(server.api().get("/api/chat/chats/" + s.chatId() + "/messages").bearer(globex.token()).send());
    }

    @Test
    void badHistoryParametersAreRefused() {
        Setup s = setup();
        String token = s.tenant().token();
        assertBadRequest(history(token, s.chatId(), "limit=0"), "limit");
        assertBadRequest(history(token, s.chatId(), "limit=1001"), "limit");
        assertBadRequest(history(token, s.chatId(), "limit=ten"), "limit");
        assertBadRequest(history(token, s.chatId(), "after=x"), "after");
        assertBadRequest(history(token, s.chatId(), "before=x"), "before");
        assertBadRequest(history(token, s.chatId(), "after=1&before=5"), "before");
        assertBadRequest(history(token, "x", ""), "chatId");
        for (String loose : List.of("after=%2B1", "after=01", "after=%201", "before=1.0", "limit=+5", "limit=05")) {
            assertBadRequest(history(token, s.chatId(), loose), loose.substring(0, loose.indexOf('=')));
        }
        assertBadRequest(history(token, "+" + s.chatId(), ""), "chatId");
        assertBadRequest(history(token, "0" + s.chatId(), ""), "chatId");
    }

    @Test
    void historyIsOnlyForThoseWhoSeeTheChat() {
        Setup s = setup();
        TestTenant globex = server.newTenant();
        long supportChat = s.tenant().newChat(s.tenant().organization("Support"));

        assertNotFound(history(s.tenant().token(), 999_999_999, ""));
        assertForbidden(history(globex.token(), s.chatId(), ""));
        assertForbidden(history(s.annaToken(), supportChat, ""));
        assertInvalidToken(server.api().get("/api/chat/" + s.chatId() + "/messages").send());
    }

    // ---- read markers

    @Test
    void readingMarksTheClientsMessagesUpToSeqAndLowersTheUnreadCount() {
        Setup s = setup();
        TestTenant t = s.tenant();
        String externalId = TestTenant.newClient();
        long chat = t.incoming(s.sales(), externalId, "c1").get("chatId").longValue();
        t.incoming(s.sales(), externalId, "c2");
        t.send(t.token(), chat, "o3");
        t.incoming(s.sales(), externalId, "c4");
        t.incoming(s.sales(), externalId, "c5");
        assertThat(t.chat(chat).get("countUnread").intValue()).isEqualTo(4);

        assertThat(read(s.annaToken(), chat, Map.of("seq", 4)).status()).isEqualTo(200);

        JsonNode after = t.chat(chat);
        assertThat(after.get("countUnread").intValue()).isEqualTo(1);
        assertThat(after.get("operatorReadSeq").longValue()).isEqualTo(4);
        assertThat(after.get("clientReadSeq").longValue()).isZero();
        assertThat(t.messages(chat, "")).extracting(m -> m.get("status").intValue()).containsExactly(3, 3, 1, 3, 1);

        assertThat(read(t.token(), chat, Map.of("seq", 2)).status()).as("a marker never moves back").isEqualTo(200);
        assertThat(t.chat(chat).get("operatorReadSeq").longValue()).isEqualTo(4);

        assertThat(read(t.token(), chat, Map.of("seq", 1_000)).status()).isEqualTo(200);
        JsonNode all = t.chat(chat);
        assertThat(all.get("operatorReadSeq").longValue()).as("clamped to the last seq").isEqualTo(5);
        assertThat(all.get("countUnread").intValue()).isZero();
        assertThat(t.messages(chat, "")).extracting(m -> m.get("status").intValue()).containsExactly(3, 3, 1, 3, 3);

        t.incoming(s.sales(), externalId, "c6");
        assertThat(t.chat(chat).get("countUnread").intValue()).isEqualTo(1);
    }

    @Test
    void badReadsAreRefusedAndChangeNothing() {
        Setup s = setup();
        TestTenant t = s.tenant();
        TestTenant globex = server.newTenant();
        JsonNode before = t.chat(s.chatId());

        assertBadRequest(read(t.token(), s.chatId(), Map.of()), "seq");
        assertBadRequest(read(t.token(), s.chatId(), Map.of("seq", -1)), "seq");
        assertBadRequest(read(t.token(), s.chatId(), Map.of("seq", "1")), "seq");
        assertBadRequest(read(t.token(), s.chatId(), Map.of("seq", 1.5)), "seq");
        assertBadRequest(read(t.token(), s.chatId(), "{"), "body");
        assertNotFound(read(t.token(), 999_999_999, Map.of("seq", 1)));
        assertForbidden(read(globex.token(), s.chatId(), Map.of("seq", 1)));
        Map<String, Object> body = new HashMap<>();
        body.put("seq", null);
        assertBadRequest(read(t.token(), s.chatId(), body), "seq");

        assertThat(t.chat(s.chatId())).isEqualTo(before);
    }
}
