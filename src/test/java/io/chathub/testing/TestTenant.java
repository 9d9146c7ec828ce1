package io.chathub.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A company of a test, with its company token, and shortcuts that set up its organizations,
 * operators and operator tokens through the API (each asserting that the call succeeded).
 */
public record TestTenant(TestServer server, long companyId, String login, String password, String token) {

    public Api api() {
        return server.api();
    }

    /** Creates an organization; returns its id. */
    public long organization(String name) {
        var r = api().post("/api/company/organization").bearer(token).json(Map.of("name", name)).send();
        if (r.status() != 201) throw new AssertionError("creating organization failed: " + r);
        return r.json().get("id").longValue();
    }

    /** Creates (synchronizes) one operator; returns its id. */
    public long operator(long organizationId, String name) {
        JsonNode first = synchronize(List.of(Map.of("organizationId", organizationId, "name", name))).get(0);
        return first.get("id").longValue();
    }

    public JsonNode synchronize(List<?> items) {
        var r = api().post("/api/operator/synchronize").bearer(token).json(items).send();
        if (r.status() != 200) throw new AssertionError("synchronize failed: " + r);
        return r.json();
    }

    /** An operator token that lasts an hour. */
    public String operatorToken(long operatorId) {
        return operatorToken(operatorId, Instant.now().plus(Duration.ofHours(1)));
    }

    public String operatorToken(long operatorId, Instant expiresAt) {
        var r = api().post("/api/operator/get-token").bearer(token)
                .json(Map.of("id", operatorId, "expiresAt", expiresAt.toString())).send();
        if (r.status() != 200) throw new AssertionError("operator get-token failed: " + r);
        return r.jsonString();
    }

    public void setStatus(long operatorId, int status) {
        var r = api().post("/api/operator/status").bearer(token).json(Map.of("id", operatorId, "status", status)).send();
        if (r.status() != 200) throw new AssertionError("operator status failed: " + r);
    }

    /** The company's operators of one organization, as {@code GET /api/operator} lists them. */
    public JsonNode operators(long organizationId) {
        var r = api().get("/api/operator?organizationId=" + organizationId).bearer(token).send();
        if (r.status() != 200) throw new AssertionError("listing operators failed: " + r);
        return r.json();
    }

    public JsonNode organizationSettings(long organizationId) {
        var r = api().get("/api/company/organization/" + organizationId).bearer(token).send();
        if (r.status() != 200) throw new AssertionError("reading organization failed: " + r);
        return r.json();
    }
}
