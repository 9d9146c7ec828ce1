package io.chathub.api;

import io.chathub.testing.ServerTest;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Bodies over {@code maxRequestBytes} are refused with 413 and change nothing. */
class RequestSizeTest extends ServerTest {
    /** A JSON array of synchronize items padded with whitespace to about {@code bytes} bytes. */
    private static String paddedSync(long organizationId, int bytes) {
        String item = "{\"organizationId\":" + organizationId + ",\"name\":\"Padded\"}";
        return "[" + " ".repeat(Math.max(0, bytes - item.length() - 2)) + item + "]";
    }

    @Test
    void bodyOverTheLimitIs413AndChangesNothing() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        String body = paddedSync(sales, (int) TestServer.MAX_REQUEST_BYTES + 1024);

        var r = server.api().post("/api/operator/synchronize").bearer(tenant.token()).json(body).send();

        var p = assertProblem(r, 413);
        assertThat(p.get("detail").asText()).isEqualTo("Request body too large");
        assertThat(tenant.operators(sales)).isEmpty();
    }

    @Test
    void chunkedBodyOverTheLimitIs413AndChangesNothing() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        byte[] body = paddedSync(sales, (int) TestServer.MAX_REQUEST_BYTES * 2).getBytes(StandardCharsets.UTF_8);

        var r = server.api().post("/api/operator/synchronize").bearer(tenant.token()).chunked(body).send();

        assertProblem(r, 413);
        assertThat(tenant.operators(sales)).isEmpty();
    }

    @Test
    void oversizedLoginIs413BeforeAnyPasswordCheck() {
        String body = "{\"login\":\"someone\",\"password\":\"" + "x".repeat((int) TestServer.MAX_REQUEST_BYTES) + "\"}";

        assertProblem(server.api().post("/api/company/get-token").json(body).send(), 413);
    }

    @Test
    void bodyJustUnderTheLimitIsAccepted() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        String body = paddedSync(sales, (int) TestServer.MAX_REQUEST_BYTES - 512);

        var r = server.api().post("/api/operator/synchronize").bearer(tenant.token()).json(body).send();

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(tenant.operators(sales)).extracting(o -> o.get("name").asText()).isEqualTo(List.of("Padded"));
    }

    @Test
    void serverStillAnswersAfterRefusingABody() {
        TestTenant tenant = server.newTenant();
        String body = "{\"name\":\"" + "x".repeat((int) TestServer.MAX_REQUEST_BYTES) + "\"}";
        assertProblem(server.api().post("/api/company/organization").bearer(tenant.token()).json(body).send(), 413);

        var r = server.api().post("/api/company/organization").bearer(tenant.token()).json(Map.of("name", "Sales")).send();

        assertThat(r.status()).isEqualTo(201);
    }
}
