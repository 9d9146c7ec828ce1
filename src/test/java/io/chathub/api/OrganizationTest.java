package io.chathub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertInvalidToken;
import static io.chathub.testing.Problems.assertNotFound;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/company/organization}: the hosted list and the (ext) CRUD with settings. */
class OrganizationTest extends ServerTest {
    private static final String PATH = "/api/company/organization";

    private static Map<String, Object> fullSettings(String name) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", name);
        body.put("allowedOrigins", List.of("https://crm.example.com", "http://localhost:3000"));
        body.put("greeting", "Hello! How can we help?");
        body.put("businessHours", Map.of("timezone", "Europe/Kyiv",
                "days", Map.of("mon", List.of(List.of("09:00", "18:00")), "sat", List.of(List.of("10:00", "14:00")))));
        body.put("offlineContact", "support@example.com");
        body.put("themeColor", "#1f6feb");
        body.put("defaultLanguage", "uk");
        return body;
    }

    private static Api.Response create(TestTenant tenant, Object body) {
        return server.api().post(PATH).bearer(tenant.token()).json(body).send();
    }

    private static Api.Response update(TestTenant tenant, long id, Object body) {
        return server.api().put(PATH + "/" + id).bearer(tenant.token()).json(body).send();
    }

    private static JsonNode list(TestTenant tenant) {
        var r = server.api().get(PATH).bearer(tenant.token()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    // --- list

    @Test
    void newCompanyHasNoOrganizations() {
        assertThat(list(server.newTenant())).isEmpty();
    }

    @Test
    void listShowsOnlyOwnOrganizationsAsIdAndName() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long sales = mine.organization("Sales");
        long support = mine.organization("Support");
        other.organization("Other company's secret org");

        JsonNode list = list(mine);

        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("id").asLong()).isEqualTo(sales);
        assertThat(list.get(0).get("name").asText()).isEqualTo("Sales");
        assertThat(list.get(1).get("id").asLong()).isEqualTo(support);
        for (JsonNode org : list) assertThat(org.properties()).extracting(Map.Entry::getKey).containsExactly("id", "name");
        assertThat(list.toString()).doesNotContain("secret");
    }

    @Test
    void listAnswersJsonEvenWhenTextPlainIsAccepted() {
        TestTenant tenant = server.newTenant();
        tenant.organization("Sales");

        var r = server.api().get(PATH).bearer(tenant.token()).accept("text/plain").send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().get(0).get("name").asText()).isEqualTo("Sales");
    }

    @Test
    void operatorTokenListsOnlyItsOwnOrganization() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        tenant.organization("Support");
        String op = tenant.operatorToken(tenant.operator(sales, "Anna"));

        var r = server.api().get(PATH).bearer(op).send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).hasSize(1);
        assertThat(r.json().get(0).get("id").asLong()).isEqualTo(sales);
    }

    @Test
    void listWithoutTokenIs401() {
        assertInvalidToken(server.api().get(PATH).send());
    }

    // --- create

    @Test
    void createAnswers201WithAllSettings() {
        TestTenant tenant = server.newTenant();

        var r = create(tenant, fullSettings("Sales"));

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode org = r.json();
        assertThat(org.get("id").asLong()).isPositive();
        assertThat(org.get("name").asText()).isEqualTo("Sales");
        assertThat(org.get("widgetGuid").asText()).matches("[0-9a-f-]{36}");
        assertThat(org.get("allowedOrigins")).extracting(JsonNode::asText)
                .containsExactly("https://crm.example.com", "http://localhost:3000");
        assertThat(org.get("greeting").asText()).isEqualTo("Hello! How can we help?");
        assertThat(org.at("/businessHours/timezone").asText()).isEqualTo("Europe/Kyiv");
        assertThat(org.at("/businessHours/days/mon/0/0").asText()).isEqualTo("09:00");
        assertThat(org.at("/businessHours/days/mon/0/1").asText()).isEqualTo("18:00");
        assertThat(org.get("offlineContact").asText()).isEqualTo("support@example.com");
        assertThat(org.get("themeColor").asText()).isEqualTo("#1f6feb");
        assertThat(org.get("defaultLanguage").asText()).isEqualTo("uk");
        assertThat(org.has("companyId")).isFalse();
        assertThat(tenant.organizationSettings(org.get("id").asLong())).isEqualTo(org);
    }

    @Test
    void createWithOnlyANameLeavesSettingsEmpty() {
        TestTenant tenant = server.newTenant();

        JsonNode org = create(tenant, Map.of("name", "  Sales  ")).json();

        assertThat(org.get("name").asText()).isEqualTo("Sales");
        assertThat(org.get("allowedOrigins")).isEmpty();
        for (String f : List.of("greeting", "businessHours", "offlineContact", "themeColor", "defaultLanguage")) {
            assertThat(org.get(f).isNull()).as(f).isTrue();
        }
    }

    @Test
    void originsAreNormalizedAndDeduplicated() {
        TestTenant tenant = server.newTenant();
        var body = Map.of("name", "Web", "allowedOrigins", List.of("HTTPS://CRM.Example.com/", "https://crm.example.com", "*"));

        JsonNode org = create(tenant, body).json();

        assertThat(org.get("allowedOrigins")).extracting(JsonNode::asText).containsExactly("https://crm.example.com", "*");
    }

    @Test
    void everyOrganizationGetsItsOwnWidgetGuid() {
        TestTenant tenant = server.newTenant();

        String a = create(tenant, Map.of("name", "A")).json().get("widgetGuid").asText();
        String b = create(tenant, Map.of("name", "B")).json().get("widgetGuid").asText();

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void createWithoutNameIs400NamingIt() {
        TestTenant tenant = server.newTenant();

        assertBadRequest(create(tenant, Map.of("greeting", "Hi")), "name");
        assertBadRequest(create(tenant, Map.of("name", "   ")), "name");
        assertBadRequest(create(tenant, "{\"name\":null}"), "name");
        assertBadRequest(create(tenant, Map.of("name", "x".repeat(201))), "name");
        assertThat(list(tenant)).isEmpty();
    }

    @Test
    void createWithWrongTypesIs400NamingTheField() {
        TestTenant tenant = server.newTenant();

        assertBadRequest(create(tenant, Map.of("name", 42)), "name");
        assertBadRequest(create(tenant, Map.of("name", "A", "allowedOrigins", "https://a.example")), "allowedOrigins");
        assertBadRequest(create(tenant, Map.of("name", "A", "allowedOrigins", List.of(1, 2))), "allowedOrigins");
        assertBadRequest(create(tenant, Map.of("name", "A", "greeting", List.of("hi"))), "greeting");
        assertBadRequest(create(tenant, Map.of("name", "A", "businessHours", "9-18")), "businessHours");
        assertBadRequest(create(tenant, Map.of("name", "A", "themeColor", 0x1f6feb)), "themeColor");
        assertThat(list(tenant)).isEmpty();
    }

    @Test
    void createWithInvalidSettingsIs400NamingTheSettingAndCreatesNothing() {
        TestTenant tenant = server.newTenant();
        record Case(String field, Object value, String expectedField) {}
        var cases = List.of(
                new Case("allowedOrigins", List.of("https://crm.example.com/path"), "allowedOrigins"),
                new Case("allowedOrigins", List.of("ftp://files.example.com"), "allowedOrigins"),
                new Case("allowedOrigins", List.of("crm.example.com"), "allowedOrigins"),
                new Case("themeColor", "blue", "themeColor"),
                new Case("themeColor", "#12345", "themeColor"),
                new Case("defaultLanguage", "english!", "defaultLanguage"),
                new Case("greeting", "x".repeat(2001), "greeting"),
                new Case("offlineContact", "x".repeat(501), "offlineContact"),
                new Case("businessHours", Map.of("timezone", "Mars/Olympus"), "businessHours.timezone"),
                new Case("businessHours", Map.of("days", List.of()), "businessHours.days"),
                new Case("businessHours", Map.of("days", Map.of("someday", List.of())), "businessHours.days"),
                new Case("businessHours", Map.of("days", Map.of("mon", "09:00-18:00")), "businessHours.days.mon"),
                new Case("businessHours", Map.of("days", Map.of("mon", List.of(List.of("18:00", "09:00")))), "businessHours.days.mon"),
                new Case("businessHours", Map.of("days", Map.of("tue", List.of(List.of("9am", "6pm")))), "businessHours.days.tue"),
                new Case("businessHours", Map.of("days", Map.of("wed", List.of(List.of("09:00")))), "businessHours.days.wed"));
        for (Case c : cases) {
            var body = new LinkedHashMap<String, Object>();
            body.put("name", "Rejected");
            body.put(c.field(), c.value());
            assertBadRequest(create(tenant, body), c.expectedField());
        }
        assertThat(list(tenant)).isEmpty();
    }

    @Test
    void nulCharactersAre400OnEveryDatabaseAndChangeNothing() {
        TestTenant tenant = server.newTenant();
        JsonNode before = create(tenant, fullSettings("Sales")).json();
        long id = before.get("id").asLong();

        assertBadRequest(create(tenant, Map.of("name", "Bad\u0000Name")), "name");
        assertBadRequest(update(tenant, id, Map.of("greeting", "hi\u0000")), "greeting");
        assertBadRequest(update(tenant, id, Map.of("name", "Renamed", "offlineContact", "\u0000")), "offlineContact");
        assertBadRequest(update(tenant, id, Map.of("allowedOrigins", List.of("https://ok.example.com\u0000"))), "allowedOrigins");

        assertThat(list(tenant)).hasSize(1);
        assertThat(tenant.organizationSettings(id)).isEqualTo(before);
    }

    @Test
    void unicodeSettingsRoundTrip() {
        TestTenant tenant = server.newTenant();
        var body = Map.of("name", "Підтримка 😀", "greeting", "Вітаємо! Merhaba, nasılsınız? 你好", "offlineContact", "Şule · +380 44 000 00 00");

        JsonNode created = create(tenant, body).json();

        JsonNode read = tenant.organizationSettings(created.get("id").asLong());
        assertThat(read.get("name").asText()).isEqualTo("Підтримка 😀");
        assertThat(read.get("greeting").asText()).isEqualTo("Вітаємо! Merhaba, nasılsınız? 你好");
        assertThat(read.get("offlineContact").asText()).isEqualTo("Şule · +380 44 000 00 00");
        assertThat(list(tenant).get(0).get("name").asText()).isEqualTo("Підтримка 😀");
    }

    @Test
    void createWithBrokenJsonIs400() {
        TestTenant tenant = server.newTenant();

        assertBadRequest(create(tenant, "{\"name\": "), "body");
        assertBadRequest(create(tenant, "[\"Sales\"]"), "body");
        assertBadRequest(create(tenant, "\"Sales\""), "body");
        assertThat(list(tenant)).isEmpty();
    }

    // --- get

    @Test
    void getOfAnUnknownOrganizationIs404() {
        TestTenant tenant = server.newTenant();

        assertNotFound(server.api().get(PATH + "/987654321").bearer(tenant.token()).send());
    }

    @Test
    void getOfAnotherCompanysOrganizationIs403WithoutItsData() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long theirs = create(other, fullSettings("Their secret org")).json().get("id").asLong();

        var r = server.api().get(PATH + "/" + theirs).bearer(mine.token()).send();

        assertForbidden(r);
        assertThat(r.text()).doesNotContain("secret").doesNotContain("crm.example.com").doesNotContain("widgetGuid");
    }

    @Test
    void operatorMayReadItsOwnOrganizationButNoOther() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long support = tenant.organization("Support");
        String op = tenant.operatorToken(tenant.operator(sales, "Anna"));

        var own = server.api().get(PATH + "/" + sales).bearer(op).send();
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("name").asText()).isEqualTo("Sales");
        assertForbidden(server.api().get(PATH + "/" + support).bearer(op).send());
    }

    @Test
    void nonNumericOrNonPositiveIdIs400NamingIt() {
        TestTenant tenant = server.newTenant();

        assertBadRequest(server.api().get(PATH + "/abc").bearer(tenant.token()).send(), "id");
        assertBadRequest(server.api().get(PATH + "/0").bearer(tenant.token()).send(), "id");
        assertBadRequest(server.api().get(PATH + "/-5").bearer(tenant.token()).send(), "id");
        assertBadRequest(server.api().put(PATH + "/1.5").bearer(tenant.token()).json(Map.of("name", "x")).send(), "id");
    }

    @Test
    void idsWithASignLeadingZerosOrSpacesAre400NamingItAndDeleteNothing() {
        TestTenant tenant = server.newTenant();
        long id = tenant.organization("Sales");

        for (String written : List.of("+" + id, "0" + id, "%20" + id, id + "%20", "%2B" + id, "1e1", "0x1", "99999999999999999999")) {
            var r = server.api().delete(PATH + "/" + written).bearer(tenant.token()).send();
            JsonNode p = assertBadRequest(r, "id");
            assertThat(p.get("detail").asText()).as(written).contains("positive integer");
        }
        assertThat(server.api().get(PATH + "/" + id).bearer(tenant.token()).send().status()).isEqualTo(200);
    }

    // --- update

    @Test
    void updateChangesOnlyTheFieldsPresent() {
        TestTenant tenant = server.newTenant();
        JsonNode before = create(tenant, fullSettings("Sales")).json();
        long id = before.get("id").asLong();

        var r = update(tenant, id, Map.of("greeting", "Welcome back", "themeColor", "#ABCDEF"));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode after = tenant.organizationSettings(id);
        assertThat(r.json()).isEqualTo(after);
        assertThat(after.get("greeting").asText()).isEqualTo("Welcome back");
        assertThat(after.get("themeColor").asText()).isEqualTo("#ABCDEF");
        for (String unchanged : List.of("id", "name", "widgetGuid", "allowedOrigins", "businessHours", "offlineContact", "defaultLanguage")) {
            assertThat(after.get(unchanged)).as(unchanged).isEqualTo(before.get(unchanged));
        }
    }

    @Test
    void explicitNullClearsASetting() {
        TestTenant tenant = server.newTenant();
        long id = create(tenant, fullSettings("Sales")).json().get("id").asLong();

        var r = update(tenant, id, "{\"greeting\":null,\"businessHours\":null,\"allowedOrigins\":null,\"themeColor\":null}");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode after = tenant.organizationSettings(id);
        assertThat(after.get("greeting").isNull()).isTrue();
        assertThat(after.get("businessHours").isNull()).isTrue();
        assertThat(after.get("themeColor").isNull()).isTrue();
        assertThat(after.get("allowedOrigins")).isEmpty();
        assertThat(after.get("name").asText()).isEqualTo("Sales");
        assertThat(after.get("offlineContact").asText()).isEqualTo("support@example.com");
    }

    @Test
    void nameCannotBeClearedOrBlanked() {
        TestTenant tenant = server.newTenant();
        long id = tenant.organization("Sales");

        assertBadRequest(update(tenant, id, "{\"name\":null}"), "name");
        assertBadRequest(update(tenant, id, Map.of("name", " ")), "name");
        assertThat(tenant.organizationSettings(id).get("name").asText()).isEqualTo("Sales");
    }

    @Test
    void rejectedUpdateChangesNothing() {
        TestTenant tenant = server.newTenant();
        JsonNode before = create(tenant, fullSettings("Sales")).json();
        long id = before.get("id").asLong();

        var body = new LinkedHashMap<String, Object>();
        body.put("name", "Renamed");
        body.put("greeting", "Changed");
        body.put("allowedOrigins", new ArrayList<>(List.of("https://new.example.com")));
        body.put("themeColor", "not-a-colour");
        assertBadRequest(update(tenant, id, body), "themeColor");
        assertBadRequest(update(tenant, id, Map.of("name", "Renamed", "businessHours", Map.of("timezone", "Nowhere/City"))),
                "businessHours.timezone");
        assertBadRequest(update(tenant, id, Map.of("name", "Renamed", "allowedOrigins", List.of("https://ok.example.com", "bad"))),
                "allowedOrigins");
        assertBadRequest(update(tenant, id, "{\"name\":\"Renamed\","), "body");

        assertThat(tenant.organizationSettings(id)).isEqualTo(before);
    }

    @Test
    void concurrentUpdatesOfDifferentFieldsAreAllKept() throws Exception {
        TestTenant tenant = server.newTenant();
        long id = create(tenant, fullSettings("Sales")).json().get("id").asLong();
        List<Map<String, Object>> changes = List.of(
                Map.of("greeting", "New greeting"),
                Map.of("themeColor", "#000000"),
                Map.of("offlineContact", "call us"),
                Map.of("defaultLanguage", "nl"),
                Map.of("allowedOrigins", List.of("https://new.example.com")),
                Map.of("name", "Sales NL"));

        var start = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (var change : changes) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return update(tenant, id, change);
                }));
            }
            start.countDown();
            for (var f : futures) assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        }

        JsonNode after = tenant.organizationSettings(id);
        assertThat(after.get("greeting").asText()).isEqualTo("New greeting");
        assertThat(after.get("themeColor").asText()).isEqualTo("#000000");
        assertThat(after.get("offlineContact").asText()).isEqualTo("call us");
        assertThat(after.get("defaultLanguage").asText()).isEqualTo("nl");
        assertThat(after.get("allowedOrigins")).extracting(JsonNode::asText).containsExactly("https://new.example.com");
        assertThat(after.get("name").asText()).isEqualTo("Sales NL");
    }

    @Test
    void updateOfAnUnknownOrganizationIs404() {
        TestTenant tenant = server.newTenant();

        assertNotFound(update(tenant, 987_654_321L, Map.of("name", "X")));
    }

    @Test
    void updateOfAnotherCompanysOrganizationIs403AndChangesNothing() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        JsonNode theirs = create(other, fullSettings("Theirs")).json();
        long id = theirs.get("id").asLong();

        var r = update(mine, id, Map.of("name", "Hijacked", "allowedOrigins", List.of("https://evil.example")));

        assertForbidden(r);
        assertThat(r.text()).doesNotContain("crm.example.com");
        assertThat(other.organizationSettings(id)).isEqualTo(theirs);
    }

    // --- delete

    @Test
    void deleteRemovesTheOrganizationAndItsOperators() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long support = tenant.organization("Support");
        long anna = tenant.operator(sales, "Anna");
        String annasToken = tenant.operatorToken(anna);

        var r = server.api().delete(PATH + "/" + sales).bearer(tenant.token()).send();

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertNotFound(server.api().get(PATH + "/" + sales).bearer(tenant.token()).send());
        assertThat(list(tenant)).extracting(o -> o.get("id").asLong()).containsExactly(support);
        assertNotFound(server.api().get("/api/operator?organizationId=" + sales).bearer(tenant.token()).send());
        assertThat(server.api().get("/api/operator").bearer(tenant.token()).send().json()).isEmpty();
        assertInvalidToken(server.api().get("/api/operator").bearer(annasToken).send());
        assertNotFound(server.api().post("/api/operator/status").bearer(tenant.token())
                .json(Map.of("id", anna, "status", 0)).send());
    }

    @Test
    void deleteOfAnUnknownOrganizationIs404() {
        TestTenant tenant = server.newTenant();

        assertNotFound(server.api().delete(PATH + "/987654321").bearer(tenant.token()).send());
    }

    @Test
    void deleteOfAnotherCompanysOrganizationIs403AndKeepsIt() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long theirs = other.organization("Theirs");
        long operator = other.operator(theirs, "Their operator");

        assertForbidden(server.api().delete(PATH + "/" + theirs).bearer(mine.token()).send());

        assertThat(other.organizationSettings(theirs).get("name").asText()).isEqualTo("Theirs");
        assertThat(other.operators(theirs)).extracting(o -> o.get("id").asLong()).containsExactly(operator);
    }
}
