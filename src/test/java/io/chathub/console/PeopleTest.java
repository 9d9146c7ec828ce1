package io.chathub.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ConsoleBrowser;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertNotFound;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Administrators (owner, admin, viewer), operator sign-in, and the audit log of what they change. */
class PeopleTest extends ServerTest {
    private static final String PW = "admin password 1";

    private static Api.Response createAdmin(TestTenant t, String login, String role) {
        return t.api().post("/api/company/admins").bearer(t.token()).json(Map.of("login", login, "password", PW, "role", role)).send();
    }

    private static long admin(TestTenant t, String role) {
        String login = role + "-" + TestServerLogins.next() + "@acme.example";
        var r = createAdmin(t, login, role);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private static ConsoleBrowser signInAs(TestTenant t, String role) {
        String login = role + "-" + TestServerLogins.next() + "@acme.example";
        assertThat(createAdmin(t, login, role).status()).isEqualTo(201);
        return ConsoleBrowser.signIn(server.api(), login, PW);
    }

    /** Unique logins within the run. */
    static final class TestServerLogins {
        private static final java.util.concurrent.atomic.AtomicInteger N = new java.util.concurrent.atomic.AtomicInteger();

        static String next() {
            return java.util.UUID.randomUUID().toString().substring(0, 8) + N.incrementAndGet();
        }
    }

    @Test
    void theOwnerCreatesListsChangesAndDeletesAdministrators() {
        TestTenant t = server.newTenant();
        var created = createAdmin(t, "Ann@Acme.example", "admin");
        assertThat(created.status()).isEqualTo(201);
        JsonNode ann = created.json();
        assertThat(ann.get("login").asText()).isEqualTo("ann@acme.example");
        assertThat(ann.get("role").asText()).isEqualTo("admin");
        assertThat(ann.has("passwordHash")).isFalse();
        assertThat(created.text()).doesNotContain("argon2");
        long id = ann.get("id").asLong();

        var list = t.api().get("/api/company/admins").bearer(t.token()).send();
        assertThat(list.json()).extracting(a -> a.get("id").asLong()).containsExactly(id);

        var changed = t.api().put("/api/company/admins/" + id).bearer(t.token()).json(Map.of("role", "viewer")).send();
        assertThat(changed.json().get("role").asText()).isEqualTo("viewer");

        assertThat(t.api().delete("/api/company/admins/" + id).bearer(t.token()).send().status()).isEqualTo(200);
        assertNotFound(t.api().delete("/api/company/admins/" + id).bearer(t.token()).send());
        assertThat(t.api().get("/api/company/admins").bearer(t.token()).send().json()).isEmpty();
    }

    @Test
    void badAdministratorInputIs400AndChangesNothing() {
        TestTenant t = server.newTenant();
        assertBadRequest(createAdmin(t, "x", "admin"), "login");
        assertBadRequest(createAdmin(t, "has space@x", "admin"), "login");
        assertBadRequest(createAdmin(t, "ok-login-" + TestServerLogins.next(), "owner"), "role");
        assertBadRequest(t.api().post("/api/company/admins").bearer(t.token())
                .json(Map.of("login", "short-pw-" + TestServerLogins.next(), "password", "short", "role", "admin")).send(), "password");
        assertBadRequest(t.api().post("/api/company/admins").bearer(t.token()).json(Map.of("login", "no-pw")).send(), "password");
        long id = admin(t, "admin");
        assertBadRequest(t.api().put("/api/company/admins/" + id).bearer(t.token()).json(Map.of("role", "root")).send(), "role");
        assertBadRequest(t.api().put("/api/company/admins/" + id).bearer(t.token()).json(Map.of()).send(), "role");
        assertBadRequest(t.api().put("/api/company/admins/01").bearer(t.token()).json(Map.of("role", "admin")).send(), "id");
        assertThat(t.api().get("/api/company/admins").bearer(t.token()).send().json()).hasSize(1);
    }

    @Test
    void aLoginIsUniqueAcrossCompaniesAdministratorsAndOperators() {
        TestTenant t = server.newTenant();
        TestTenant other = server.newTenant();
        String login = "dup-" + TestServerLogins.next() + "@acme.example";
        assertThat(createAdmin(t, login, "admin").status()).isEqualTo(201);

        assertProblem(createAdmin(other, login.toUpperCase(), "viewer"), 409);
        assertProblem(createAdmin(t, other.login(), "viewer"), 409);
        long org = t.organization("Sales");
        long op = t.operator(org, "Olga");
        var opLogin = t.api().put("/api/company/organization/" + org + "/operators/" + op + "/password").bearer(t.token())
                .json(Map.of("email", login, "password", PW)).send();
        assertProblem(opLogin, 409);
    }

    @Test
    void aNewCompanyCannotTakeAnAdministratorsLogin() {
        TestTenant t = server.newTenant();
        String login = "taken-" + TestServerLogins.next() + "@acme.example";
        assertThat(createAdmin(t, login, "admin").status()).isEqualTo(201);
        var companies = new io.chathub.company.CompanyService(new io.chathub.company.JdbiCompanyStore(server.hub().database()),
                null, null, null, null);

        var e = org.assertj.core.api.Assertions.catchThrowableOfType(io.chathub.web.ApiException.class,
                () -> companies.create(login.toUpperCase(), "a long password", "Squatter"));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.field()).isEqualTo("login");
    }

