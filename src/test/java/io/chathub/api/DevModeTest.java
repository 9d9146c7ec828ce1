package io.chathub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertInvalidToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Development mode: with demo data, the token {@code test-token-for-development} is the first demo
 * operator; a server with the same demo data but without development mode refuses it.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class DevModeTest {
    static final String DEV_TOKEN = "test-token-for-development";
    static TestServer dev;
    static TestServer production;

    @Parameter
    String database;

    @BeforeParameterizedClassInvocation
    static void startServers(String database) {
        dev = TestServer.start(database, b -> b.dev(true).demo(true));
        try {
            production = TestServer.start(database, b -> b.dev(false).demo(true));
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
    }

    @AfterParameterizedClassInvocation
    static void stopServers() {
        try {
            dev.close();
        } finally {
            production.close();
        }
    }

    private static String demoCompanyToken(TestServer server) {
        var r = server.api().post("/api/company/get-token").json(Map.of("login", "demo", "password", "demo")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.jsonString();
    }

    /** The demo operators of the first demo organization, Sales, as the demo company sees them. */
    private static JsonNode demoSalesOperators(TestServer server) {
        String company = demoCompanyToken(server);
        JsonNode orgs = server.api().get("/api/company/organization").bearer(company).send().json();
        assertThat(orgs.get(0).get("name").asText()).isEqualTo("Sales");
        return server.api().get("/api/operator?organizationId=" + orgs.get(0).get("id").asLong()).bearer(company).send().json();
    }

    @Test
    void devTokenActsAsTheFirstDemoOperator() {
        JsonNode sales = demoSalesOperators(dev);

        var r = dev.api().get("/api/operator").bearer(DEV_TOKEN).send();

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(sales);
        JsonNode self = dev.api().post("/api/operator/validate-token").bearer(DEV_TOKEN).json(Map.of("token", DEV_TOKEN)).send().json();
        assertThat(self.get("isValid").asBoolean()).isTrue();
        assertThat(self.get("operatorId").asLong()).isEqualTo(sales.get(0).get("id").asLong());
        assertThat(sales.get(0).get("name").asText()).isEqualTo("Anna Kovalenko");
    }

    @Test
    void devTokenWorksInEitherHeaderAndQuoted() {
        assertThat(dev.api().get("/api/operator").key(DEV_TOKEN).send().status()).isEqualTo(200);
        assertThat(dev.api().get("/api/operator").bearer("\"" + DEV_TOKEN + "\"").send().status()).isEqualTo(200);
    }

    @Test
    void demoCompanyValidatesTheDevTokenAndOtherCompaniesDoNot() {
        String demo = demoCompanyToken(dev);
        TestTenant other = dev.newTenant();

        JsonNode byDemo = dev.api().post("/api/operator/validate-token").bearer(demo).json(Map.of("token", DEV_TOKEN)).send().json();
        JsonNode byOther = dev.api().post("/api/operator/validate-token").bearer(other.token()).json(Map.of("token", DEV_TOKEN)).send().json();

        assertThat(byDemo.get("isValid").asBoolean()).isTrue();
        assertThat(byOther.get("isValid").asBoolean()).isFalse();
        assertThat(byOther.get("error").asText()).isEqualTo("Invalid token");
    }

    @Test
    void devTokenIsAnOperatorNotACompany() {
        Api api = dev.api();

        assertForbidden(api.post("/api/company/organization").bearer(DEV_TOKEN).json(Map.of("name", "X")).send());
        assertForbidden(api.post("/api/operator/synchronize").bearer(DEV_TOKEN).json("[]").send());
    }

    @Test
    void devTokenCannotBeRevoked() {
        String demo = demoCompanyToken(dev);

        assertBadRequest(dev.api().post("/api/operator/revoke-token").bearer(demo).json(Map.of("token", DEV_TOKEN)).send(), "token");
        assertThat(dev.api().get("/api/operator").bearer(DEV_TOKEN).send().status()).isEqualTo(200);
    }

    @Test
    void devTokenIsInvalidWithoutDevelopmentMode() {
        assertInvalidToken(production.api().get("/api/operator").bearer(DEV_TOKEN).send());
        assertInvalidToken(production.api().get("/api/company/organization").key(DEV_TOKEN).send());
        String demo = demoCompanyToken(production);
        JsonNode v = production.api().post("/api/operator/validate-token").bearer(demo).json(Map.of("token", DEV_TOKEN)).send().json();
        assertThat(v.get("isValid").asBoolean()).isFalse();
        assertThat(v.get("error").asText()).isEqualTo("Invalid token");
    }

    @Test
    void demoDataHasTwoOrganizationsWithTwoOperatorsEach() {
        String demo = demoCompanyToken(production);

        JsonNode orgs = production.api().get("/api/company/organization").bearer(demo).send().json();
        JsonNode ops = production.api().get("/api/operator").bearer(demo).send().json();

        assertThat(orgs).extracting(o -> o.get("name").asText()).containsExactly("Sales", "Support");
        assertThat(ops).extracting(o -> o.get("name").asText())
                .containsExactly("Anna Kovalenko", "Bram de Vries", "Chris Yilmaz", "Dana Shevchenko");
    }
}
