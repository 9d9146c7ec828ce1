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
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code POST /api/company/get-token}: the company login. */
class CompanyTokenTest extends ServerTest {
    private Api.Response login(Object body) {
        return server.api().post("/api/company/get-token").json(body).send();
    }

    private String newCompany() {
        String login = TestServer.uniqueLogin();
        server.createCompany(login);
        return login;
    }

    @Test
    void validLoginAnswersTheTokenAsAJsonString() {
        String login = newCompany();
        var r = login(Map.of("login", login, "password", TestServer.PASSWORD));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.text()).startsWith("\"").endsWith("\"");
        String token = r.jsonString();
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(server.api().get("/api/company/organization").bearer(token).send().status()).isEqualTo(200);
    }

    @Test
    void tokenIsAnHs256CompanyTokenOfThatCompanyLastingTheConfiguredTtl() {
        TestTenant tenant = server.newTenant();
        var header = Jwt.header(tenant.token());
        var claims = Jwt.payload(tenant.token());

        assertThat(header.get("alg").asText()).isEqualTo("HS256");
        assertThat(claims.get("kind").asText()).isEqualTo("company");
        assertThat(claims.get("cid").asLong()).isEqualTo(tenant.companyId());
        assertThat(claims.get("jti").asText()).isNotEmpty();
        long expectedExp = Instant.now().plus(server.hub().config().companyTokenTtl()).getEpochSecond();
        assertThat(claims.get("exp").asLong()).isCloseTo(expectedExp, within(60L));
    }

    @Test
    void acceptTextPlainAnswersTheRawToken() {
        String login = newCompany();
        var r = server.api().post("/api/company/get-token").accept("text/plain")
                .json(Map.of("login", login, "password", TestServer.PASSWORD)).send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        assertThat(r.text()).doesNotContain("\"").matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat(server.api().get("/api/company/organization").bearer(r.text()).send().status()).isEqualTo(200);
    }

    @Test
    void acceptPreferringJsonOverTextAnswersAJsonString() {
        String login = newCompany();
        var r = server.api().post("/api/company/get-token").accept("text/plain;q=0.5, application/json")
                .json(Map.of("login", login, "password", TestServer.PASSWORD)).send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.text()).startsWith("\"");
    }

    @Test
    void browserStyleAcceptAnswersAJsonString() {
        String login = newCompany();
        var r = server.api().post("/api/company/get-token").accept("*/*")
                .json(Map.of("login", login, "password", TestServer.PASSWORD)).send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).startsWith("\"");
    }

    @Test
    void pascalCaseFieldNamesAreAcceptedAsAspNetDoes() {
        String login = newCompany();
        var r = login(Map.of("Login", login, "Password", TestServer.PASSWORD));

        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordIs401WithoutAToken() {
        String login = newCompany();
        var r = login(Map.of("login", login, "password", "not the password"));

        var p = assertProblem(r, 401);
        assertThat(p.get("detail").asText()).isEqualTo("Invalid login or password");
        assertThat(r.text()).doesNotContain("eyJ");
    }

    @Test
    void unknownLoginIsAnsweredLikeAWrongPassword() {
        var r = login(Map.of("login", "nobody-" + TestServer.uniqueLogin(), "password", TestServer.PASSWORD));

        var p = assertProblem(r, 401);
        assertThat(p.get("detail").asText()).isEqualTo("Invalid login or password");
    }

    @Test
    void missingPasswordIs400NamingIt() {
        assertBadRequest(login(Map.of("login", newCompany())), "password");
    }

    @Test
    void missingLoginIs400NamingIt() {
        assertBadRequest(login(Map.of("password", TestServer.PASSWORD)), "login");
    }

    @Test
    void nullLoginIs400NamingIt() {
        assertBadRequest(login("{\"login\":null,\"password\":\"x\"}"), "login");
    }

    @Test
    void numberWhereAStringIsExpectedIs400NamingTheField() {
        assertBadRequest(login(Map.of("login", 12345, "password", TestServer.PASSWORD)), "login");
        assertBadRequest(login(Map.of("login", newCompany(), "password", 12345678)), "password");
    }

    @Test
    void nulCharacterInTheLoginIs400OnEveryDatabase() {
        assertBadRequest(login(Map.of("login", "a\u0000b", "password", TestServer.PASSWORD)), "login");
    }

    @Test
    void brokenJsonIs400() {
        assertBadRequest(login("{\"login\": \"a\", "), "body");
    }

    @Test
    void arrayInsteadOfObjectIs400() {
        assertBadRequest(login("[{\"login\":\"a\",\"password\":\"b\"}]"), "body");
    }

    @Test
    void emptyBodyIs400() {
        assertBadRequest(server.api().post("/api/company/get-token").send(), "body");
    }

    @Test
    void eachLoginIssuesADistinctToken() {
        String login = newCompany();
        String a = login(Map.of("login", login, "password", TestServer.PASSWORD)).jsonString();
        String b = login(Map.of("login", login, "password", TestServer.PASSWORD)).jsonString();

        assertThat(a).isNotEqualTo(b);
        assertThat(Duration.ofSeconds(Jwt.payload(b).get("exp").asLong() - Jwt.payload(a).get("exp").asLong()))
                .isLessThan(Duration.ofMinutes(1));
    }
}
