package io.chathub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.Jwt;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertInvalidToken;
import static io.chathub.testing.Problems.assertNotFound;
import static io.chathub.testing.Problems.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/operator/get-token}: operator tokens, their 24 h limit, and their expiry. */
class OperatorTokenTest extends ServerTest {
    private record Setup(TestTenant tenant, long organizationId, long operatorId) {}

    private static Setup setup() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Sales");
        return new Setup(tenant, org, tenant.operator(org, "Anna"));
    }

    private static Api.Response getToken(TestTenant tenant, Object body) {
        return server.api().post("/api/operator/get-token").bearer(tenant.token()).json(body).send();
    }

    private static Api.Response getToken(TestTenant tenant, long operatorId, Object expiresAt) {
        return getToken(tenant, Map.of("id", operatorId, "expiresAt", expiresAt));
    }

    private static JsonNode validate(TestTenant tenant, String token) {
        var r = server.api().post("/api/operator/validate-token").bearer(tenant.token()).json(Map.of("token", token)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static Api.Response asOperator(String token) {
        return server.api().get("/api/operator").bearer(token).send();
    }

    @Test
    void tokenIsAJsonStringThatWorksForItsOperator() {
        Setup s = setup();

        var r = getToken(s.tenant(), s.operatorId(), Instant.now().plus(Duration.ofHours(1)).toString());

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.text()).startsWith("\"").endsWith("\"");
        String token = r.jsonString();
        JsonNode claims = Jwt.payload(token);
        assertThat(claims.get("kind").asText()).isEqualTo("operator");
        assertThat(claims.get("sub").asText()).isEqualTo(Long.toString(s.operatorId()));
        assertThat(claims.get("cid").asLong()).isEqualTo(s.tenant().companyId());
        assertThat(claims.get("org").asLong()).isEqualTo(s.organizationId());
        assertThat(asOperator(token).status()).isEqualTo(200);
    }

    @Test
    void acceptTextPlainAnswersTheRawToken() {
        Setup s = setup();

        var r = server.api().post("/api/operator/get-token").bearer(s.tenant().token()).accept("text/plain")
                .json(Map.of("id", s.operatorId(), "expiresAt", Instant.now().plus(Duration.ofHours(1)).toString())).send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        assertThat(r.text()).doesNotContain("\"").matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat(asOperator(r.text()).status()).isEqualTo(200);
    }

    @Test
    void expiresAtIsTheRequestedInstant() {
        Setup s = setup();
        Instant expiresAt = Instant.now().plus(Duration.ofHours(5)).truncatedTo(ChronoUnit.SECONDS);

        String token = getToken(s.tenant(), s.operatorId(), expiresAt.toString()).jsonString();

        assertThat(Jwt.payload(token).get("exp").asLong()).isEqualTo(expiresAt.getEpochSecond());
        assertThat(Instant.parse(validate(s.tenant(), token).get("expiresAt").asText())).isEqualTo(expiresAt);
    }

    @Test
    void twentyThreeHoursAheadIsAccepted() {
        Setup s = setup();

        var r = getToken(s.tenant(), s.operatorId(), Instant.now().plus(Duration.ofHours(23)).toString());

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void exactlyTwentyFourHoursAheadIsAccepted() {
        Setup s = setup();

        var r = getToken(s.tenant(), s.operatorId(), Instant.now().plus(Duration.ofHours(24)).toString());

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void twentyFourHoursAheadByAFastClientClockIsAcceptedWithinTheGrace() {
        Setup s = setup();

        var r = getToken(s.tenant(), s.operatorId(), Instant.now().plus(Duration.ofHours(24)).plusSeconds(30).toString());

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void moreThanTwentyFourHoursAheadIs400() {
        Setup s = setup();

        assertBadRequest(getToken(s.tenant(), s.operatorId(), Instant.now().plus(Duration.ofHours(25)).toString()), "expiresAt");
        assertBadRequest(getToken(s.tenant(), s.operatorId(), Instant.now().plus(Duration.ofHours(24)).plusSeconds(120).toString()),
                "expiresAt");
        assertBadRequest(getToken(s.tenant(), s.operatorId(), "2999-01-01T00:00:00Z"), "expiresAt");
    }

    @Test
    void expiresAtInThePastIs400() {
        Setup s = setup();

        assertBadRequest(getToken(s.tenant(), s.operatorId(), Instant.now().minus(Duration.ofHours(1)).toString()), "expiresAt");
        assertBadRequest(getToken(s.tenant(), s.operatorId(), Instant.now().minusSeconds(1).toString()), "expiresAt");
        assertBadRequest(getToken(s.tenant(), s.operatorId(), "2000-01-01T00:00:00.000Z"), "expiresAt");
    }

    @Test
    void expiresAtWithAnOffsetOrWithoutOneIsUnderstood() {
        Setup s = setup();
        Instant target = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        String withOffset = target.atOffset(ZoneOffset.ofHours(3)).toString();
        String withoutOffset = LocalDateTime.ofInstant(target, ZoneOffset.UTC).toString();

        String a = getToken(s.tenant(), s.operatorId(), withOffset).jsonString();
        String b = getToken(s.tenant(), s.operatorId(), withoutOffset).jsonString();

        assertThat(Jwt.payload(a).get("exp").asLong()).isEqualTo(target.getEpochSecond());
        assertThat(Jwt.payload(b).get("exp").asLong()).isEqualTo(target.getEpochSecond());
    }

    @Test
    void badInputIs400NamingTheField() {
        Setup s = setup();
        String inAnHour = Instant.now().plus(Duration.ofHours(1)).toString();

        assertBadRequest(getToken(s.tenant(), s.operatorId(), "tomorrow"), "expiresAt");
        assertBadRequest(getToken(s.tenant(), s.operatorId(), Instant.now().plus(Duration.ofHours(1)).toEpochMilli()), "expiresAt");
        assertBadRequest(getToken(s.tenant(), Map.of("id", s.operatorId())), "expiresAt");
        assertBadRequest(getToken(s.tenant(), Map.of("expiresAt", inAnHour)), "id");
        assertBadRequest(getToken(s.tenant(), Map.of("id", String.valueOf(s.operatorId()), "expiresAt", inAnHour)), "id");
        assertBadRequest(getToken(s.tenant(), "{\"id\":" + s.operatorId() + ",\"expiresAt\":"), "body");
    }

    @Test
    void tokenForAnUnknownOperatorIs404() {
        TestTenant tenant = server.newTenant();

        assertNotFound(getToken(tenant, 987_654_321L, Instant.now().plus(Duration.ofHours(1)).toString()));
    }

    @Test
    void tokenForAnotherCompanysOperatorIs403() {
        Setup theirs = setup();
        TestTenant mine = server.newTenant();

        var r = getToken(mine, theirs.operatorId(), Instant.now().plus(Duration.ofHours(1)).toString());

        assertForbidden(r);
        assertThat(r.text()).doesNotContain("eyJ");
    }

    @Test
    void inactiveOrDeletedOperatorGetsNoToken() {
        Setup s = setup();
        String inAnHour = Instant.now().plus(Duration.ofHours(1)).toString();

        s.tenant().setStatus(s.operatorId(), 1);
        assertBadRequest(getToken(s.tenant(), s.operatorId(), inAnHour), "id");
        s.tenant().setStatus(s.operatorId(), 2);
        assertBadRequest(getToken(s.tenant(), s.operatorId(), inAnHour), "id");
        s.tenant().setStatus(s.operatorId(), 0);
        assertThat(getToken(s.tenant(), s.operatorId(), inAnHour).status()).isEqualTo(200);
    }

    @Test
    void tokenStopsWorkingOnceItExpires() throws InterruptedException {
        Setup s = setup();
        Instant expiresAt = Instant.now().plusSeconds(2);
        String token = getToken(s.tenant(), s.operatorId(), expiresAt.toString()).jsonString();
        assertThat(asOperator(token).status()).isEqualTo(200);

        Instant expiry = Instant.ofEpochSecond(Jwt.payload(token).get("exp").asLong());
        while (!Instant.now().isAfter(expiry.plusMillis(50))) Thread.sleep(50);

        var p = assertUnauthorized(asOperator(token), "token expired");
        assertThat(p.get("reason").asText()).isEqualTo("expired");
        JsonNode v = validate(s.tenant(), token);
        assertThat(v.get("isValid").asBoolean()).isFalse();
        assertThat(v.get("error").asText()).isEqualTo("token expired");
        JsonNode self = server.api().post("/api/operator/validate-token").bearer(token).json(Map.of("token", token)).send().json();
        assertThat(self.get("isValid").asBoolean()).isFalse();
        assertThat(self.get("error").asText()).isEqualTo("token expired");
    }

    @Test
    void deactivatingAnOperatorRevokesItsTokensForGoodAndReactivationNeedsNewOnes() {
        Setup s = setup();
        String token = s.tenant().operatorToken(s.operatorId());
        assertThat(asOperator(token).status()).as("accepted, so its state is kept for a few seconds").isEqualTo(200);

        s.tenant().setStatus(s.operatorId(), 1);
        assertInvalidToken(asOperator(token));
        assertThat(validate(s.tenant(), token).get("isValid").asBoolean()).isFalse();

        s.tenant().setStatus(s.operatorId(), 0);
        var p = assertInvalidToken(asOperator(token));
        assertThat(p.get("reason").asText()).isEqualTo("revoked");
        assertThat(validate(s.tenant(), token).get("isValid").asBoolean()).isFalse();
        String fresh = s.tenant().operatorToken(s.operatorId());
        assertThat(asOperator(fresh).status()).isEqualTo(200);
    }

    @Test
    void deletingAnOperatorRevokesItsTokensForGoodEvenIfItIsSetActiveAgain() {
        Setup s = setup();
        String token = s.tenant().operatorToken(s.operatorId());

        s.tenant().setStatus(s.operatorId(), 2);
        assertInvalidToken(asOperator(token));

        s.tenant().setStatus(s.operatorId(), 0);
        var p = assertInvalidToken(asOperator(token));
        assertThat(p.get("reason").asText()).isEqualTo("revoked");
        assertThat(asOperator(s.tenant().operatorToken(s.operatorId())).status()).isEqualTo(200);
    }

    @Test
    void deactivatingOneOperatorLeavesOthersTokensWorking() {
        Setup s = setup();
        long bram = s.tenant().operator(s.organizationId(), "Bram");
        String annas = s.tenant().operatorToken(s.operatorId());
        String brams = s.tenant().operatorToken(bram);

        s.tenant().setStatus(s.operatorId(), 1);

        assertInvalidToken(asOperator(annas));
        assertThat(asOperator(brams).status()).isEqualTo(200);
    }

    @Test
    void everyRequestIssuesAFreshToken() {
        Setup s = setup();

        String a = s.tenant().operatorToken(s.operatorId());
        String b = s.tenant().operatorToken(s.operatorId());

        assertThat(a).isNotEqualTo(b);
        assertThat(asOperator(a).status()).isEqualTo(200);
        assertThat(asOperator(b).status()).isEqualTo(200);
    }
}