    @Test
    void onlyTheOwnerManagesAdministrators() {
        TestTenant t = server.newTenant();
        long someone = admin(t, "viewer");
        ConsoleBrowser admin = signInAs(t, "admin");

        assertThat(admin.get("/api/company/admins").status()).isEqualTo(200);
        assertForbidden(admin.post("/api/company/admins", Map.of("login", "new-" + TestServerLogins.next(), "password", PW, "role", "admin")));
        assertForbidden(admin.put("/api/company/admins/" + someone, Map.of("role", "admin")));
        assertForbidden(admin.delete("/api/company/admins/" + someone));

        ConsoleBrowser owner = ConsoleBrowser.signIn(server.api(), t.login(), t.password());
        assertThat(owner.session().get("role").asText()).isEqualTo("owner");
        assertThat(owner.put("/api/company/admins/" + someone, Map.of("role", "admin")).status()).isEqualTo(200);
    }

    @Test
    void anAdministratorChangesWhatACompanyTokenMay() {
        TestTenant t = server.newTenant();
        ConsoleBrowser admin = signInAs(t, "admin");
        assertThat(admin.session().get("role").asText()).isEqualTo("admin");
        assertThat(admin.session().get("adminId").asLong()).isPositive();

        var org = admin.post("/api/company/organization", Map.of("name", "Made by an admin"));
        assertThat(org.status()).isEqualTo(201);
        long orgId = org.json().get("id").asLong();
        var sync = admin.post("/api/operator/synchronize", List.of(Map.of("organizationId", orgId, "name", "Anna")));
        assertThat(sync.status()).isEqualTo(200);
    }

