package io.chathub.api;

import com.nimbusds.jose.JWSAlgorithm;
import io.chathub.testing.Api;
import io.chathub.testing.Jwt;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertInvalidToken;
import static io.chathub.testing.Problems.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/** How every authenticated call reads and checks its token. */
class AuthenticationTest extends ServerTest {
    private static Api.Call organizations() {
        return server.api().get("/api/company/organization");
    }

    private static String secretTenantOrganization(TestTenant tenant) {
        String name = "Secret org of " + tenant.login();
        tenant.organization(name);
        return name;
    }

    @Test
    void noTokenIs401InvalidToken() {
        assertInvalidToken(organizations().send());
    }

    @Test
    void bearerHeaderIsAccepted() {
        TestTenant tenant = server.newTenant();
        String name = secretTenantOrganization(tenant);

        var r = organizations().bearer(tenant.token()).send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains(name);
    }

    @Test
    void xAuthorizationKeyHeaderIsAccepted() {
        TestTenant tenant = server.newTenant();
        String name = secretTenantOrganization(tenant);

        var r = organizations().key(tenant.token()).send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains(name);
    }

    @Test
    void lowerCaseBearerSchemeIsAccepted() {
        TestTenant tenant = server.newTenant();

        assertThat(organizations().header("Authorization", "bearer " + tenant.token()).send().status()).isEqualTo(200);
    }

    @Test
    void tokenWrappedInDoubleQuotesIsAcceptedInBothHeaders() {
        TestTenant tenant = server.newTenant();
        String quoted = "\"" + tenant.token() + "\"";

        assertThat(organizations().bearer(quoted).send().status()).isEqualTo(200);
        assertThat(organizations().key(quoted).send().status()).isEqualTo(200);
    }

    @Test
    void emptyOrBlankTokenIs401() {
        assertInvalidToken(organizations().header("Authorization", "Bearer ").send());
        assertInvalidToken(organizations().header("Authorization", "Bearer \"\"").send());
        assertInvalidToken(organizations().key("\"\"").send());
    }

    @Test
    void garbageTokenIs401InvalidToken() {
        assertInvalidToken(organizations().bearer("not-a-jwt").send());
        assertInvalidToken(organizations().bearer("a.b.c").send());
        assertInvalidToken(organizations().key("eyJhbGciOiJIUzI1NiJ9.e30.").send());
    }

    @Test
    void tokenSignedWithAnotherSecretIs401InvalidToken() {
        TestTenant tenant = server.newTenant();
        String forged = Jwt.sign(Jwt.OTHER_SECRET,
                Jwt.companyClaims(tenant.companyId(), Instant.now(), Instant.now().plus(Duration.ofHours(1))).build());

        var p = assertInvalidToken(organizations().bearer(forged).send());
        assertThat(p.get("reason").asText()).isEqualTo("signature");
    }

