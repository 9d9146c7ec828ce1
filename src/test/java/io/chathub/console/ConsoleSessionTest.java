package io.chathub.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ConsoleBrowser;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestClock;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The console session: sign-in, the cookie, CSRF and origin rules, sign-out, and the session as an API credential. */
class ConsoleSessionTest extends ServerTest {

    private static ConsoleBrowser owner(TestTenant tenant) {
        return ConsoleBrowser.signIn(server.api(), tenant.login(), tenant.password());
    }

    @Test
    void theOwnerSignsInWithTheCompanyLoginAndGetsAnHttpOnlyStrictCookie() {
        TestTenant tenant = server.newTenant();

        var r = ConsoleBrowser.signInResponse(server.api(), tenant.login().toUpperCase(), tenant.password());

        assertThat(r.status()).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(s.get("role").asText()).isEqualTo("owner");
        assertThat(s.get("login").asText()).isEqualTo(tenant.login());
        assertThat(s.get("companyId").asLong()).isEqualTo(tenant.companyId());
        assertThat(s.get("csrfToken").asText()).hasSizeGreaterThan(20);
        assertThat(s.get("adminId").isNull()).isTrue();
        String cookie = r.header("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("chathub_console=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("Secure");
        assertThat(r.text()).doesNotContain(ConsoleBrowser.cookieOf(r).substring("chathub_console=".length()));
    }

    @Test
    void theCookieIsSecureBehindAnHttpsProxy() {
        TestTenant tenant = server.newTenant();

        var r = server.api().post("/console/api/session").header("X-Forwarded-Proto", "https")
                .json(Map.of("login", tenant.login(), "password", tenant.password())).send();

        assertThat(r.header("Set-Cookie").orElseThrow()).contains("; Secure");
    }

    @Test
    void aWrongPasswordOrUnknownLoginIs401AndBadInputIs400() {
        TestTenant tenant = server.newTenant();

        assertProblem(ConsoleBrowser.signInResponse(server.api(), tenant.login(), "wrong password"), 401);
        assertProblem(ConsoleBrowser.signInResponse(server.api(), "nobody-" + tenant.login(), "whatever1"), 401);
        assertBadRequest(server.api().post("/console/api/session").json(Map.of("login", tenant.login())).send(), "password");
        assertBadRequest(server.api().post("/console/api/session").json("{").send(), "body");
    }

    @Test
    void theSessionIsReadBackAndEndsOnSignOut() {
        TestTenant tenant = server.newTenant();
        ConsoleBrowser b = owner(tenant);

        var read = b.get("/console/api/session");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("csrfToken").asText()).isEqualTo(b.csrf());

        assertForbidden(b.bare("DELETE", "/console/api/session").send()); // no CSRF header
        var out = b.delete("/console/api/session");
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.header("Set-Cookie").orElseThrow()).contains("Max-Age=0");

