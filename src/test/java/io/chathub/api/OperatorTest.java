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

/** {@code GET /api/operator}, {@code POST /api/operator/synchronize} and {@code POST /api/operator/status}. */
class OperatorTest extends ServerTest {
    private static Api.Response list(String token, Object organizationId) {
        return server.api().get("/api/operator?organizationId=" + organizationId).bearer(token).send();
    }

    private static Api.Response synchronize(TestTenant tenant, Object body) {
        return server.api().post("/api/operator/synchronize").bearer(tenant.token()).json(body).send();
    }

    private static Api.Response status(TestTenant tenant, Object body) {
        return server.api().post("/api/operator/status").bearer(tenant.token()).json(body).send();
    }

    private static Map<String, Object> item(long organizationId, String name, String externalId) {
        var m = new LinkedHashMap<String, Object>();
        m.put("organizationId", organizationId);
        m.put("name", name);
        if (externalId != null) m.put("externalId", externalId);
        return m;
    }

    // --- list

    @Test
    void listShowsTheOrganizationsOperatorsWithTheirOrganization() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long support = tenant.organization("Support");
        long anna = tenant.operator(sales, "Anna");
        long bram = tenant.operator(sales, "Bram");
        tenant.operator(support, "Chris");

        var r = list(tenant.token(), sales);

