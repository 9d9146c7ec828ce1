package io.chathub.api;

import io.chathub.testing.Api;
import io.chathub.testing.Jwt;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertInvalidToken;
import static io.chathub.testing.Problems.assertNotFound;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/operator/revoke-token} (ext): one token, or all of an operator's. */
class RevokeTokenTest extends ServerTest {
    private record Setup(TestTenant tenant, long organizationId, long operatorId) {}

    private static Setup setup() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Sales");
        return new Setup(tenant, org, tenant.operator(org, "Anna"));
    }

    private static Api.Response revoke(TestTenant tenant, Object body) {
        return server.api().post("/api/operator/revoke-token").bearer(tenant.token()).json(body).send();
    }

    private static Api.Response asOperator(String token) {
        return server.api().get("/api/operator").bearer(token).send();
    }

    @Test
    void revokingATokenRefusesItAtOnceAndLeavesTheOperatorsOtherTokens() {
        Setup s = setup();
        String revoked = s.tenant().operatorToken(s.operatorId());
        String kept = s.tenant().operatorToken(s.operatorId());
        assertThat(asOperator(revoked).status()).as("accepted, so its state is kept for a few seconds").isEqualTo(200);

        var r = revoke(s.tenant(), Map.of("token", revoked));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        var p = assertInvalidToken(asOperator(revoked));
        assertThat(p.get("reason").asText()).isEqualTo("revoked");
        assertThat(asOperator(kept).status()).isEqualTo(200);
    }

    @Test
    void aQuotedTokenCanBeRevoked() {
        Setup s = setup();
        String token = s.tenant().operatorToken(s.operatorId());

        assertThat(revoke(s.tenant(), Map.of("token", "\"" + token + "\"")).status()).isEqualTo(200);

        assertInvalidToken(asOperator(token));
    }

    @Test
    void revokingByIdRefusesAllOfTheOperatorsTokensButNotLaterOnes() {
        Setup s = setup();
        long bram = s.tenant().operator(s.organizationId(), "Bram");
        String first = s.tenant().operatorToken(s.operatorId());
        String second = s.tenant().operatorToken(s.operatorId());
        String brams = s.tenant().operatorToken(bram);

        var r = revoke(s.tenant(), Map.of("id", s.operatorId()));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertInvalidToken(asOperator(first));
        assertInvalidToken(asOperator(second));
        assertThat(asOperator(brams).status()).isEqualTo(200);
        String fresh = s.tenant().operatorToken(s.operatorId());
        assertThat(asOperator(fresh).status()).isEqualTo(200);
    }

    @Test
    void revokedTokenStaysRefusedAfterDeactivationAndReactivation() {
        Setup s = setup();
        String revoked = s.tenant().operatorToken(s.operatorId());
        revoke(s.tenant(), Map.of("token", revoked));

        s.tenant().setStatus(s.operatorId(), 1);
        s.tenant().setStatus(s.operatorId(), 0);

        assertInvalidToken(asOperator(revoked));
        assertThat(asOperator(s.tenant().operatorToken(s.operatorId())).status()).isEqualTo(200);
    }

    @Test
    void revokingTwiceIsFine() {
        Setup s = setup();
        String token = s.tenant().operatorToken(s.operatorId());

        assertThat(revoke(s.tenant(), Map.of("token", token)).status()).isEqualTo(200);
        assertThat(revoke(s.tenant(), Map.of("token", token)).status()).isEqualTo(200);
        assertThat(revoke(s.tenant(), Map.of("id", s.operatorId())).status()).isEqualTo(200);
        assertThat(revoke(s.tenant(), Map.of("id", s.operatorId())).status()).isEqualTo(200);
        assertInvalidToken(asOperator(token));
    }

    @Test
    void anotherCompanysTokenCannotBeRevoked() {
        Setup theirs = setup();
        TestTenant mine = server.newTenant();
        String token = theirs.tenant().operatorToken(theirs.operatorId());

        assertForbidden(revoke(mine, Map.of("token", token)));
        assertForbidden(revoke(mine, Map.of("id", theirs.operatorId())));

        assertThat(asOperator(token).status()).isEqualTo(200);
    }

    @Test
    void anOperatorTokenCannotRevoke() {
        Setup s = setup();
        String token = s.tenant().operatorToken(s.operatorId());

        var r = server.api().post("/api/operator/revoke-token").bearer(token).json(Map.of("token", token)).send();

        assertForbidden(r);
        assertThat(asOperator(token).status()).isEqualTo(200);
    }

    @Test
    void badInputIs400NamingTheField() {
        Setup s = setup();

        assertBadRequest(revoke(s.tenant(), Map.of()), "token");
        assertBadRequest(revoke(s.tenant(), Map.of("token", "garbage")), "token");
        assertBadRequest(revoke(s.tenant(), Map.of("token", 17)), "token");
        assertBadRequest(revoke(s.tenant(), Map.of("token", s.tenant().token())), "token");
        assertBadRequest(revoke(s.tenant(), Map.of("token", Jwt.unsigned(s.tenant().operatorToken(s.operatorId())))), "token");
        assertBadRequest(revoke(s.tenant(), Map.of("id", "all")), "id");
        assertBadRequest(revoke(s.tenant(), "{\"id\":"), "body");
    }

    @Test
    void revokingByUnknownIdIs404() {
        assertNotFound(revoke(server.newTenant(), Map.of("id", 987_654_321L)));
    }

    @Test
    void revokingAnExpiredTokenIsANoOp() {
        Setup s = setup();
        String expired = Jwt.sign(TestServer.JWT_SECRET, Jwt.companyClaims(s.tenant().companyId(),
                        Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1)))
                .claim("kind", "operator").claim("org", s.organizationId()).subject(Long.toString(s.operatorId())).build());

        assertThat(revoke(s.tenant(), Map.of("token", expired)).status()).isEqualTo(200);
    }
}