        assertProblem(b.get("/console/api/session"), 401);
        assertProblem(b.get("/api/company/organization"), 401);
        assertProblem(server.api().get("/console/api/session").send(), 401);
    }

    @Test
    void theSessionReadsTheApiWithoutCsrfButChangesNeedIt() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        ConsoleBrowser b = owner(tenant);

        var list = b.get("/api/company/organization");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).extracting(o -> o.get("id").asLong()).containsExactly(sales);

        var noCsrf = b.bare("POST", "/api/company/organization").json(Map.of("name", "Support")).send();
        assertForbidden(noCsrf);
        assertThat(noCsrf.json().get("detail").asText()).contains("X-CSRF-Token");
        var wrongCsrf = b.bare("POST", "/api/company/organization").header("X-CSRF-Token", "forged")
                .json(Map.of("name", "Support")).send();
        assertForbidden(wrongCsrf);
        assertThat(tenant.api().get("/api/company/organization").bearer(tenant.token()).send().json()).hasSize(1);

        var created = b.post("/api/company/organization", Map.of("name", "Support"));
        assertThat(created.status()).isEqualTo(201);
    }

    @Test
    void aForeignOriginIsRefusedAndTheOwnOriginAccepted() {
        TestTenant tenant = server.newTenant();
        ConsoleBrowser b = owner(tenant);
        String own = "http://127.0.0.1:" + server.hub().port();

        assertForbidden(b.call("GET", "/api/company/organization").header("Origin", "https://evil.example").send());
        assertForbidden(b.call("POST", "/api/company/organization").header("Origin", "https://evil.example")
                .json(Map.of("name", "X")).send());
        assertThat(b.call("GET", "/api/company/organization").header("Origin", own).send().status()).isEqualTo(200);
        assertThat(b.call("POST", "/api/company/organization").header("Origin", own).json(Map.of("name", "X")).send().status())
                .isEqualTo(201);
        assertForbidden(server.api().post("/console/api/session").header("Origin", "https://evil.example")
                .json(Map.of("login", tenant.login(), "password", tenant.password())).send());
    }

    @Test
    void aTokenWinsOverTheCookie() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long theirs = other.organization("Theirs");
        ConsoleBrowser b = owner(mine);

        var r = b.bare("GET", "/api/company/organization").bearer(other.token()).send();

        assertThat(r.json()).extracting(o -> o.get("id").asLong()).containsExactly(theirs);
    }

    @Test
    void aForgedOrUnknownCookieIs401() {
        var r = server.api().get("/api/company/organization").header("Cookie", "chathub_console=forged").send();
        assertProblem(r, 401);
        assertProblem(server.api().get("/console/api/session").header("Cookie", "chathub_console=" + "x".repeat(500)).send(), 401);
    }

    @Test
    void theSessionSeesOnlyItsOwnCompany() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long theirs = other.organization("Theirs");
        ConsoleBrowser b = owner(mine);

        assertForbidden(b.get("/api/company/organization/" + theirs));
        assertForbidden(b.put("/api/company/organization/" + theirs, Map.of("name", "Mine now")));
        assertThat(b.get("/api/company/organization").json()).isEmpty();
    }

    @Test
    void theOwnPasswordChangesAndTheOtherSessionsEnd() {
        TestTenant tenant = server.newTenant();
        ConsoleBrowser first = owner(tenant);
        ConsoleBrowser second = owner(tenant);

        assertBadRequest(first.put("/console/api/session/password",
                Map.of("currentPassword", "not it", "newPassword", "a new password")), "currentPassword");
        assertBadRequest(first.put("/console/api/session/password",
                Map.of("currentPassword", tenant.password(), "newPassword", "short")), "newPassword");
        var changed = first.put("/console/api/session/password",
                Map.of("currentPassword", tenant.password(), "newPassword", "a new password"));

        assertThat(changed.status()).isEqualTo(200);
        assertThat(first.get("/console/api/session").status()).isEqualTo(200);
        assertProblem(second.get("/console/api/session"), 401);
        assertProblem(ConsoleBrowser.signInResponse(server.api(), tenant.login(), tenant.password()), 401);
        assertThat(ConsoleBrowser.signInResponse(server.api(), tenant.login(), "a new password").status()).isEqualTo(200);
        assertThat(server.api().post("/api/company/get-token")
                .json(Map.of("login", tenant.login(), "password", "a new password")).send().status()).isEqualTo(200);
    }

    @Test
    void failedConsoleSignInsAreThrottledLikeCompanyLogins() {
        TestTenant tenant = server.newTenant();
        Api from = server.api().from(inet("127.0.0.23"));
        for (int i = 0; i < 5; i++) {
            assertProblem(from.post("/console/api/session").json(Map.of("login", tenant.login(), "password", "bad" + i)).send(), 401);
        }
        var throttled = from.post("/console/api/session").json(Map.of("login", tenant.login(), "password", tenant.password())).send();
        assertProblem(throttled, 429);
        assertThat(throttled.header("Retry-After")).isPresent();
        var companyLogin = from.post("/api/company/get-token").json(Map.of("login", tenant.login(), "password", tenant.password())).send();
        assertProblem(companyLogin, 429);
    }

    private static java.net.InetAddress inet(String a) {
        try {
            return java.net.InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSessionEndsAfterTwelveHoursIdleAndIsRenewedByUse() {
        TestClock clock = new TestClock();
        try (TestServer s = TestServer.start(database, b -> b, clock)) {
            TestTenant tenant = s.newTenant();
            ConsoleBrowser b = ConsoleBrowser.signIn(s.api(), tenant.login(), tenant.password());

            clock.advance(Duration.ofHours(11));
            assertThat(b.get("/api/company/organization").status()).isEqualTo(200); // renews
            clock.advance(Duration.ofHours(11));
            assertThat(b.get("/console/api/session").status()).isEqualTo(200);
            clock.advance(Duration.ofHours(12).plusMinutes(1));
            assertProblem(b.get("/console/api/session"), 401);
        }
    }
}