        assertThat(r.status()).isEqualTo(200);
        JsonNode ops = r.json();
        assertThat(ops).extracting(o -> o.get("id").asLong()).containsExactly(anna, bram);
        JsonNode first = ops.get(0);
        assertThat(first.get("name").asText()).isEqualTo("Anna");
        assertThat(first.get("status").asInt()).isZero();
        assertThat(first.at("/organization/id").asLong()).isEqualTo(sales);
        assertThat(first.at("/organization/name").asText()).isEqualTo("Sales");
        assertThat(first.has("companyId")).isFalse();
    }

    @Test
    void anOperatorIsListedOnlineWhileAHubConnectionOfTheirsIsOpenAndOfflineOnceItCloses() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long anna = tenant.operator(sales, "Anna");
        long bram = tenant.operator(sales, "Bram");
        assertThat(list(tenant.token(), sales).json()).extracting(o -> o.get("online").asBoolean()).containsExactly(false, false);

        try (var hub = server.connect(tenant.operatorToken(anna), "Anna")) {
            JsonNode ops = list(tenant.token(), sales).json();
            assertThat(ops).extracting(o -> o.get("id").asLong() + ":" + o.get("online").asBoolean())
                    .containsExactly(anna + ":true", bram + ":false");
            assertThat(ops.get(0).at("/organization/id").asLong()).isEqualTo(sales);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list(tenant.token(), sales).json().get(0).get("online").asBoolean()) {
            assertThat(System.nanoTime()).as("Anna offline after her connection closed").isLessThan(deadline);
            try { Thread.sleep(50); } catch (InterruptedException e) { throw new AssertionError(e); }
        }
    }

    @Test
    void listWithoutOrganizationGivesAllOfTheCompanysOperators() {
        TestTenant tenant = server.newTenant();
        TestTenant other = server.newTenant();
        long anna = tenant.operator(tenant.organization("Sales"), "Anna");
        long chris = tenant.operator(tenant.organization("Support"), "Chris");
        other.operator(other.organization("Elsewhere"), "Not mine");

        var r = server.api().get("/api/operator").bearer(tenant.token()).send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).extracting(o -> o.get("id").asLong()).containsExactly(anna, chris);
    }

    @Test
    void listAnswersJsonEvenWhenTextPlainIsAccepted() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        tenant.operator(sales, "Anna");

        var r = server.api().get("/api/operator?organizationId=" + sales).bearer(tenant.token()).accept("text/plain").send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().get(0).get("name").asText()).isEqualTo("Anna");
    }

    @Test
    void operatorTokenListsItsOwnOrganization() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long support = tenant.organization("Support");
        long anna = tenant.operator(sales, "Anna");
        long bram = tenant.operator(sales, "Bram");
        tenant.operator(support, "Chris");
        String op = tenant.operatorToken(anna);

        var withFilter = list(op, sales);
        var withoutFilter = server.api().get("/api/operator").bearer(op).send();

        assertThat(withFilter.json()).extracting(o -> o.get("id").asLong()).containsExactly(anna, bram);
        assertThat(withoutFilter.json()).extracting(o -> o.get("id").asLong()).containsExactly(anna, bram);
    }

    @Test
    void operatorCannotListAnotherOrganizationOfItsCompany() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long support = tenant.organization("Support");
        tenant.operator(support, "Chris the secret");
        String op = tenant.operatorToken(tenant.operator(sales, "Anna"));

        var r = list(op, support);

        assertForbidden(r);
        assertThat(r.text()).doesNotContain("Chris");
    }

    @Test
    void operatorOfAnotherCompanyCannotListOperators() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long myOrg = mine.organization("Sales");
        mine.operator(myOrg, "Anna the secret");
        String theirOperator = other.operatorToken(other.operator(other.organization("Theirs"), "Eve"));

        var r = list(theirOperator, myOrg);

        assertForbidden(r);
        assertThat(r.text()).doesNotContain("Anna");
    }

    @Test
    void companyCannotListAnotherCompanysOrganization() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long theirs = other.organization("Theirs");
        other.operator(theirs, "Their secret operator");

        var r = list(mine.token(), theirs);

        assertForbidden(r);
        assertThat(r.text()).doesNotContain("secret");
    }

    @Test
    void listOfAnUnknownOrganizationIs404() {
        assertNotFound(list(server.newTenant().token(), 987_654_321L));
    }

    @Test
    void listWithANonNumericOrganizationIdIs400NamingIt() {
        TestTenant tenant = server.newTenant();

        assertBadRequest(list(tenant.token(), "abc"), "organizationId");
        assertBadRequest(list(tenant.token(), "-1"), "organizationId");
    }

    @Test
    void listWithoutTokenIs401() {
        assertInvalidToken(server.api().get("/api/operator").send());
    }

    // --- synchronize

    @Test
    void synchronizeCreatesOperatorsAndAnswersInRequestOrder() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long support = tenant.organization("Support");

        var r = synchronize(tenant, List.of(item(support, "Zoe", "z-1"), item(sales, "Anna", null), item(support, "Chris", "c-1")));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode out = r.json();
        assertThat(out).extracting(o -> o.get("name").asText()).containsExactly("Zoe", "Anna", "Chris");
        for (JsonNode o : out) {
            assertThat(o.properties()).extracting(Map.Entry::getKey).containsExactly("id", "name", "status");
            assertThat(o.get("id").asLong()).isPositive();
            assertThat(o.get("status").asInt()).isZero();
        }
        assertThat(tenant.operators(support)).extracting(o -> o.get("id").asLong())
                .containsExactlyInAnyOrder(out.get(0).get("id").asLong(), out.get(2).get("id").asLong());
        assertThat(tenant.operators(sales)).extracting(o -> o.get("id").asLong()).containsExactly(out.get(1).get("id").asLong());
    }

    @Test
    void synchronizeStoresTheProfileFields() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        var body = new LinkedHashMap<String, Object>(item(sales, "Anna", "crm-7"));
        body.put("email", "anna@example.com");
        body.put("photo", "https://cdn.example.com/anna.png");
        body.put("maxChats", 12);

        synchronize(tenant, List.of(body));

        JsonNode anna = tenant.operators(sales).get(0);
        assertThat(anna.get("externalId").asText()).isEqualTo("crm-7");
        assertThat(anna.get("email").asText()).isEqualTo("anna@example.com");
        assertThat(anna.get("photo").asText()).isEqualTo("https://cdn.example.com/anna.png");
        assertThat(anna.get("maxChats").asInt()).isEqualTo(12);
    }

    @Test
    void synchronizeWithTheSameExternalIdUpdatesInsteadOfDuplicating() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long id = synchronize(tenant, List.of(item(sales, "Anna", "crm-1"))).json().get(0).get("id").asLong();

        var r = synchronize(tenant, List.of(item(sales, "Anna Kovalenko", "crm-1")));

        assertThat(r.json().get(0).get("id").asLong()).isEqualTo(id);
        assertThat(r.json().get(0).get("name").asText()).isEqualTo("Anna Kovalenko");
        assertThat(tenant.operators(sales)).hasSize(1);
        assertThat(tenant.operators(sales).get(0).get("name").asText()).isEqualTo("Anna Kovalenko");
    }

    @Test
    void pascalCaseFieldNamesAreAcceptedAsAspNetDoes() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");

        var r = synchronize(tenant, List.of(Map.of("OrganizationId", sales, "Name", "Anna", "ExternalId", "crm-1")));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(tenant.operators(sales).get(0).get("externalId").asText()).isEqualTo("crm-1");
        long id = r.json().get(0).get("id").asLong();
        assertThat(status(tenant, Map.of("Id", id, "Status", 1)).status()).isEqualTo(200);
        assertThat(tenant.operators(sales).get(0).get("status").asInt()).isEqualTo(1);
    }

    @Test
    void synchronizeWithoutExternalIdMatchesByName() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long id = tenant.operator(sales, "Anna");
        var body = new LinkedHashMap<String, Object>(item(sales, "Anna", null));
        body.put("email", "anna@example.com");

        var r = synchronize(tenant, List.of(body));

        assertThat(r.json().get(0).get("id").asLong()).isEqualTo(id);
        assertThat(tenant.operators(sales)).hasSize(1);
        assertThat(tenant.operators(sales).get(0).get("email").asText()).isEqualTo("anna@example.com");
    }

    @Test
    void operatorsWithOneNameButDifferentExternalIdsAreDistinct() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");

        var r = synchronize(tenant, List.of(item(sales, "Alex", "a-1"), item(sales, "Alex", "a-2")));

        assertThat(r.json().get(0).get("id").asLong()).isNotEqualTo(r.json().get(1).get("id").asLong());
        assertThat(tenant.operators(sales)).hasSize(2);
    }

    @Test
    void theSameExternalIdInTwoOrganizationsIsTwoOperators() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long support = tenant.organization("Support");

        var r = synchronize(tenant, List.of(item(sales, "Anna", "crm-1"), item(support, "Anna", "crm-1")));

        assertThat(r.json().get(0).get("id").asLong()).isNotEqualTo(r.json().get(1).get("id").asLong());
        assertThat(tenant.operators(sales)).hasSize(1);
        assertThat(tenant.operators(support)).hasSize(1);
    }

    @Test
    void synchronizeKeepsTheStatusOfExistingOperators() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long id = tenant.operator(sales, "Anna");
        tenant.setStatus(id, 1);

        var r = synchronize(tenant, List.of(item(sales, "Anna", null)));

        assertThat(r.json().get(0).get("id").asLong()).isEqualTo(id);
        assertThat(r.json().get(0).get("status").asInt()).isEqualTo(1);
    }

    @Test
    void synchronizeWithBadInputIs400NamingTheItemField() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        var noName = new LinkedHashMap<String, Object>();
        noName.put("organizationId", sales);
        var maxChats = new LinkedHashMap<String, Object>(item(sales, "Anna", null));
        maxChats.put("maxChats", 1001);
        var maxChatsText = new LinkedHashMap<String, Object>(item(sales, "Anna", null));
        maxChatsText.put("maxChats", "5");
        var emailNumber = new LinkedHashMap<String, Object>(item(sales, "Anna", null));
        emailNumber.put("email", 5);

        assertBadRequest(synchronize(tenant, List.of(item(sales, "Ok", null), noName)), "[1].name");
        assertBadRequest(synchronize(tenant, List.of(Map.of("organizationId", sales, "name", "  "))), "[0].name");
        assertBadRequest(synchronize(tenant, List.of(Map.of("organizationId", sales, "name", "x".repeat(201)))), "[0].name");
        assertBadRequest(synchronize(tenant, List.of(Map.of("name", "Anna"))), "[0].organizationId");
        assertBadRequest(synchronize(tenant, List.of(Map.of("organizationId", String.valueOf(sales), "name", "Anna"))), "[0].organizationId");
        assertBadRequest(synchronize(tenant, List.of(Map.of("organizationId", 1.5, "name", "Anna"))), "[0].organizationId");
        assertBadRequest(synchronize(tenant, List.of(Map.of("organizationId", sales, "name", 42))), "[0].name");
        assertBadRequest(synchronize(tenant, List.of(maxChats)), "[0].maxChats");
        assertBadRequest(synchronize(tenant, List.of(maxChatsText)), "[0].maxChats");
        assertBadRequest(synchronize(tenant, List.of(emailNumber)), "[0].email");
        assertBadRequest(synchronize(tenant, List.of(item(sales, "Ok", null), item(987_654_321L, "Lost", null))), "[1].organizationId");
        assertBadRequest(synchronize(tenant, List.of()), "body");
        assertBadRequest(synchronize(tenant, Map.of("organizationId", sales, "name", "Anna")), "body");
        assertBadRequest(synchronize(tenant, List.of("Anna")), "[0]");
        assertBadRequest(synchronize(tenant, "[{\"organizationId\":" + sales + ",\"name\":\"Anna\""), "body");

        assertThat(tenant.operators(sales)).isEmpty();
    }

    @Test
    void nulCharactersAre400OnEveryDatabaseAndCreateNothing() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");

        assertBadRequest(synchronize(tenant, List.of(item(sales, "Anna", null), item(sales, "Bram\u0000", null))), "[1].name");
        assertBadRequest(synchronize(tenant, List.of(item(sales, "Anna", "crm\u0000"))), "[0].externalId");

        assertThat(tenant.operators(sales)).isEmpty();
    }

    @Test
    void unicodeNamesRoundTripAndMatchOnResynchronize() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Продажі");
        long id = tenant.operator(sales, "Анна Коваленко 😀");

        var r = synchronize(tenant, List.of(item(sales, "Анна Коваленко 😀", null), item(sales, "Şule Yılmaz", null)));

        assertThat(r.json().get(0).get("id").asLong()).isEqualTo(id);
        JsonNode listed = tenant.operators(sales);
        assertThat(listed).extracting(o -> o.get("name").asText()).containsExactly("Анна Коваленко 😀", "Şule Yılmaz");
        assertThat(listed.get(0).at("/organization/name").asText()).isEqualTo("Продажі");
    }

    @Test
    void rejectedSynchronizeChangesNothing() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        synchronize(tenant, List.of(item(sales, "Anna", "crm-1"), item(sales, "Bram", null)));
        JsonNode before = tenant.operators(sales);

        var r = synchronize(tenant, List.of(
                item(sales, "Anna Renamed", "crm-1"),
                item(sales, "Dana", "crm-4"),
                Map.of("organizationId", sales, "name", "Bad", "maxChats", -1)));

        assertBadRequest(r, "[2].maxChats");
        assertThat(tenant.operators(sales)).isEqualTo(before);
    }

    @Test
    void synchronizeIntoAnotherCompanysOrganizationIs403AndChangesNothing() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long myOrg = mine.organization("Sales");
        long theirs = other.organization("Theirs");
        other.operator(theirs, "Eve");
        JsonNode before = other.operators(theirs);

        var r = synchronize(mine, List.of(item(myOrg, "Anna", null), item(theirs, "Eve", null), item(theirs, "Mallory", null)));

        assertForbidden(r);
        assertThat(other.operators(theirs)).isEqualTo(before);
        assertThat(mine.operators(myOrg)).isEmpty();
    }

    @Test
    void concurrentSynchronizeOfTheSameOperatorsCreatesThemOnce() throws Exception {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        var body = List.of(item(sales, "Anna", "crm-1"), item(sales, "Bram", null));
        int n = 6;

        var start = new CountDownLatch(1);
        List<Api.Response> answers = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return synchronize(tenant, body);
                }));
            }
            start.countDown();
            for (var f : futures) answers.add(f.get(60, TimeUnit.SECONDS));
        }

        for (Api.Response r : answers) assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(answers).extracting(r -> r.json().toString()).containsOnly(answers.getFirst().json().toString());
        assertThat(tenant.operators(sales)).extracting(o -> o.get("name").asText()).containsExactly("Anna", "Bram");
    }

    // --- status

    @Test
    void statusChangeAnswers200WithEmptyBodyAndShowsInTheList() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long anna = tenant.operator(sales, "Anna");

        for (int s : new int[] {1, 2, 0}) {
            var r = status(tenant, Map.of("id", anna, "status", s));

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.text()).isEmpty();
            assertThat(tenant.operators(sales).get(0).get("status").asInt()).isEqualTo(s);
        }
    }

    @Test
    void statusMayBeGivenByItsName() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long anna = tenant.operator(sales, "Anna");

        assertThat(status(tenant, Map.of("id", anna, "status", "Inactive")).status()).isEqualTo(200);
        assertThat(tenant.operators(sales).get(0).get("status").asInt()).isEqualTo(1);
        assertThat(status(tenant, Map.of("id", anna, "status", "active")).status()).isEqualTo(200);
        assertThat(tenant.operators(sales).get(0).get("status").asInt()).isZero();
        assertBadRequest(status(tenant, Map.of("id", anna, "status", "Retired")), "status");
        assertThat(tenant.operators(sales).get(0).get("status").asInt()).isZero();
    }

    @Test
    void statusWithBadInputIs400NamingTheFieldAndChangesNothing() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long anna = tenant.operator(sales, "Anna");

        assertBadRequest(status(tenant, Map.of("id", anna, "status", 3)), "status");
        assertBadRequest(status(tenant, Map.of("id", anna, "status", -1)), "status");
        assertBadRequest(status(tenant, Map.of("id", anna, "status", "1")), "status");
        assertBadRequest(status(tenant, Map.of("id", anna, "status", 1.5)), "status");
        assertBadRequest(status(tenant, Map.of("id", anna)), "status");
        assertBadRequest(status(tenant, Map.of("status", 1)), "id");
        assertBadRequest(status(tenant, Map.of("id", String.valueOf(anna), "status", 1)), "id");
        assertBadRequest(status(tenant, "{\"id\":" + anna + ",\"status\":"), "body");

        assertThat(tenant.operators(sales).get(0).get("status").asInt()).isZero();
    }

    @Test
    void statusOfAnUnknownOperatorIs404() {
        assertNotFound(status(server.newTenant(), Map.of("id", 987_654_321L, "status", 1)));
    }

    @Test
    void statusOfAnotherCompanysOperatorIs403AndChangesNothing() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long theirs = other.organization("Theirs");
        long eve = other.operator(theirs, "Eve");
        String evesToken = other.operatorToken(eve);

        assertForbidden(status(mine, Map.of("id", eve, "status", 2)));

        assertThat(other.operators(theirs).get(0).get("status").asInt()).isZero();
        assertThat(server.api().get("/api/operator").bearer(evesToken).send().status()).isEqualTo(200);
    }
}