    @Test
    void expiredTokenSignedWithAnotherSecretIsInvalidRatherThanExpired() {
        TestTenant tenant = server.newTenant();
        String forged = Jwt.sign(Jwt.OTHER_SECRET, Jwt.companyClaims(tenant.companyId(),
                Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1))).build());

        assertInvalidToken(organizations().bearer(forged).send());
    }

    @Test
    void algNoneTokenIs401InvalidToken() {
        TestTenant tenant = server.newTenant();
        long operator = tenant.operator(tenant.organization("Sales"), "Anna");

        assertInvalidToken(organizations().bearer(Jwt.unsigned(tenant.token())).send());
        assertInvalidToken(server.api().get("/api/operator").bearer(Jwt.unsigned(tenant.operatorToken(operator))).send());
    }

    @Test
    void otherHmacAlgorithmWithTheServerSecretIsRefused() {
        TestTenant tenant = server.newTenant();
        String hs512 = Jwt.sign(TestServer.JWT_SECRET + TestServer.JWT_SECRET, JWSAlgorithm.HS512,
                Jwt.companyClaims(tenant.companyId(), Instant.now(), Instant.now().plus(Duration.ofHours(1))).build());

        assertInvalidToken(organizations().bearer(hs512).send());
    }

    @Test
    void tamperedPayloadIs401AndShowsNothingOfTheOtherCompany() {
        TestTenant attacker = server.newTenant();
        TestTenant victim = server.newTenant();
        String secret = secretTenantOrganization(victim);
        String tampered = Jwt.tamper(attacker.token(), claims -> {
            claims.put("sub", Long.toString(victim.companyId()));
            claims.put("cid", victim.companyId());
        });

        var r = organizations().bearer(tampered).send();

        assertInvalidToken(r);
        assertThat(r.text()).doesNotContain(secret);
    }

    @Test
    void tamperedOperatorTokenIsRefused() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long support = tenant.organization("Support");
        String token = tenant.operatorToken(tenant.operator(sales, "Anna"));
        String moved = Jwt.tamper(token, claims -> claims.put("org", support));
        String prolonged = Jwt.tamper(token, claims -> claims.put("exp", claims.get("exp").asLong() + 86_400));

        assertInvalidToken(server.api().get("/api/operator").bearer(moved).send());
        assertInvalidToken(server.api().get("/api/operator").bearer(prolonged).send());
        assertThat(server.api().get("/api/operator").bearer(token).send().status()).isEqualTo(200);
    }

    @Test
    void expiredTokenIs401TokenExpired() {
        TestTenant tenant = server.newTenant();
        String expired = Jwt.sign(TestServer.JWT_SECRET, Jwt.companyClaims(tenant.companyId(),
                Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofMinutes(1))).build());

        var p = assertUnauthorized(organizations().bearer(expired).send(), "token expired");
        assertThat(p.get("reason").asText()).isEqualTo("expired");
    }

    @Test
    void tokenIssuedInTheFutureIsRefused() {
        TestTenant tenant = server.newTenant();
        String future = Jwt.sign(TestServer.JWT_SECRET, Jwt.companyClaims(tenant.companyId(),
                Instant.now().plus(Duration.ofMinutes(10)), Instant.now().plus(Duration.ofHours(1))).build());

        assertInvalidToken(organizations().bearer(future).send());
    }

    @Test
    void correctlySignedTokenOfAnUnknownCompanyIsRefused() {
        String unknown = Jwt.sign(TestServer.JWT_SECRET,
                Jwt.companyClaims(987_654_321L, Instant.now(), Instant.now().plus(Duration.ofHours(1))).build());

        assertInvalidToken(organizations().bearer(unknown).send());
    }

    @Test
    void correctlySignedTokenWithoutRequiredClaimsIsRefused() {
        TestTenant tenant = server.newTenant();
        Instant now = Instant.now();
        Instant later = now.plus(Duration.ofHours(1));

        for (var claims : List.of(
                Jwt.companyClaims(tenant.companyId(), now, later).jwtID(null),
                Jwt.companyClaims(tenant.companyId(), now, later).issuer("someone-else"),
                Jwt.companyClaims(tenant.companyId(), now, later).claim("kind", "admin"),
                Jwt.companyClaims(tenant.companyId(), now, later).claim("cid", null),
                Jwt.companyClaims(tenant.companyId(), now, later).expirationTime(null))) {
            assertInvalidToken(organizations().bearer(Jwt.sign(TestServer.JWT_SECRET, claims.build())).send());
        }
    }

    @Test
    void operatorTokenCannotMakeCompanyOnlyCalls() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Sales");
        long operator = tenant.operator(org, "Anna");
        String op = tenant.operatorToken(operator);
        var api = server.api();

        assertForbidden(api.post("/api/company/organization").bearer(op).json(Map.of("name", "X")).send());
        assertForbidden(api.put("/api/company/organization/" + org).bearer(op).json(Map.of("name", "X")).send());
        assertForbidden(api.delete("/api/company/organization/" + org).bearer(op).send());
        assertForbidden(api.post("/api/operator/synchronize").bearer(op)
                .json(List.of(Map.of("organizationId", org, "name", "Eve"))).send());
        assertForbidden(api.post("/api/operator/status").bearer(op).json(Map.of("id", operator, "status", 1)).send());
        assertForbidden(api.post("/api/operator/get-token").bearer(op)
                .json(Map.of("id", operator, "expiresAt", Instant.now().plus(Duration.ofHours(1)).toString())).send());
        assertForbidden(api.post("/api/operator/revoke-token").bearer(op).json(Map.of("id", operator)).send());

        assertThat(tenant.organizationSettings(org).get("name").asText()).isEqualTo("Sales");
        assertThat(tenant.operators(org)).hasSize(1);
        assertThat(tenant.operators(org).get(0).get("status").asInt()).isZero();
    }

    @Test
    void developmentTokenIsInvalidOutsideDevelopmentMode() {
        assertInvalidToken(organizations().bearer("test-token-for-development").send());
        assertInvalidToken(server.api().get("/api/operator").key("\"test-token-for-development\"").send());
    }

    @Test
    void companyTokenTakesNoOperatorShape() {
        TestTenant tenant = server.newTenant();
        String asOperator = Jwt.sign(TestServer.JWT_SECRET, Jwt.companyClaims(tenant.companyId(), Instant.now(),
                Instant.now().plus(Duration.ofHours(1))).claim("kind", "operator").claim("org", 1L).build());

        assertInvalidToken(server.api().get("/api/operator").bearer(asOperator).send());
    }
}
