package io.chathub.web;

import io.chathub.testing.Api;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser origins (SPEC §4): the API and the hub accept a page's requests only from the allowed origins of the
 * token's organization (a company token: any of its organizations'); "*" allows all; a refusal is a 403 the page
 * can read; requests without an Origin are not browsers and pass; preflight is answered for anyone; development
 * mode also allows localhost.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class CorsTest {
    static final String CRM = "https://crm.example.com";
    static final String EVIL = "https://evil.example.net";
    static TestServer server;
    static TestServer dev;

    @Parameter
    String database;

    @BeforeParameterizedClassInvocation
    static void startServers(String database) {
        server = TestServer.start(database);
        try {
            dev = TestServer.start(database, b -> b.dev(true).demo(true));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @AfterParameterizedClassInvocation
    static void stopServers() {
        try {
            server.close();
        } finally {
            dev.close();
        }
    }

    record Org(TestTenant tenant, long org, String operatorToken) {}

    static Org tenantWithOrigins(List<String> origins) {
        TestTenant t = server.newTenant();
        long org = t.organization("Sales");
        var r = t.api().put("/api/company/organization/" + org).bearer(t.token()).json(Map.of("allowedOrigins", origins)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Org(t, org, t.operatorToken(t.operator(org, "Ann")));
    }

    static Api api() {
        return server.api();
    }

    @Test
    void preflightIsAnsweredForAnyOriginWithTheRequestedHeaders() {
        var pre = options("/api/chat/1/message", EVIL, "POST", "authorization, content-type, idempotency-key");
        assertThat(pre.status()).isEqualTo(204);
        assertThat(pre.header("Access-Control-Allow-Origin")).hasValue(EVIL);
        assertThat(pre.header("Access-Control-Allow-Methods").orElseThrow()).contains("POST", "PUT", "GET", "DELETE");
        assertThat(pre.header("Access-Control-Allow-Headers")).hasValue("authorization, content-type, idempotency-key");
        assertThat(options("/chathub/negotiate", EVIL, "POST", "authorization, x-requested-with, x-signalr-user-agent").status())
                .isEqualTo(204);
    }

    @Test
    void anAllowedOriginGetsTheResponseWithCorsHeaders() {
        Org o = tenantWithOrigins(List.of(CRM));
        var r = api().get("/api/chat/chats").bearer(o.operatorToken()).header("Origin", CRM).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue(CRM);
        assertThat(r.header("Vary").orElseThrow()).contains("Origin");
        // the origin is compared as browsers send it; the setting is stored lower-case without a slash
        assertThat(api().get("/api/chat/chats").bearer(o.operatorToken()).header("Origin", "https://CRM.example.com").send().status())
                .isEqualTo(200);
    }

    @Test
    void anotherOriginIsRefusedWith403ThatThePageCanReadAndThatCarriesNoData() {
        Org o = tenantWithOrigins(List.of(CRM));
        var r = api().get("/api/chat/chats").bearer(o.operatorToken()).header("Origin", EVIL).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.contentType()).startsWith("application/problem+json");
        // with CORS headers for that origin: the page can tell "this site is not allowed" from "no server"
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue(EVIL);
        assertThat(r.header("Vary").orElseThrow()).contains("Origin");
        // the body is the refusal and nothing else (no chats)
        var body = r.json();
        assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactly("type", "title", "status", "detail", "instance");
        assertThat(body.get("detail").asText())
                .isEqualTo("Origin not allowed: " + EVIL + " is not in the allowed origins of this token's organization");
        // a company token of the same tenant is held to its organizations' origins too
        assertThat(api().get("/api/chat/chats").bearer(o.tenant().token()).header("Origin", EVIL).send().status()).isEqualTo(403);
        assertThat(api().get("/api/chat/chats").bearer(o.tenant().token()).header("Origin", CRM).send().status()).isEqualTo(200);
    }

    @Test
    void requestsWithoutAnOriginAreNotBrowsersAndPass() {
        Org o = tenantWithOrigins(List.of());
        var r = api().get("/api/chat/chats").bearer(o.operatorToken()).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void starAllowsEveryOrigin() {
        Org o = tenantWithOrigins(List.of("*"));
        var r = api().get("/api/chat/chats").bearer(o.operatorToken()).header("Origin", EVIL).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue(EVIL);
    }

    @Test
    void aBadTokenIsA401ThePageCanRead() {
        var r = api().get("/api/chat/chats").bearer("nope").header("Origin", EVIL).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("detail").asText()).isEqualTo("Invalid token");
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue(EVIL);
    }

    @Test
    void developmentModeAllowsLocalhost() {
        var r = dev.api().get("/api/chat/chats").bearer("test-token-for-development").header("Origin", "http://localhost:5173").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(dev.api().get("/api/chat/chats").bearer("test-token-for-development").header("Origin", "http://127.0.0.1:3000").send().status())
                .isEqualTo(200);
        assertThat(dev.api().get("/api/chat/chats").bearer("test-token-for-development").header("Origin", EVIL).send().status())
                .isEqualTo(403);
        // outside development mode localhost is an origin like any other
        Org o = tenantWithOrigins(List.of(CRM));
        assertThat(api().get("/api/chat/chats").bearer(o.operatorToken()).header("Origin", "http://localhost:5173").send().status())
                .isEqualTo(403);
    }

    @Test
    void theHubChecksTheOriginAtNegotiateAndAtTheWebSocketUpgrade() throws Exception {
        Org o = tenantWithOrigins(List.of(CRM));
        var refused = api().post("/chathub/negotiate?negotiateVersion=1").bearer(o.operatorToken()).header("Origin", EVIL).send();
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).hasValue(EVIL);
        assertThat(refused.json().has("connectionToken")).isFalse();
        var allowed = api().post("/chathub/negotiate?negotiateVersion=1").bearer(o.operatorToken()).header("Origin", CRM).send();
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).hasValue(CRM);

        String query = "/chathub?access_token=" + URLEncoder.encode(o.operatorToken(), StandardCharsets.UTF_8);
        assertThat(upgrade(query, EVIL)).isEqualTo(403);
        assertThat(upgrade(query, CRM)).isEqualTo(101);
        assertThat(upgrade(query, null)).isEqualTo(101);
    }

    @Test
    void aWebsiteVisitorsHubConnectionIsHeldToItsWidgetsAllowedOrigins() throws Exception {
        var tenant = server.newTenant();
        long org = tenant.organization("Shop");
        tenant.updateOrganization(org, java.util.Map.of("allowedOrigins", List.of(CRM)));
        var visitor = io.chathub.testing.TestVisitor.arrive(server, tenant.widgetGuid(org), CRM);

        var refused = api().post("/chathub/negotiate?negotiateVersion=1").bearer(visitor.token()).header("Origin", EVIL).send();
        assertThat(refused.status()).isEqualTo(403);
        String query = "/chathub?access_token=" + URLEncoder.encode(visitor.token(), StandardCharsets.UTF_8);
        assertThat(upgrade(query, EVIL)).isEqualTo(403);
        assertThat(upgrade(query, CRM)).isEqualTo(101);
    }

    @Test
    void thisServersOwnPagesAreSameOriginForTheApiTheWidgetApiAndTheHub() throws Exception {
        // the console, its full-page operator panel and the widget preview are served by the server itself: their
        // Origin is the Host the request went to, whatever the organizations allow
        Org o = tenantWithOrigins(List.of(CRM));
        String own = "http://127.0.0.1:" + server.hub().port();
        var r = api().get("/api/chat/chats").bearer(o.tenant().token()).header("Origin", own).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(api().get("/api/chat/chats").bearer(o.operatorToken()).header("Origin", own).send().status()).isEqualTo(200);
        assertThat(api().post("/chathub/negotiate?negotiateVersion=1").bearer(o.operatorToken()).header("Origin", own).send().status())
                .isEqualTo(200);
        String query = "/chathub?access_token=" + URLEncoder.encode(o.operatorToken(), StandardCharsets.UTF_8);
        assertThat(upgrade(query, own)).isEqualTo(101);
        var visitor = io.chathub.testing.TestVisitor.arrive(server, o.tenant().widgetGuid(o.org()), own);
        assertThat(visitor.token()).isNotBlank();
        // the same port on another host name, or another scheme's default port, is another origin
        assertThat(api().get("/api/chat/chats").bearer(o.operatorToken()).header("Origin", "http://localhost:" + server.hub().port()).send().status())
                .isEqualTo(403);
        assertThat(api().get("/api/chat/chats").bearer(o.operatorToken()).header("Origin", "http://127.0.0.1").send().status()).isEqualTo(403);
        assertThat(upgrade(query, "http://127.0.0.1:1")).isEqualTo(403);
    }

    /** The status of a hand-written WebSocket upgrade request (java.net.http only says that one failed). */
    private static int upgrade(String pathAndQuery, String origin) throws Exception {
        int port = server.hub().port();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            var line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) line.write(b);
            return Integer.parseInt(line.toString(StandardCharsets.US_ASCII).split(" ")[1]);
        }
    }

    record Raw(int status, Map<String, List<String>> headers) {
        java.util.Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst();
        }
    }

    /** An OPTIONS preflight as browsers send it. */
    private static Raw options(String path, String origin, String method, String headers) {
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.hub().port() + path))
                    .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .header("Origin", origin).header("Access-Control-Request-Method", method)
                    .header("Access-Control-Request-Headers", headers).build();
            var r = client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding());
            return new Raw(r.statusCode(), r.headers().map());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
