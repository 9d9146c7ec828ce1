package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertInvalidToken;
import static io.chathub.testing.Problems.assertNotFound;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/chat/chats}: the chat list, its paging, filters and tenant scoping. */
class ChatListTest extends ServerTest {
    private static Api.Response list(String token, String query) {
        return server.api().get("/api/chat/chats" + (query.isEmpty() ? "" : "?" + query)).bearer(token).send();
    }

    private static JsonNode listOk(String token, String query) {
        var r = list(token, query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("items").forEach(c -> ids.add(c.get("id").longValue()));
        return ids;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A chat of a new client with these contact details and theme; returns its id. */
    private static long chat(TestTenant tenant, long organizationId, Map<String, Object> body) {
        var b = new LinkedHashMap<String, Object>(body);
        b.putIfAbsent("organizationId", organizationId);
        b.putIfAbsent("textMessage", "Hello");
        return tenant.incoming(b).get("chatId").longValue();
    }

    private static Map<String, Object> client(String name, String phone, String email) {
        var c = new LinkedHashMap<String, Object>();
        c.put("externalId", TestTenant.newClient());
        if (name != null) c.put("name", name);
        if (phone != null) c.put("phone", phone);
        if (email != null) c.put("email", email);
        return c;
    }

    /** Moves a chat's creation time (the date filter reads it); there is no API to set it. */
    private static void createdAt(long chatId, Instant at) {
        server.hub().database().tx(h -> h.createUpdate("UPDATE chat SET created_at = :at WHERE id = :id")
                .bind("at", at.toEpochMilli()).bind("id", chatId).execute());
    }

    @Test
    void listsTheCompanysChatsNewestFirstWithAllTheirFields() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long older = chat(tenant, sales, Map.of("client", client("Ada", "+31 6 1234", "ada@example.com"),
                "theme", "Refund", "source", 2, "textMessage", "My refund?"));
        long newer = tenant.newChat(sales);
        tenant.send(tenant.token(), older, "Answer"); // updates it: now the most recent

        JsonNode page = listOk(tenant.token(), "");

        assertThat(page.get("total").longValue()).isEqualTo(2);
        assertThat(ids(page)).containsExactly(older, newer);
        JsonNode chat = page.get("items").get(0);
        assertThat(chat.get("theme").textValue()).isEqualTo("Refund");
        assertThat(chat.get("organizationId").longValue()).isEqualTo(sales);
        assertThat(chat.get("source").intValue()).isEqualTo(2);
        assertThat(chat.get("client").get("id").longValue()).isPositive();
        assertThat(chat.get("client").get("name").textValue()).isEqualTo("Ada");
        assertThat(chat.get("client").get("phone").textValue()).isEqualTo("+31 6 1234");
        assertThat(chat.get("client").get("email").textValue()).isEqualTo("ada@example.com");
        assertThat(chat.get("operator").isNull()).isTrue();
        assertThat(chat.get("chatStatus").intValue()).isEqualTo(1); // the company's answer (author 0) opened it
        assertThat(chat.get("countUnread").intValue()).isEqualTo(1);
        assertThat(Instant.parse(chat.get("createdAt").textValue())).isBeforeOrEqualTo(Instant.parse(chat.get("updatedAt").textValue()));
        assertThat(chat.get("lastMessage").get("message").textValue()).isEqualTo("Answer");
        assertThat(chat.get("lastMessage").get("seq").longValue()).isEqualTo(2);
        assertThat(chat.get("lastSeq").longValue()).isEqualTo(2);
        assertThat(chat.get("operatorReadSeq").longValue()).isZero();
        assertThat(chat.get("clientReadSeq").longValue()).isZero();
        assertThat(chat.has("companyId")).isFalse();
        assertThat(chat).isEqualTo(tenant.chat(older));
    }

    @Test
    void pagesWithPageAndPerPage() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 23; i++) created.add(tenant.newChat(sales));

        JsonNode first = listOk(tenant.token(), "");
        assertThat(first.get("total").longValue()).isEqualTo(23);
        assertThat(first.get("items")).hasSize(20);

