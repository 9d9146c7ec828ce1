package io.chathub;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hosted service's integration guide ("Quick start: get an operator token"), step by step, as a
 * browser or Node client runs it: every answer is read with {@code response.text()}, so JSON-string
 * tokens keep their double quotes, and those quoted tokens are what the next calls send.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class HostedDocsFlowTest {
    static TestServer server;

    @Parameter
    String database;

    @BeforeParameterizedClassInvocation
    static void startServer(String database) {
        server = TestServer.start(database, b -> b.demo(true));
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
    }

    /** {@code new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString()}. */
    private static String jsIsoString(Instant instant) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC).format(instant);
    }

    private static Api api() {
        return server.api();
    }

    private static String text(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.text();
    }

    private static JsonNode json(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    // The guide's helper functions.

    private static String getCompanyToken(String login, String password) {
        return text(api().post("/api/company/get-token").json(Map.of("login", login, "password", password)).send());
    }

    private static JsonNode getOrganizations(String companyToken) {
        return json(api().get("/api/company/organization").bearer(companyToken).send());
    }

    private static JsonNode getOperators(String companyToken, long organizationId) {
        return json(api().get("/api/operator?organizationId=" + organizationId).bearer(companyToken).send());
    }

    private static JsonNode synchronizeOperators(String companyToken, List<Map<String, Object>> operators) {
        return json(api().post("/api/operator/synchronize").bearer(companyToken).json(operators).send());
    }

    private static String getOperatorToken(String companyToken, long operatorId, String expiresAt) {
        return text(api().post("/api/operator/get-token").bearer(companyToken)
                .header("Content-Type", "application/json")
                .json(Map.of("id", operatorId, "expiresAt", expiresAt)).send());
    }

    private static JsonNode validateToken(String companyToken, String operatorToken) {
        return json(api().post("/api/operator/validate-token").bearer(companyToken).json(Map.of("token", operatorToken)).send());
    }

    @Test
    void quickStartFlowWorksWithTokensReadAsText() {
        // 1. Get company token
        String companyToken = getCompanyToken("demo", "demo");
        assertThat(companyToken).startsWith("\"").endsWith("\"");

        // 2. Get organization
        JsonNode organizations = getOrganizations(companyToken);
        long orgId = organizations.get(0).get("id").asLong();
        assertThat(organizations.get(0).get("name").asText()).isEqualTo("Sales");

        // 3. Get operator
        JsonNode operators = getOperators(companyToken, orgId);
        long operatorId = operators.get(0).get("id").asLong();
        assertThat(operators.get(0).at("/organization/id").asLong()).isEqualTo(orgId);

        // (The CRM keeps its operators in step.)
        JsonNode synced = synchronizeOperators(companyToken, List.of(
                Map.of("organizationId", orgId, "name", "Anna Kovalenko"),
                Map.of("organizationId", orgId, "name", "Eva Novak", "externalId", "crm-42", "email", "eva@example.com")));
        assertThat(synced.get(0).get("id").asLong()).isEqualTo(operatorId);
        long eva = synced.get(1).get("id").asLong();
        assertThat(getOperators(companyToken, orgId)).extracting(o -> o.get("id").asLong()).contains(operatorId, eva);

        // 4. Generate operator token, expiresAt exactly as the guide computes it
        String expiresAt = jsIsoString(Instant.now().plus(Duration.ofHours(24)));
        String operatorToken = getOperatorToken(companyToken, operatorId, expiresAt);
        assertThat(operatorToken).startsWith("\"").endsWith("\"");

        // 5. Validate token
        JsonNode validation = validateToken(companyToken, operatorToken);
        assertThat(validation.get("isValid").asBoolean()).as(validation.toString()).isTrue();
        assertThat(validation.get("operatorId").asLong()).isEqualTo(operatorId);
        assertThat(validation.get("error").isNull()).isTrue();
        assertThat(Instant.parse(validation.get("expiresAt").asText()))
                .isEqualTo(Instant.parse(expiresAt).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

        // The quoted operator token, as the widget's token attribute would carry it, works on its own.
        JsonNode own = json(api().get("/api/operator").bearer(operatorToken).send());
        assertThat(own).extracting(o -> o.get("id").asLong()).contains(operatorId, eva);
        JsonNode self = json(api().post("/api/operator/validate-token").key(operatorToken)
                .json(Map.of("token", operatorToken)).send());
        assertThat(self.get("isValid").asBoolean()).isTrue();
        assertThat(self.get("clientId").asLong()).isEqualTo(validation.get("clientId").asLong());
    }

    @Test
    void refreshingBeforeExpiryGivesAnotherWorkingToken() {
        String companyToken = getCompanyToken("demo", "demo");
        long orgId = getOrganizations(companyToken).get(0).get("id").asLong();
        long operatorId = getOperators(companyToken, orgId).get(0).get("id").asLong();

        String first = getOperatorToken(companyToken, operatorId, jsIsoString(Instant.now().plus(Duration.ofHours(24))));
        String second = getOperatorToken(companyToken, operatorId, jsIsoString(Instant.now().plus(Duration.ofHours(24))));

        assertThat(second).isNotEqualTo(first);
        assertThat(validateToken(companyToken, first).get("isValid").asBoolean()).isTrue();
        assertThat(validateToken(companyToken, second).get("isValid").asBoolean()).isTrue();
    }
}
