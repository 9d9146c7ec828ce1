package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertInvalidToken;
import static io.chathub.testing.Problems.assertNotFound;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/chat/incoming} (ext): a customer's message from outside opens a chat or continues
 * the client's current one; a Closed chat is never reused.
 */
class IncomingMessageTest extends ServerTest {
    private static Api.Response incoming(String token, Object body) {
        return server.api().post("/api/chat/incoming").bearer(token).json(body).send();
    }

    private static JsonNode ok(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static Map<String, Object> body(long organizationId, Map<String, Object> client, String text) {
        var b = new LinkedHashMap<String, Object>();
        b.put("organizationId", organizationId);
        b.put("client", client);
        if (text != null) b.put("textMessage", text);
        return b;
    }

    private static long total(TestTenant tenant) {
        return ok(server.api().get("/api/chat/chats").bearer(tenant.token()).send()).get("total").longValue();
    }

    @Test
    void theFirstMessageOfAClientOpensANewUnassignedChat() {
        TestTenant t = server.newTenant();
        long sales = t.organization("Sales");
        var b = body(sales, Map.of("externalId", "tg-1001", "name", "Ada", "phone", "+31 6 1", "email", "ada@example.com"),
                "Do you ship to Belgium?");
        b.put("theme", "Shipping");

        JsonNode m = ok(incoming(t.token(), b));

        assertThat(m.get("author").intValue()).isEqualTo(1);
        assertThat(m.get("seq").longValue()).isEqualTo(1);
        assertThat(m.get("message").textValue()).isEqualTo("Do you ship to Belgium?");
        assertThat(m.get("operator").isNull()).isTrue();
        JsonNode chat = t.chat(m.get("chatId").longValue());
        assertThat(chat.get("chatStatus").intValue()).isZero();
        assertThat(chat.get("operator").isNull()).isTrue();
        assertThat(chat.get("source").intValue()).as("default source: Api").isEqualTo(9);
        assertThat(chat.get("theme").textValue()).isEqualTo("Shipping");
        assertThat(chat.get("organizationId").longValue()).isEqualTo(sales);
        assertThat(chat.get("client").get("name").textValue()).isEqualTo("Ada");
        assertThat(chat.get("client").get("phone").textValue()).isEqualTo("+31 6 1");
        assertThat(chat.get("client").get("email").textValue()).isEqualTo("ada@example.com");
        assertThat(chat.get("countUnread").intValue()).isEqualTo(1);
        assertThat(chat.get("lastMessage")).isEqualTo(m);
    }

    @Test
    void laterMessagesOfTheClientContinueItsChat() {
        TestTenant t = server.newTenant();
        long sales = t.organization("Sales");
        String client = TestTenant.newClient();
        long chatId = t.incoming(sales, client, "One").get("chatId").longValue();
        t.setChatStatus(chatId, 3);

        JsonNode second = t.incoming(sales, client, "Two");
        JsonNode third = t.incoming(sales, client, "Three");

        assertThat(second.get("chatId").longValue()).isEqualTo(chatId);
        assertThat(third.get("chatId").longValue()).isEqualTo(chatId);
        assertThat(third.get("seq").longValue()).isEqualTo(3);
        JsonNode chat = t.chat(chatId);
        assertThat(chat.get("countUnread").intValue()).isEqualTo(3);
        assertThat(chat.get("chatStatus").intValue()).as("OnPause stays OnPause").isEqualTo(3);
        assertThat(total(t)).isEqualTo(1);
    }

    @Test
    void aClosedChatIsNeverReused() {
        TestTenant t = server.newTenant();
        long sales = t.organization("Sales");
        String client = TestTenant.newClient();
        long first = t.incoming(sales, client, "One").get("chatId").longValue();
        t.setChatStatus(first, 4);

        JsonNode m = t.incoming(sales, client, "I am back");

        long second = m.get("chatId").longValue();
        assertThat(second).isNotEqualTo(first);
        assertThat(m.get("seq").longValue()).isEqualTo(1);
        assertThat(t.chat(second).get("chatStatus").intValue()).isZero();
        assertThat(t.chat(second).get("client").get("id")).isEqualTo(t.chat(first).get("client").get("id"));
        assertThat(t.chat(first).get("chatStatus").intValue()).isEqualTo(4);
        assertThat(t.messages(first, "")).hasSize(1);
        assertThat(t.incoming(sales, client, "Still there?").get("chatId").longValue()).isEqualTo(second);
    }

    @Test
    void aClientIsKnownPerOrganizationAndSource() {
        TestTenant t = server.newTenant();
        long sales = t.organization("Sales");
        long support = t.organization("Support");
        String client = TestTenant.newClient();
        long viaApi = t.incoming(sales, client, "Api").get("chatId").longValue();

        var telegram = body(sales, Map.of("externalId", client), "Telegram");
        telegram.put("source", 2);
        long viaTelegram = ok(incoming(t.token(), telegram)).get("chatId").longValue();
        long inSupport = t.incoming(support, client, "Support").get("chatId").longValue();

        assertThat(viaTelegram).isNotEqualTo(viaApi);
        assertThat(inSupport).isNotIn(viaApi, viaTelegram);
        assertThat(t.chat(viaTelegram).get("source").intValue()).isEqualTo(2);
        assertThat(t.chat(viaTelegram).get("client").get("id")).isNotEqualTo(t.chat(viaApi).get("client").get("id"));
        assertThat(ok(incoming(t.token(), telegram)).get("chatId").longValue()).isEqualTo(viaTelegram);
        telegram.put("source", "telegram"); // the name (an extension) is the same source
        assertThat(ok(incoming(t.token(), telegram)).get("chatId").longValue()).isEqualTo(viaTelegram);
    }

    @Test
    void theClientsContactIsUpdatedByLaterMessages() {
        TestTenant t = server.newTenant();
        long sales = t.organization("Sales");
        String client = TestTenant.newClient();
        long chatId = ok(incoming(t.token(), body(sales, Map.of("externalId", client, "name", "Ada", "phone", "111"), "Hi")))
                .get("chatId").longValue();

        ok(incoming(t.token(), body(sales, Map.of("externalId", client, "name", "Ada Lovelace", "email", "ada@example.com"), "Hi again")));

        JsonNode contact = t.chat(chatId).get("client");
        assertThat(contact.get("name").textValue()).isEqualTo("Ada Lovelace");
        assertThat(contact.get("phone").textValue()).as("an omitted field is kept").isEqualTo("111");
        assertThat(contact.get("email").textValue()).isEqualTo("ada@example.com");

        ok(incoming(t.token(), body(sales, Map.of("externalId", client, "name", "  "), "Blank name")));
        assertThat(t.chat(chatId).get("client").get("name").textValue()).as("a blank field is kept").isEqualTo("Ada Lovelace");
    }

    @Test
    void theSameClientMessageIdIsStoredOnce() {
        TestTenant t = server.newTenant();
        long sales = t.organization("Sales");
        var b = body(sales, Map.of("externalId", TestTenant.newClient()), "Once");
        b.put("clientMessageId", "wamid.123");

        JsonNode first = ok(incoming(t.token(), b));
        JsonNode retried = ok(incoming(t.token(), b));

        assertThat(retried).isEqualTo(first);
        assertThat(t.messages(first.get("chatId").longValue(), "")).hasSize(1);
        assertThat(t.chat(first.get("chatId").longValue()).get("countUnread").intValue()).isEqualTo(1);
    }

    @Test
    void badInboundMessagesAreRefusedAndCreateNothing() {
        TestTenant t = server.newTenant();
        long sales = t.organization("Sales");
        String client = TestTenant.newClient();

        assertBadRequest(incoming(t.token(), "{\"organizationId\":"), "body");
        assertBadRequest(incoming(t.token(), "[]"), "body");
        assertBadRequest(incoming(t.token(), Map.of("client", Map.of("externalId", client), "textMessage", "Hi")), "organizationId");
        assertBadRequest(incoming(t.token(), Map.of("organizationId", "x", "client", Map.of("externalId", client), "textMessage", "Hi")), "organizationId");
        assertBadRequest(incoming(t.token(), Map.of("organizationId", sales, "textMessage", "Hi")), "client");
        assertBadRequest(incoming(t.token(), Map.of("organizationId", sales, "client", "Ada", "textMessage", "Hi")), "client");
        assertBadRequest(incoming(t.token(), body(sales, Map.of("name", "Ada"), "Hi")), "client.externalId");
        assertBadRequest(incoming(t.token(), body(sales, Map.of("externalId", " "), "Hi")), "client.externalId");
        assertBadRequest(incoming(t.token(), body(sales, Map.of("externalId", 7), "Hi")), "client.externalId");
        assertBadRequest(incoming(t.token(), body(sales, Map.of("externalId", "x".repeat(201)), "Hi")), "client.externalId");
        assertBadRequest(incoming(t.token(), body(sales, Map.of("externalId", client, "email", "e".repeat(321)), "Hi")), "client.email");
        assertBadRequest(incoming(t.token(), body(sales, Map.of("externalId", client), null)), "textMessage");
        assertBadRequest(incoming(t.token(), body(sales, Map.of("externalId", client), "  ")), "textMessage");
        assertBadRequest(incoming(t.token(), body(sales, Map.of("externalId", client), "x".repeat(10_001))), "textMessage");
        var badSource = body(sales, Map.of("externalId", client), "Hi");
        badSource.put("source", 10);
        assertBadRequest(incoming(t.token(), badSource), "source");
        badSource.put("source", "telegraph");
        assertBadRequest(incoming(t.token(), badSource), "source");
        var longTheme = body(sales, Map.of("externalId", client), "Hi");
        longTheme.put("theme", "t".repeat(501));
        assertBadRequest(incoming(t.token(), longTheme), "theme");

        assertThat(total(t)).isZero();
        long clients = server.hub().database().read(h -> h.createQuery("SELECT COUNT(*) FROM client WHERE organization_id = :org")
                .bind("org", sales).mapTo(Long.class).one());
        assertThat(clients).isZero();
    }

    @Test
    void onlyTheCompanyOfTheOrganizationSendsInboundMessages() {
        TestTenant t = server.newTenant();
        TestTenant globex = server.newTenant();
        long sales = t.organization("Sales");
        String anna = t.operatorToken(t.operator(sales, "Anna"));
        var b = body(sales, Map.of("externalId", TestTenant.newClient()), "Hi");

        assertForbidden(incoming(anna, b));
        assertForbidden(incoming(globex.token(), b));
        assertNotFound(incoming(t.token(), body(999_999_999, Map.of("externalId", "x"), "Hi")));
        assertInvalidToken(server.api().post("/api/chat/incoming").json(b).send());

        assertThat(total(t)).isZero();
        assertThat(total(globex)).isZero();
    }
}
