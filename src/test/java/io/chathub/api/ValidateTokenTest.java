package io.chathub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.Jwt;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertInvalidToken;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/operator/validate-token}, by a company or by the operator token itself. */
class ValidateTokenTest extends ServerTest {
    private static final String PATH = "/api/operator/validate-token";

    private record Setup(TestTenant tenant, long organizationId, long operatorId, String token, Instant expiresAt) {}

    private static Setup setup() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Sales");
        long operator = tenant.operator(org, "Anna");
        Instant expiresAt = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        return new Setup(tenant, org, operator, tenant.operatorToken(operator, expiresAt), expiresAt);
    }

    private static Api.Response validate(Api.Call call, Object token) {
        return call.json(Map.of("token", token)).send();
    }

    private static Api.Call byBearer(String caller) {
        return server.api().post(PATH).bearer(caller);
    }

    private static void assertValid(Api.Response r, Setup s) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode v = r.json();
        assertThat(v.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("isValid", "valid", "operatorId", "clientId", "expiresAt", "error");
        assertThat(v.get("isValid").asBoolean()).isTrue();
        assertThat(v.get("valid").asBoolean()).as("'valid' (read by the hosted docs' Python sample) repeats 'isValid'").isTrue();
        assertThat(v.get("operatorId").asLong()).isEqualTo(s.operatorId());
        assertThat(v.get("clientId").asLong()).isEqualTo(s.tenant().companyId());
        assertThat(Instant.parse(v.get("expiresAt").asText())).isEqualTo(s.expiresAt());
        assertThat(v.get("error").isNull()).isTrue();
    }

    private static void assertNotValid(Api.Response r, String error) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode v = r.json();
        assertThat(v.get("isValid").asBoolean()).as(r.toString()).isFalse();
        assertThat(v.get("valid").asBoolean()).as(r.toString()).isFalse();
        assertThat(v.get("error").asText()).isEqualTo(error);
        assertThat(v.path("operatorId").isNull() || v.path("operatorId").isMissingNode()).isTrue();
    }

    @Test
    void companyValidatesItsOperatorsToken() {
        Setup s = setup();

        assertValid(validate(byBearer(s.tenant().token()), s.token()), s);
    }

    @Test
    void companyValidatesWithTheKeyHeaderAndQuotedTokens() {
        Setup s = setup();
        String quotedCompany = "\"" + s.tenant().token() + "\"";

        assertValid(validate(server.api().post(PATH).key(quotedCompany), "\"" + s.token() + "\""), s);
        assertValid(validate(byBearer(quotedCompany), s.token()), s);
    }

    @Test
    void operatorTokenValidatesItself() {
        Setup s = setup();

        assertValid(validate(byBearer(s.token()), s.token()), s);
        assertValid(validate(server.api().post(PATH).key(s.token()), s.token()), s);
        assertValid(validate(byBearer("\"" + s.token() + "\""), s.token()), s);
    }

    @Test
    void operatorTokenCannotValidateAnotherToken() {
        Setup s = setup();
        String brams = s.tenant().operatorToken(s.tenant().operator(s.organizationId(), "Bram"));

        assertForbidden(validate(byBearer(s.token()), brams));
    }

    @Test
    void anotherCompanysOperatorTokenIsInvalidForThisCompany() {
        Setup theirs = setup();
        TestTenant mine = server.newTenant();

        var r = validate(byBearer(mine.token()), theirs.token());

        assertNotValid(r, "Invalid token");
        assertThat(r.text()).doesNotContain(Long.toString(theirs.tenant().companyId()));
    }

    @Test
    void garbageOrForgedTokensAreInvalid() {
        Setup s = setup();
        String caller = s.tenant().token();

        assertNotValid(validate(byBearer(caller), "not-a-token"), "Invalid token");
        assertNotValid(validate(byBearer(caller), ""), "Invalid token");
        assertNotValid(validate(byBearer(caller), Jwt.unsigned(s.token())), "Invalid token");
        assertNotValid(validate(byBearer(caller), Jwt.tamper(s.token(), c -> c.put("sub", "1"))), "Invalid token");
        assertNotValid(validate(byBearer(caller), Jwt.sign(Jwt.OTHER_SECRET, Jwt.companyClaims(s.tenant().companyId(),
                Instant.now(), Instant.now().plusSeconds(3600)).claim("kind", "operator").claim("org", s.organizationId())
                .subject(Long.toString(s.operatorId())).build())), "Invalid token");
    }

    @Test
    void companyTokenIsNotAValidOperatorToken() {
        Setup s = setup();

        assertNotValid(validate(byBearer(s.tenant().token()), s.tenant().token()), "Invalid token");
    }

    @Test
    void expiredTokenIsReportedAsExpired() {
        Setup s = setup();
        String expired = Jwt.sign(TestServer.JWT_SECRET, Jwt.companyClaims(s.tenant().companyId(),
                        Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1)))
                .claim("kind", "operator").claim("org", s.organizationId()).subject(Long.toString(s.operatorId())).build());

        assertNotValid(validate(byBearer(s.tenant().token()), expired), "token expired");
    }

    @Test
    void revokedTokenIsInvalidEvenForItself() {
        Setup s = setup();
        var revoke = server.api().post("/api/operator/revoke-token").bearer(s.tenant().token())
                .json(Map.of("token", s.token())).send();
        assertThat(revoke.status()).isEqualTo(200);

        assertNotValid(validate(byBearer(s.tenant().token()), s.token()), "Invalid token");
        assertNotValid(validate(byBearer(s.token()), s.token()), "Invalid token");
    }

    @Test
    void inactiveOperatorsTokenIsInvalid() {
        Setup s = setup();
        s.tenant().setStatus(s.operatorId(), 1);

        assertNotValid(validate(byBearer(s.tenant().token()), s.token()), "Invalid token");
        assertNotValid(validate(byBearer(s.token()), s.token()), "Invalid token");
    }

    @Test
    void withoutATokenInTheHeaderIs401() {
        Setup s = setup();

        assertInvalidToken(validate(server.api().post(PATH), s.token()));
    }

    @Test
    void missingOrMistypedTokenFieldIs400() {
        Setup s = setup();

        assertBadRequest(byBearer(s.tenant().token()).json(Map.of()).send(), "token");
        assertBadRequest(byBearer(s.tenant().token()).json(Map.of("token", 42)).send(), "token");
        assertBadRequest(byBearer(s.tenant().token()).json("{\"token\":").send(), "body");
    }
}
