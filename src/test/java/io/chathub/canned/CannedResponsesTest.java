package io.chathub.canned;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertNotFound;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Canned responses: managed by the company per organization, read by that organization's operators. */
class CannedResponsesTest extends ServerTest {
    private static String base(long org) {
        return "/api/company/organization/" + org + "/canned-responses";
    }

    private static Api.Response create(TestTenant t, long org, Object body) {
        return t.api().post(base(org)).bearer(t.token()).json(body).send();
    }

    @Test
    void theCompanyManagesAnOrganizationsCannedResponsesAndItsOperatorsReadThem() {
        TestTenant t = server.newTenant();
        long sales = t.organization("Sales");
        long support = t.organization("Support");
        var hello = create(t, sales, Map.of("shortcut", "hello", "text", "Hi! How can I help?"));
        assertThat(hello.status()).isEqualTo(201);
        JsonNode h = hello.json();
        assertThat(h.get("organizationId").asLong()).isEqualTo(sales);
        assertThat(h.get("shortcut").asText()).isEqualTo("hello");
        create(t, sales, Map.of("shortcut", "bye_1", "text", "Bye!"));
        create(t, support, Map.of("shortcut", "hello", "text", "Support says hi")); // the same shortcut elsewhere
        long id = h.get("id").asLong();

        var changed = t.api().put(base(sales) + "/" + id).bearer(t.token()).json(Map.of("text", "Hello there")).send();
        assertThat(changed.json().get("text").asText()).isEqualTo("Hello there");
        assertThat(changed.json().get("shortcut").asText()).isEqualTo("hello");

        String op = t.operatorToken(t.operator(sales, "Anna"));
        var mine = t.api().get("/api/canned-responses").bearer(op).send();
        assertThat(mine.json()).extracting(c -> c.get("shortcut").asText()).containsExactly("bye_1", "hello");
        assertThat(t.api().get(base(sales)).bearer(op).send().json()).hasSize(2);
        assertForbidden(t.api().get(base(support)).bearer(op).send());
        assertForbidden(t.api().post(base(sales)).bearer(op).json(Map.of("shortcut", "x", "text", "y")).send());
        assertForbidden(t.api().get("/api/canned-responses").bearer(t.token()).send());

        assertThat(t.api().delete(base(sales) + "/" + id).bearer(t.token()).send().status()).isEqualTo(200);
        assertNotFound(t.api().delete(base(sales) + "/" + id).bearer(t.token()).send());
        assertThat(t.api().get("/api/canned-responses").bearer(op).send().json()).hasSize(1);

        JsonNode audit = t.api().get("/api/company/audit").bearer(t.token()).send().json().get("items");
        assertThat(audit).extracting(e -> e.get("action").asText()).filteredOn(a -> a.startsWith("canned."))
                .containsExactly("canned.delete", "canned.update", "canned.create", "canned.create", "canned.create");
    }

    @Test
    void aShortcutIsUniqueInItsOrganization() {
        TestTenant t = server.newTenant();
        long org = t.organization("Sales");
        create(t, org, Map.of("shortcut", "hello", "text", "one"));
        long other = create(t, org, Map.of("shortcut", "other", "text", "two")).json().get("id").asLong();

        assertProblem(create(t, org, Map.of("shortcut", "hello", "text", "again")), 409);
        var clash = t.api().put(base(org) + "/" + other).bearer(t.token()).json(Map.of("shortcut", "hello")).send();
        assertProblem(clash, 409);
        assertThat(clash.json().get("field").asText()).isEqualTo("shortcut");
        assertThat(t.api().get(base(org)).bearer(t.token()).send().json()).extracting(c -> c.get("shortcut").asText())
                .containsExactly("hello", "other");
    }

    @Test
    void badInputIs400AndChangesNothing() {
        TestTenant t = server.newTenant();
        long org = t.organization("Sales");
        assertBadRequest(create(t, org, Map.of("shortcut", "Hello", "text", "x")), "shortcut");
        assertBadRequest(create(t, org, Map.of("shortcut", "with space", "text", "x")), "shortcut");
        assertBadRequest(create(t, org, Map.of("shortcut", "", "text", "x")), "shortcut");
        assertBadRequest(create(t, org, Map.of("shortcut", "a".repeat(33), "text", "x")), "shortcut");
        assertBadRequest(create(t, org, Map.of("text", "x")), "shortcut");
        assertBadRequest(create(t, org, Map.of("shortcut", "ok", "text", "  ")), "text");
        assertBadRequest(create(t, org, Map.of("shortcut", "ok", "text", "x".repeat(2001))), "text");
        assertBadRequest(create(t, org, Map.of("shortcut", "ok", "text", 5)), "text");
        assertThat(create(t, org, Map.of("shortcut", "a".repeat(32), "text", "x".repeat(2000))).status()).isEqualTo(201);
        long id = create(t, org, Map.of("shortcut", "ok", "text", "fine")).json().get("id").asLong();
        assertBadRequest(t.api().put(base(org) + "/" + id).bearer(t.token()).json(Map.of()).send(), "shortcut");
        assertBadRequest(t.api().put(base(org) + "/abc").bearer(t.token()).json(Map.of("text", "x")).send(), "cid");
        assertThat(t.api().get(base(org)).bearer(t.token()).send().json()).hasSize(2);
    }

    @Test
    void anotherCompanysCannedResponsesAreOutOfReach() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long theirOrg = other.organization("Theirs");
        long theirs = create(other, theirOrg, Map.of("shortcut", "secret", "text", "their secret")).json().get("id").asLong();
        long myOrg = mine.organization("Mine");

        var read = mine.api().get(base(theirOrg)).bearer(mine.token()).send();
        assertForbidden(read);
        assertThat(read.text()).doesNotContain("their secret");
        assertForbidden(create(mine, theirOrg, Map.of("shortcut", "x", "text", "y")));
        assertForbidden(mine.api().put(base(theirOrg) + "/" + theirs).bearer(mine.token()).json(Map.of("text", "mine")).send());
        assertNotFound(mine.api().put(base(myOrg) + "/" + theirs).bearer(mine.token()).json(Map.of("text", "mine")).send());
        assertNotFound(mine.api().delete(base(myOrg) + "/" + theirs).bearer(mine.token()).send());
        String theirOperator = other.operatorToken(other.operator(theirOrg, "Eve"));
        assertForbidden(mine.api().get(base(myOrg)).bearer(theirOperator).send());
        assertThat(other.api().get(base(theirOrg)).bearer(other.token()).send().json().get(0).get("text").asText()).isEqualTo("their secret");
    }
}
