package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertInvalidToken;
import static io.chathub.testing.Problems.assertNotFound;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One chat over its life: {@code GET /api/chat/chats/{id}}, {@code PUT /api/chat/status},
 * {@code POST /api/chat/{chatId}/assign} and {@code DELETE /api/chat/chats/{id}}. No operator is
 * connected to the hub here, so routing never assigns a chat by itself.
 */
class ChatLifecycleTest extends ServerTest {
    private record Setup(TestTenant tenant, long sales, long anna, String annaToken, long chatId) {}

    private static Setup setup() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long anna = tenant.operator(sales, "Anna");
        return new Setup(tenant, sales, anna, tenant.operatorToken(anna), tenant.newChat(sales));
    }

    private static Api.Response get(String token, Object chatId) {
        return server.api().get("/api/chat/chats/" + chatId).bearer(token).send();
    }

    private static Api.Response status(String token, Object body) {
        return server.api().put("/api/chat/status").bearer(token).json(body).send();
    }

    private static Api.Response assign(String token, Object chatId, Object body) {
        var call = server.api().post("/api/chat/" + chatId + "/assign").bearer(token);
        if (body != null) call.json(body);
        return call.send();
    }

    private static Api.Response delete(String token, Object chatId) {
        return server.api().delete("/api/chat/chats/" + chatId).bearer(token).send();
    }

    private static JsonNode ok(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static void okEmpty(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private static Long operatorOf(JsonNode chat) {
        return chat.get("operator").isNull() ? null : chat.get("operator").get("id").longValue();
    }

    // ---- reading one chat

    @Test
    void aChatIsReadByItsCompanyAndItsOrganizationsOperators() {
        Setup s = setup();
        JsonNode chat = ok(get(s.tenant().token(), s.chatId()));

        assertThat(chat.get("id").longValue()).isEqualTo(s.chatId());
        assertThat(chat.get("organizationId").longValue()).isEqualTo(s.sales());
        assertThat(chat.get("lastSeq").longValue()).isEqualTo(1);
        assertThat(ok(get(s.annaToken(), s.chatId()))).isEqualTo(chat);
        assertThat(ok(get("\"" + s.annaToken() + "\"", s.chatId()))).isEqualTo(chat);
        assertThat(ok(server.api().get("/api/chat/chats/" + s.chatId()).key(s.tenant().token()).send())).isEqualTo(chat);
    }

    @Test
    void aChatIsHiddenFromOtherOrganizationsAndCompanies() {
        Setup s = setup();
        TestTenant globex = server.newTenant();
        String sam = s.tenant().operatorToken(s.tenant().operator(s.tenant().organization("Support"), "Sam"));
        String olga = globex.operatorToken(globex.operator(globex.organization("Sales"), "Olga"));

        assertForbidden(get(sam, s.chatId()));
        assertForbidden(get(globex.token(), s.chatId()));
        assertForbidden(get(olga, s.chatId()));
        assertNotFound(get(s.tenant().token(), 999_999_999));
        assertBadRequest(get(s.tenant().token(), "abc"), "id");
        assertBadRequest(get(s.tenant().token(), -3), "id");
        assertInvalidToken(server.api().get("/api/chat/chats/" + s.chatId()).send());
    }

    // ---- status

    @Test
    void statusMovesBetweenOpenWaitingAndOnPauseAndEndsAtClosed() {
        Setup s = setup();
        TestTenant t = s.tenant();

        for (int status : new int[] {1, 2, 3, 1, 2}) {
            okEmpty(status(t.token(), Map.of("id", s.chatId(), "status", status)));
            assertThat(t.chat(s.chatId()).get("chatStatus").intValue()).isEqualTo(status);
        }
        okEmpty(status(t.token(), Map.of("id", s.chatId(), "status", 2))); // the same again: nothing to do
        okEmpty(status(t.token(), Map.of("id", s.chatId(), "status", 4)));
        assertThat(t.chat(s.chatId()).get("chatStatus").intValue()).isEqualTo(4);
        assertThat(operatorOf(t.chat(s.chatId()))).as("a company changing status takes nobody's chat").isNull();

        for (int status : new int[] {1, 2, 3}) {
            JsonNode p = assertProblem(status(t.token(), Map.of("id", s.chatId(), "status", status)), 409);
            assertThat(p.get("detail").asText()).isEqualTo("Chat " + s.chatId() + " is closed");
        }
        assertProblem(status(s.annaToken(), Map.of("id", s.chatId(), "status", 1)), 409);
        assertThat(t.chat(s.chatId()).get("chatStatus").intValue()).isEqualTo(4);
    }

    @Test
    void aStatusMayBeGivenByItsName() {
        Setup s = setup();
        TestTenant t = s.tenant();

        okEmpty(status(t.token(), Map.of("id", s.chatId(), "status", "OnPause")));
        assertThat(t.chat(s.chatId()).get("chatStatus").intValue()).isEqualTo(3);
        okEmpty(status(t.token(), Map.of("id", s.chatId(), "status", "waiting")));
        assertThat(t.chat(s.chatId()).get("chatStatus").intValue()).isEqualTo(2);
        JsonNode p = assertBadRequest(status(t.token(), Map.of("id", s.chatId(), "status", "Finished")), "status");
        assertThat(p.get("detail").asText()).contains("4 (Closed)");
        assertThat(t.chat(s.chatId()).get("chatStatus").intValue()).isEqualTo(2);
    }

    @Test
    void aClientReplyReopensAWaitingChat() {
        Setup s = setup();
        String externalId = TestTenant.newClient();
        long chatId = s.tenant().incoming(s.sales(), externalId, "Question").get("chatId").longValue();
        s.tenant().setChatStatus(chatId, 2);

        s.tenant().incoming(s.sales(), externalId, "Here is the answer you waited for");

        assertThat(s.tenant().chat(chatId).get("chatStatus").intValue()).isEqualTo(1);
    }

    @Test
    void anOperatorSettingAStatusOnAnUnassignedChatTakesItButClosingDoesNot() {
        Setup s = setup();
        TestTenant t = s.tenant();
        long other = t.newChat(s.sales());

        okEmpty(status(s.annaToken(), Map.of("id", s.chatId(), "status", 1)));
        okEmpty(status(s.annaToken(), Map.of("id", other, "status", 4)));

        JsonNode taken = t.chat(s.chatId());
        assertThat(taken.get("chatStatus").intValue()).isEqualTo(1);
        assertThat(operatorOf(taken)).isEqualTo(s.anna());
        assertThat(operatorOf(t.chat(other))).isNull();
        assertThat(t.chat(other).get("chatStatus").intValue()).isEqualTo(4);

        long bram = t.operator(s.sales(), "Bram");
        okEmpty(status(t.operatorToken(bram), Map.of("id", s.chatId(), "status", 3)));
        assertThat(operatorOf(t.chat(s.chatId()))).as("an assigned chat stays with its operator").isEqualTo(s.anna());
    }

    @Test
    void badStatusRequestsAreRefusedAndChangeNothing() {
        Setup s = setup();
        TestTenant t = s.tenant();
        TestTenant globex = server.newTenant();
        String sam = t.operatorToken(t.operator(t.organization("Support"), "Sam"));
        JsonNode before = t.chat(s.chatId());

        JsonNode backToNew = assertBadRequest(status(t.token(), Map.of("id", s.chatId(), "status", 0)), "status");
        assertThat(backToNew.get("detail").asText()).isEqualTo("A chat cannot be set back to New");
        assertBadRequest(status(t.token(), Map.of("id", s.chatId(), "status", 5)), "status");
        assertBadRequest(status(t.token(), Map.of("id", s.chatId(), "status", -1)), "status");
        assertBadRequest(status(t.token(), Map.of("id", s.chatId(), "status", "1")), "status");
        assertBadRequest(status(t.token(), Map.of("id", s.chatId())), "status");
        assertBadRequest(status(t.token(), Map.of("status", 1)), "id");
        assertBadRequest(status(t.token(), Map.of("id", "x", "status", 1)), "id");
        assertBadRequest(status(t.token(), "{\"id\":"), "body");
        assertBadRequest(status(t.token(), "[1]"), "body");
        assertNotFound(status(t.token(), Map.of("id", 999_999_999, "status", 1)));
        assertForbidden(status(globex.token(), Map.of("id", s.chatId(), "status", 4)));
        assertForbidden(status(sam, Map.of("id", s.chatId(), "status", 4)));
        assertInvalidToken(server.api().put("/api/chat/status").json(Map.of("id", s.chatId(), "status", 4)).send());

        assertThat(t.chat(s.chatId())).isEqualTo(before);
    }

    @Test
    void pascalCaseFieldsAreAccepted() {
        Setup s = setup();
        okEmpty(status(s.tenant().token(), Map.of("Id", s.chatId(), "Status", 3)));
        assertThat(s.tenant().chat(s.chatId()).get("chatStatus").intValue()).isEqualTo(3);
    }

    // ---- assignment

    @Test
    void anOperatorTakesAQueuedChatAndTransfersIt() {
        Setup s = setup();
        TestTenant t = s.tenant();
        long bram = t.operator(s.sales(), "Bram");

        JsonNode taken = ok(assign(s.annaToken(), s.chatId(), null));
        assertThat(operatorOf(taken)).isEqualTo(s.anna());
        assertThat(taken.get("operator").get("name").textValue()).isEqualTo("Anna");
        assertThat(taken.get("id").longValue()).isEqualTo(s.chatId());

        JsonNode takenAgain = ok(assign(s.annaToken(), s.chatId(), Map.of()));
        assertThat(operatorOf(takenAgain)).isEqualTo(s.anna());

        JsonNode transferred = ok(assign(s.annaToken(), s.chatId(), Map.of("operatorId", bram)));
        assertThat(operatorOf(transferred)).isEqualTo(bram);
        assertThat(operatorOf(t.chat(s.chatId()))).isEqualTo(bram);

        JsonNode queued = ok(assign(t.operatorToken(bram), s.chatId(), Map.of("operatorId", 0)));
        assertThat(queued.get("operator").isNull()).isTrue();
        assertThat(operatorOf(t.chat(s.chatId()))).isNull();
    }

    @Test
    void aCompanyAssignsAnyOperatorOfTheChatsOrganization() {
        Setup s = setup();
        TestTenant t = s.tenant();
        long bram = t.operator(s.sales(), "Bram");

        assertThat(operatorOf(ok(assign(t.token(), s.chatId(), Map.of("operatorId", bram))))).isEqualTo(bram);
        assertThat(operatorOf(ok(assign(t.token(), s.chatId(), Map.of("operatorId", s.anna()))))).isEqualTo(s.anna());
        assertThat(ok(assign(t.token(), s.chatId(), Map.of("operatorId", 0))).get("operator").isNull()).isTrue();
        assertBadRequest(assign(t.token(), s.chatId(), null), "operatorId");
        assertBadRequest(assign(t.token(), s.chatId(), Map.of()), "operatorId");
    }

    @Test
    void badAssignmentsAreRefusedAndChangeNothing() {
        Setup s = setup();
        TestTenant t = s.tenant();
        TestTenant globex = server.newTenant();
        long support = t.organization("Support");
        long sam = t.operator(support, "Sam");
        long inactive = t.operator(s.sales(), "Ingrid");
        t.setStatus(inactive, 1);
        long olga = globex.operator(globex.organization("Sales"), "Olga");
        long closed = t.newChat(s.sales());
        t.setChatStatus(closed, 4);
        okEmpty(status(t.token(), Map.of("id", s.chatId(), "status", 2)));
        ok(assign(t.token(), s.chatId(), Map.of("operatorId", s.anna())));
        JsonNode before = t.chat(s.chatId());

        assertBadRequest(assign(t.token(), s.chatId(), Map.of("operatorId", sam)), "operatorId");
        assertBadRequest(assign(t.token(), s.chatId(), Map.of("operatorId", olga)), "operatorId");
        assertBadRequest(assign(t.token(), s.chatId(), Map.of("operatorId", 999_999_999)), "operatorId");
        JsonNode notActive = assertBadRequest(assign(t.token(), s.chatId(), Map.of("operatorId", inactive)), "operatorId");
        assertThat(notActive.get("detail").asText()).contains("not active");
        assertBadRequest(assign(t.token(), s.chatId(), Map.of("operatorId", -1)), "operatorId");
        assertBadRequest(assign(t.token(), s.chatId(), Map.of("operatorId", "x")), "operatorId");
        assertBadRequest(assign(t.token(), s.chatId(), "{"), "body");
        assertBadRequest(assign(t.token(), "x", Map.of("operatorId", s.anna())), "chatId");
        assertNotFound(assign(t.token(), 999_999_999, Map.of("operatorId", s.anna())));
        assertForbidden(assign(globex.token(), s.chatId(), Map.of("operatorId", olga)));
        assertForbidden(assign(t.operatorToken(sam), s.chatId(), null));
        assertProblem(assign(t.token(), closed, Map.of("operatorId", s.anna())), 409);
        assertProblem(assign(s.annaToken(), closed, null), 409);

        assertThat(t.chat(s.chatId())).isEqualTo(before);
        assertThat(operatorOf(t.chat(closed))).isNull();
    }

    // ---- delete

    @Test
    void aCompanyDeletesAChatWithItsMessages() {
        Setup s = setup();
        TestTenant t = s.tenant();
        long kept = t.newChat(s.sales());
        t.send(t.token(), s.chatId(), "Bye");

        okEmpty(delete(t.token(), s.chatId()));

        assertNotFound(get(t.token(), s.chatId()));
        assertNotFound(server.api().get("/api/chat/" + s.chatId() + "/messages").bearer(t.token()).send());
        assertNotFound(delete(t.token(), s.chatId()));
        var list = ok(server.api().get("/api/chat/chats").bearer(t.token()).send());
        assertThat(list.get("total").longValue()).isEqualTo(1);
        assertThat(list.get("items").get(0).get("id").longValue()).isEqualTo(kept);
        Long stored = server.hub().database().read(h -> h.createQuery("SELECT COUNT(*) FROM message WHERE chat_id = :id")
                .bind("id", s.chatId()).mapTo(Long.class).one());
        assertThat(stored).isZero();
    }

    @Test
    void onlyTheOwningCompanyDeletes() {
        Setup s = setup();
        TestTenant globex = server.newTenant();

        assertForbidden(delete(s.annaToken(), s.chatId()));
        assertForbidden(delete(globex.token(), s.chatId()));
        assertNotFound(delete(s.tenant().token(), 999_999_999));
        assertBadRequest(delete(s.tenant().token(), "x"), "id");
        assertInvalidToken(server.api().delete("/api/chat/chats/" + s.chatId()).send());

        assertThat(s.tenant().chat(s.chatId()).get("id").longValue()).isEqualTo(s.chatId());
        assertThat(s.tenant().messages(s.chatId(), "")).hasSize(1);
    }

    @Test
    void explicitNullOperatorIdIsLikeOmittingIt() {
        Setup s = setup();
        Map<String, Object> body = new HashMap<>();
        body.put("operatorId", null);
        assertThat(operatorOf(ok(assign(s.annaToken(), s.chatId(), body)))).isEqualTo(s.anna());
        assertBadRequest(assign(s.tenant().token(), s.chatId(), body), "operatorId");
    }
}