        List<Long> seen = new ArrayList<>();
        for (int page = 1; page <= 5; page++) {
            JsonNode p = listOk(tenant.token(), "page=" + page + "&per_page=5");
            assertThat(p.get("total").longValue()).isEqualTo(23);
            assertThat(p.get("items")).hasSize(page < 5 ? 5 : 3);
            seen.addAll(ids(p));
        }
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
        assertThat(seen).isEqualTo(created.reversed());

        JsonNode beyond = listOk(tenant.token(), "page=9&per_page=5");
        assertThat(beyond.get("total").longValue()).isEqualTo(23);
        assertThat(beyond.get("items")).isEmpty();
        assertThat(listOk(tenant.token(), "per_page=100").get("items")).hasSize(23);
    }

    @Test
    void badPagingParametersAreRefusedNamingTheParameter() {
        TestTenant tenant = server.newTenant();
        assertBadRequest(list(tenant.token(), "per_page=101"), "per_page");
        assertBadRequest(list(tenant.token(), "per_page=0"), "per_page");
        assertBadRequest(list(tenant.token(), "page=0"), "page");
        assertBadRequest(list(tenant.token(), "page=-1"), "page");
        assertBadRequest(list(tenant.token(), "page=two"), "page");
        assertBadRequest(list(tenant.token(), "per_page=1.5"), "per_page");
        assertBadRequest(list(tenant.token(), "status=5"), "status");
        assertBadRequest(list(tenant.token(), "status=opened"), "status");
        assertBadRequest(list(tenant.token(), "source=10"), "source");
        assertBadRequest(list(tenant.token(), "organizationId=0"), "organizationId");
        assertBadRequest(list(tenant.token(), "organizationId=x"), "organizationId");
        assertBadRequest(list(tenant.token(), "operatorId=x"), "operatorId");
        assertBadRequest(list(tenant.token(), "search=" + "a".repeat(201)), "search");
    }

    @Test
    void filtersByStatusSourceOrganizationAndOperator() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long support = tenant.organization("Support");
        long anna = tenant.operator(sales, "Anna");
        long viaTelegram = chat(tenant, sales, Map.of("client", client("T", null, null), "source", 2));
        long viaApi = tenant.newChat(sales);
        long inSupport = tenant.newChat(support);
        long closed = tenant.newChat(sales);
        tenant.setChatStatus(closed, 4);
        var r = server.api().post("/api/chat/" + viaApi + "/assign").bearer(tenant.token()).json(Map.of("operatorId", anna)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);

        assertThat(ids(listOk(tenant.token(), "source=2"))).containsExactly(viaTelegram);
        assertThat(ids(listOk(tenant.token(), "source=9"))).containsExactlyInAnyOrder(viaApi, inSupport, closed);
        assertThat(ids(listOk(tenant.token(), "status=4"))).containsExactly(closed);
        assertThat(ids(listOk(tenant.token(), "status=0"))).containsExactlyInAnyOrder(viaTelegram, viaApi, inSupport);
        assertThat(ids(listOk(tenant.token(), "organizationId=" + support))).containsExactly(inSupport);
        assertThat(ids(listOk(tenant.token(), "organizationId=" + sales + "&status=0&source=9"))).containsExactly(viaApi);
        assertThat(ids(listOk(tenant.token(), "operatorId=" + anna))).containsExactly(viaApi);
        assertThat(listOk(tenant.token(), "operatorId=999999999").get("total").longValue()).isZero();
    }

    @Test
    void sourceAndStatusFiltersAlsoTakeTheirNames() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long viaTelegram = chat(tenant, sales, Map.of("client", client("T", null, null), "source", 2));
        long closed = tenant.newChat(sales);
        tenant.setChatStatus(closed, 4);

        for (String name : List.of("telegram", "Telegram", "TELEGRAM")) {
            assertThat(ids(listOk(tenant.token(), "source=" + name))).containsExactly(viaTelegram);
        }
        assertThat(ids(listOk(tenant.token(), "status=Closed"))).containsExactly(closed);
        assertThat(ids(listOk(tenant.token(), "status=new&source=api"))).isEmpty();
        assertThat(ids(listOk(tenant.token(), "status=OnPause"))).isEmpty();
        assertBadRequest(list(tenant.token(), "source=carrier-pigeon"), "source");
        assertBadRequest(list(tenant.token(), "status=Done"), "status");
        assertBadRequest(list(tenant.token(), "status=%2B4"), "status");
    }

    @Test
    void searchFindsClientNamePhoneEmailAndThemeIgnoringCase() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long byName = chat(tenant, sales, Map.of("client", client("Zoë Janssen", null, null)));
        long byPhone = chat(tenant, sales, Map.of("client", client("P", "+31 20 555 0101", null)));
        long byEmail = chat(tenant, sales, Map.of("client", client("E", null, "Piet@Example.org")));
        long byTheme = chat(tenant, sales, Map.of("client", client("T", null, null), "theme", "Delivery DELAYED"));
        long literal = chat(tenant, sales, Map.of("client", client("100% sure_thing", null, null)));

        assertThat(ids(listOk(tenant.token(), "search=" + encode("janssen")))).containsExactly(byName);
        assertThat(ids(listOk(tenant.token(), "search=" + encode("555 01")))).containsExactly(byPhone);
        assertThat(ids(listOk(tenant.token(), "search=" + encode("piet@example")))).containsExactly(byEmail);
        assertThat(ids(listOk(tenant.token(), "search=" + encode("delayed")))).containsExactly(byTheme);
        assertThat(ids(listOk(tenant.token(), "search=" + encode("0%")))).containsExactly(literal);
        assertThat(ids(listOk(tenant.token(), "search=" + encode("e_t")))).containsExactly(literal);
        assertThat(listOk(tenant.token(), "search=" + encode("nobody at all")).get("total").longValue()).isZero();
        assertThat(listOk(tenant.token(), "search=").get("total").longValue()).isEqualTo(5);
    }

    @Test
    void searchFollowsAClientsChangedContactDetailsAndItsErasure() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        Map<String, Object> anna = client("Anna Visser", "+31 70 123 4567", "anna@visser.example");
        long chat = chat(tenant, sales, Map.of("client", anna));
        assertThat(ids(listOk(tenant.token(), "search=" + encode("visser")))).containsExactly(chat);

        var renamed = new LinkedHashMap<String, Object>(anna);
        renamed.put("name", "Anna de Vries");
        renamed.put("email", "anna@devries.example");
        chat(tenant, sales, Map.of("client", renamed, "textMessage", "I married"));
        assertThat(ids(listOk(tenant.token(), "search=" + encode("DE VRIES")))).containsExactly(chat);
        assertThat(ids(listOk(tenant.token(), "search=" + encode("devries.example")))).containsExactly(chat);
        assertThat(ids(listOk(tenant.token(), "search=" + encode("visser")))).isEmpty();
        assertThat(ids(listOk(tenant.token(), "search=" + encode("123 45")))).containsExactly(chat);

        long client = tenant.chat(chat).at("/client/id").asLong();
        assertThat(tenant.api().delete("/api/company/clients/" + client).bearer(tenant.token()).send().status()).isEqualTo(200);
        assertThat(listOk(tenant.token(), "search=" + encode("de vries")).get("total").longValue()).isZero();
        assertThat(listOk(tenant.token(), "search=" + encode("123 45")).get("total").longValue()).isZero();
    }

    @Test
    void phoneFilterMatchesPartOfTheClientsPhone() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long dutch = chat(tenant, sales, Map.of("client", client("A", "+31 6 11112222", null)));
        chat(tenant, sales, Map.of("client", client("B", "+380 44 333", null)));
        chat(tenant, sales, Map.of("client", client("C", null, null)));

        assertThat(ids(listOk(tenant.token(), "phone=" + encode("+31")))).containsExactly(dutch);
        assertThat(ids(listOk(tenant.token(), "phone=11112222"))).containsExactly(dutch);
        assertThat(listOk(tenant.token(), "phone=999").get("total").longValue()).isZero();
    }

    @Test
    void dateOnceIsThatUtcDayAndTwiceARange() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long march1 = tenant.newChat(sales);
        long march2Early = tenant.newChat(sales);
        long march2Late = tenant.newChat(sales);
        long march3 = tenant.newChat(sales);
        createdAt(march1, Instant.parse("2024-03-01T10:00:00Z"));
        createdAt(march2Early, Instant.parse("2024-03-02T00:00:00Z"));
        createdAt(march2Late, Instant.parse("2024-03-02T23:59:59.999Z"));
        createdAt(march3, Instant.parse("2024-03-03T00:00:00Z"));

        assertThat(ids(listOk(tenant.token(), "date=2024-03-02"))).containsExactlyInAnyOrder(march2Early, march2Late);
        assertThat(ids(listOk(tenant.token(), "date=2024-03-01&date=2024-03-02")))
                .containsExactlyInAnyOrder(march1, march2Early, march2Late);
        assertThat(ids(listOk(tenant.token(), "date=2024-03-02&date=2024-03-03")))
                .containsExactlyInAnyOrder(march2Early, march2Late, march3);
        assertThat(ids(listOk(tenant.token(), "date=2024-03-01T12:00:00Z&date=2024-03-02T12:00:00Z")))
                .containsExactly(march2Early);
        assertThat(ids(listOk(tenant.token(), "date=2024-03-02T12:00:00Z"))).containsExactlyInAnyOrder(march2Early, march2Late);
        assertThat(ids(listOk(tenant.token(), "date=2024-03-02T00:00:00.000Z"))).containsExactlyInAnyOrder(march2Early, march2Late);
        assertThat(listOk(tenant.token(), "date=2024-02-29").get("total").longValue()).isZero();
        assertThat(listOk(tenant.token(), "date=2024-03-04&date=2024-12-31").get("total").longValue()).isZero();
    }

    @Test
    void badDatesAreRefused() {
        TestTenant tenant = server.newTenant();
        assertBadRequest(list(tenant.token(), "date=yesterday"), "date");
        assertBadRequest(list(tenant.token(), "date=2024-13-01"), "date");
        assertBadRequest(list(tenant.token(), "date=2024-03-02&date=2024-03-01T00:00:00Z"), "date");
        assertBadRequest(list(tenant.token(), "date=2024-03-01&date=2024-03-02&date=2024-03-03"), "date");
    }

    @Test
    void anOperatorTokenSeesOnlyItsOrganization() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long support = tenant.organization("Support");
        String anna = tenant.operatorToken(tenant.operator(sales, "Anna"));
        long salesChat = tenant.newChat(sales);
        tenant.newChat(support);

        assertThat(ids(listOk(anna, ""))).containsExactly(salesChat);
        assertThat(listOk(anna, "").get("total").longValue()).isEqualTo(1);
        assertThat(ids(listOk(anna, "organizationId=" + sales))).containsExactly(salesChat);
        assertForbidden(list(anna, "organizationId=" + support));
        assertThat(listOk(tenant.token(), "").get("total").longValue()).isEqualTo(2);
    }

    @Test
    void noTokenSeesAnotherCompanysChats() {
        TestTenant acme = server.newTenant();
        TestTenant globex = server.newTenant();
        long acmeSales = acme.organization("Sales");
        acme.newChat(acmeSales);
        String globexOperator = globex.operatorToken(globex.operator(globex.organization("Sales"), "Olga"));

        assertThat(listOk(globex.token(), "").get("total").longValue()).isZero();
        assertThat(listOk(globexOperator, "").get("total").longValue()).isZero();
        assertForbidden(list(globex.token(), "organizationId=" + acmeSales));
        assertForbidden(list(globexOperator, "organizationId=" + acmeSales));
        assertNotFound(list(globex.token(), "organizationId=999999999"));
    }

    @Test
    void needsAValidToken() {
        assertInvalidToken(server.api().get("/api/chat/chats").send());
        assertInvalidToken(list("not-a-token", ""));
    }

    @Test
    void answersJsonEvenWhenTextIsPreferred() {
        TestTenant tenant = server.newTenant();
        tenant.newChat(tenant.organization("Sales"));

        var r = server.api().get("/api/chat/chats").bearer(tenant.token()).accept("text/plain").send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().get("total").longValue()).isEqualTo(1);
    }
}
