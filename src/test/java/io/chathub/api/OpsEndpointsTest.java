package io.chathub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Health, readiness, metrics and the OpenAPI document: no token needed. */
class OpsEndpointsTest extends ServerTest {
    @Test
    void liveIsUp() {
        var r = server.api().get("/health/live").send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void readyIsUpWithItsDatabase() {
        var r = server.api().get("/health/ready").send();

        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("database").asText()).isEqualTo("UP");
        assertThat(body.get("databaseKind").asText()).isEqualTo(database);
    }

    @Test
    void metricsArePrometheusTextWithRequestTimersByRoute() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Sales");
        server.api().get("/api/company/organization/" + org).bearer(tenant.token()).send();

        var r = server.api().get("/metrics").send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        assertThat(r.text())
                .contains("# TYPE http_server_requests_seconds")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/api/company/organization/\\{id}\"[^}]*} \\d")
                .contains("jvm_memory_used_bytes")
                .contains("hikaricp_connections");
        assertThat(r.text()).doesNotContain("/api/company/organization/" + org + "\"");
        assertThat(r.text()).doesNotContain(tenant.token());
    }

    @Test
    void theNodesIdIsInReadinessAndInTheMetrics() {
        String node = io.chathub.auth.Secrets.nodeId(server.hub().config());

        assertThat(server.api().get("/health/ready").send().json().get("node").asText()).isEqualTo(node);
        assertThat(server.api().get("/metrics").send().text()).contains("chathub_node{node=\"" + node + "\"} 1.0");
    }

    @Test
    void openApiDocumentIsJson() {
        var r = server.api().get("/openapi.json").send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().isObject()).isTrue();
    }

    @Test
    void opsEndpointsNeedNoToken() {
        for (String path : new String[] {"/health/live", "/health/ready", "/metrics", "/openapi.json"}) {
            assertThat(server.api().get(path).send().status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void unsupportedMethodIsAProblemToo() {
        var r = server.api().delete("/api/company/get-token").send();

        assertThat(r.status()).isIn(404, 405);
        assertProblem(r, r.status());
    }

    @Test
    void unknownPathIsA404Problem() {
        var p = assertProblem(server.api().get("/api/no-such-thing").send(), 404);

        assertThat(p.get("instance").asText()).isEqualTo("/api/no-such-thing");
    }
}