    @Test
    void aViewerReadsEverythingAndChangesNothing() {
        TestTenant t = server.newTenant();
        long org = t.organization("Sales");
        long op = t.operator(org, "Anna");
        long chat = t.newChat(org);
        ConsoleBrowser viewer = signInAs(t, "viewer");
        assertThat(viewer.session().get("role").asText()).isEqualTo("viewer");

        assertThat(viewer.get("/api/company/organization/" + org).status()).isEqualTo(200);
        assertThat(viewer.get("/api/operator?organizationId=" + org).status()).isEqualTo(200);
        assertThat(viewer.get("/api/chat/chats/" + chat).status()).isEqualTo(200);
        assertThat(viewer.get("/api/company/audit").status()).isEqualTo(200);

        assertForbidden(viewer.post("/api/company/organization", Map.of("name", "X")));
        assertForbidden(viewer.put("/api/company/organization/" + org, Map.of("name", "X")));
        assertForbidden(viewer.delete("/api/company/organization/" + org));
        assertForbidden(viewer.post("/api/operator/synchronize", List.of(Map.of("organizationId", org, "name", "Eve"))));
        assertForbidden(viewer.post("/api/operator/status", Map.of("id", op, "status", 1)));
        assertForbidden(viewer.post("/api/operator/get-token", Map.of("id", op, "expiresAt", Instant.now().plusSeconds(600).toString())));
        assertForbidden(viewer.post("/api/chat/" + chat + "/message", Map.of("textMessage", "hi")));
        assertForbidden(viewer.put("/api/chat/status", Map.of("id", chat, "status", 4)));
        assertForbidden(viewer.delete("/api/chat/chats/" + chat));
        assertForbidden(viewer.post("/api/company/webhooks", Map.of("url", "https://example.com/x", "events", List.of("chat.created"))));

        assertThat(t.api().get("/api/company/organization/" + org).bearer(t.token()).send().json().get("name").asText()).isEqualTo("Sales");
        assertThat(t.chat(chat).get("chatStatus").asInt()).isNotEqualTo(4);
        // a viewer may still sign out and change its own password
        assertThat(viewer.put("/console/api/session/password", Map.of("currentPassword", PW, "newPassword", "viewer password 2"))
                .status()).isEqualTo(200);
        assertThat(viewer.delete("/console/api/session").status()).isEqualTo(200);
    }

    @Test
    void aRoleChangeAppliesToSessionsAtOnceAndAResetOrDeletionEndsThem() {
        TestTenant t = server.newTenant();
        String login = "rc-" + TestServerLogins.next();
        long id = createAdmin(t, login, "admin").json().get("id").asLong();
        ConsoleBrowser b = ConsoleBrowser.signIn(server.api(), login, PW);

        t.api().put("/api/company/admins/" + id).bearer(t.token()).json(Map.of("role", "viewer")).send();
        assertForbidden(b.post("/api/company/organization", Map.of("name", "X")));
        assertThat(b.get("/console/api/session").json().get("role").asText()).isEqualTo("viewer");

        t.api().put("/api/company/admins/" + id).bearer(t.token()).json(Map.of("password", "reset password 9")).send();
        assertProblem(b.get("/console/api/session"), 401);
        assertProblem(ConsoleBrowser.signInResponse(server.api(), login, PW), 401);
        ConsoleBrowser again = ConsoleBrowser.signIn(server.api(), login, "reset password 9");

        t.api().delete("/api/company/admins/" + id).bearer(t.token()).send();
        assertProblem(again.get("/api/company/organization"), 401);
    }

    @Test
    void anotherCompanysAdministratorIsForbidden() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long theirs = admin(other, "admin");

        assertForbidden(mine.api().put("/api/company/admins/" + theirs).bearer(mine.token()).json(Map.of("role", "viewer")).send());
        assertForbidden(mine.api().delete("/api/company/admins/" + theirs).bearer(mine.token()).send());
        assertThat(mine.api().get("/api/company/admins").bearer(mine.token()).send().json()).isEmpty();
        assertThat(other.api().get("/api/company/admins").bearer(other.token()).send().json()).hasSize(1);
    }

    @Test
    void anOperatorTokenManagesNoAdministrators() {
        TestTenant t = server.newTenant();
        String op = t.operatorToken(t.operator(t.organization("Sales"), "Anna"));
        assertForbidden(t.api().get("/api/company/admins").bearer(op).send());
        assertForbidden(t.api().post("/api/company/admins").bearer(op).json(Map.of("login", "x-" + TestServerLogins.next(),
                "password", PW, "role", "admin")).send());
        assertForbidden(t.api().get("/api/company/audit").bearer(op).send());
    }

    // ---- operator sign-in

    private static Api.Response setOperatorLogin(TestTenant t, long org, long op, String email, String password) {
        return t.api().put("/api/company/organization/" + org + "/operators/" + op + "/password").bearer(t.token())
                .json(Map.of("email", email, "password", password)).send();
    }

    @Test
    void anOperatorSignsInWithItsEmailAndMintsPanelTokens() {
        TestTenant t = server.newTenant();
        long org = t.organization("Sales");
        long op = t.operator(org, "Olga");
        String email = "olga-" + TestServerLogins.next() + "@acme.example";
        var set = setOperatorLogin(t, org, op, email, PW);
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().get("email").asText()).isEqualTo(email);

        ConsoleBrowser b = ConsoleBrowser.signIn(server.api(), email, PW);
        JsonNode s = b.session();
        assertThat(s.get("role").asText()).isEqualTo("operator");
        assertThat(s.get("operatorId").asLong()).isEqualTo(op);
        assertThat(s.get("organizationId").asLong()).isEqualTo(org);

        assertThat(b.get("/api/chat/chats").status()).isEqualTo(200);
        assertForbidden(b.post("/api/company/organization", Map.of("name", "X"))); // an operator, not the company

        assertForbidden(b.bare("POST", "/console/api/operator-token").send());
        var minted = b.post("/console/api/operator-token", Map.of());
        assertThat(minted.status()).isEqualTo(200);
        String token = minted.json().get("token").asText();
        Instant expires = Instant.parse(minted.json().get("expiresAt").asText());
        assertThat(expires).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
        var validation = t.api().post("/api/operator/validate-token").bearer(t.token()).json(Map.of("token", token)).send();
        assertThat(validation.json().get("operatorId").asLong()).isEqualTo(op);
        assertThat(t.api().get("/api/chat/chats").bearer(token).send().status()).isEqualTo(200);
    }

    @Test
    void anAdministratorsSessionMintsNoOperatorToken() {
        TestTenant t = server.newTenant();
        assertForbidden(signInAs(t, "admin").post("/console/api/operator-token", Map.of()));
        assertForbidden(ConsoleBrowser.signIn(server.api(), t.login(), t.password()).post("/console/api/operator-token", Map.of()));
    }

    @Test
    void anOperatorsSessionEndsWhenItIsDeactivatedOrLosesItsSignIn() {
        TestTenant t = server.newTenant();
        long org = t.organization("Sales");
        long op = t.operator(org, "Olga");
        String email = "o-" + TestServerLogins.next() + "@acme.example";
        setOperatorLogin(t, org, op, email, PW);
        ConsoleBrowser b = ConsoleBrowser.signIn(server.api(), email, PW);

        t.setStatus(op, 1);
        assertProblem(b.get("/api/chat/chats"), 401);
        assertProblem(ConsoleBrowser.signInResponse(server.api(), email, PW), 401);
        t.setStatus(op, 0);
        ConsoleBrowser again = ConsoleBrowser.signIn(server.api(), email, PW);

        var removed = t.api().delete("/api/company/organization/" + org + "/operators/" + op + "/password").bearer(t.token()).send();
        assertThat(removed.status()).isEqualTo(200);
        assertProblem(again.get("/console/api/session"), 401);
        assertProblem(ConsoleBrowser.signInResponse(server.api(), email, PW), 401);
    }

    @Test
    void operatorSignInChecksItsInputAndTheTenant() {
        TestTenant t = server.newTenant();
        TestTenant other = server.newTenant();
        long org = t.organization("Sales");
        long support = t.organization("Support");
        long op = t.operator(org, "Olga");
        long theirOrg = other.organization("Theirs");
        long theirs = other.operator(theirOrg, "Eve");

        assertBadRequest(setOperatorLogin(t, org, op, "not-an-email", PW), "email");
        assertBadRequest(setOperatorLogin(t, org, op, "a@b.c", "short"), "password");
        assertBadRequest(t.api().put("/api/company/organization/" + org + "/operators/x/password").bearer(t.token())
                .json(Map.of("email", "a@b.c", "password", PW)).send(), "id");
        assertNotFound(setOperatorLogin(t, support, op, "olga@b.c", PW));
        assertForbidden(setOperatorLogin(t, theirOrg, theirs, "eve@b.c", PW));
        String opToken = t.operatorToken(op);
        assertForbidden(t.api().put("/api/company/organization/" + org + "/operators/" + op + "/password").bearer(opToken)
                .json(Map.of("email", "self@b.c", "password", PW)).send());
        assertProblem(ConsoleBrowser.signInResponse(server.api(), "olga@b.c", PW), 401);
    }

    // ---- audit

    @Test
    void administrativeChangesAreAuditedWithWhoWhatWhenAndWhere() {
        TestTenant t = server.newTenant();
        TestTenant other = server.newTenant();
        other.organization("Not in my log");
        long org = t.organization("Sales");
        t.updateOrganization(org, Map.of("name", "Sales EU", "greeting", "Hi"));
        long op = t.operator(org, "Anna");
        t.setStatus(op, 1);
        String login = "aud-" + TestServerLogins.next();
        createAdmin(t, login, "admin");
        ConsoleBrowser admin = ConsoleBrowser.signIn(server.api(), login, PW);
        long second = admin.post("/api/company/organization", Map.of("name", "Support")).json().get("id").asLong();
        admin.delete("/api/company/organization/" + second);

        var r = t.api().get("/api/company/audit").bearer(t.token()).send();
        assertThat(r.status()).isEqualTo(200);
        JsonNode items = r.json().get("items");
        assertThat(items).extracting(e -> e.get("action").asText()).containsExactly("organization.delete", "organization.create",
                "admin.create", "operator.status", "operator.synchronize", "organization.update", "organization.create");
        JsonNode deleted = items.get(0);
        assertThat(deleted.at("/actor/type").asText()).isEqualTo("admin");
        assertThat(deleted.at("/actor/login").asText()).isEqualTo(login);
        assertThat(deleted.get("objectType").asText()).isEqualTo("organization");
        assertThat(deleted.get("objectId").asText()).isEqualTo(String.valueOf(second));
        assertThat(deleted.get("detail").asText()).isEqualTo("Support");
        assertThat(deleted.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(Instant.parse(deleted.get("at").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
        JsonNode update = items.get(5);
        assertThat(update.at("/actor/type").asText()).isEqualTo("company");
        assertThat(update.at("/actor/login").asText()).isEqualTo(t.login());
        assertThat(update.get("detail").asText()).isEqualTo("name, greeting");
        assertThat(r.text()).doesNotContain("Not in my log");
    }

    @Test
    void theAuditLogPagesAndFiltersByTime() {
        TestTenant t = server.newTenant();
        for (int i = 0; i < 5; i++) t.organization("Org " + i);

        JsonNode first = t.api().get("/api/company/audit?limit=2").bearer(t.token()).send().json();
        assertThat(first.get("items")).hasSize(2);
        long next = first.get("nextBefore").asLong();
        JsonNode second = t.api().get("/api/company/audit?limit=2&before=" + next).bearer(t.token()).send().json();
        assertThat(second.get("items")).extracting(e -> e.get("detail").asText()).containsExactly("Org 2", "Org 1");
        JsonNode last = t.api().get("/api/company/audit?limit=10&before=" + second.get("nextBefore").asLong()).bearer(t.token()).send().json();
        assertThat(last.get("items")).hasSize(1);
        assertThat(last.get("nextBefore").isNull()).isTrue();

        assertThat(t.api().get("/api/company/audit?from=2000-01-01&to=2000-01-02").bearer(t.token()).send().json().get("items")).isEmpty();
        assertThat(t.api().get("/api/company/audit?from=2000-01-01").bearer(t.token()).send().json().get("items")).hasSize(5);
        assertBadRequest(t.api().get("/api/company/audit?from=yesterday").bearer(t.token()).send(), "from");
        assertBadRequest(t.api().get("/api/company/audit?limit=0").bearer(t.token()).send(), "limit");
        assertBadRequest(t.api().get("/api/company/audit?limit=501").bearer(t.token()).send(), "limit");
        assertBadRequest(t.api().get("/api/company/audit?before=-1").bearer(t.token()).send(), "before");
        assertBadRequest(t.api().get("/api/company/audit?from=2001-01-02&to=2001-01-01").bearer(t.token()).send(), "to");
    }
}
