package io.chathub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.ChatHub;
import io.chathub.config.Config;
import io.chathub.web.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/** A real ChatHub on a random port (SQLite, demo data, development mode) and the REST calls the hub tests need. */
final class HubTestServer implements AutoCloseable {
    static final String DEV_TOKEN = "test-token-for-development";

    /** Short clocks so that timeout tests take seconds; clients must ping more often than clientTimeout. */
    static Config.HubSettings fastClocks(Config.HubSettings s) {
        return s.withKeepAliveInterval(Duration.ofMillis(300))
                .withClientTimeout(Duration.ofSeconds(3))
                .withHandshakeTimeout(Duration.ofSeconds(2))
                .withNegotiateTimeout(Duration.ofSeconds(2))
                .withWriteTimeout(Duration.ofSeconds(1))
                .withMaxMessageBytes(65_536);
    }

    final ChatHub app;
    final Hub hub;
    private final HttpClient http = HttpClient.newHttpClient();

    private HubTestServer(ChatHub app) {
        this.app = app;
        this.hub = app.hub();
    }

    static HubTestServer start(Path dataDir, UnaryOperator<Config.HubSettings> hubSettings) {
        Config config = Config.builder().port(0).host("127.0.0.1").dataDir(dataDir).demo(true).dev(true)
                .hub(hubSettings.apply(Config.HubSettings.defaults())).build();
        return new HubTestServer(ChatHub.start(config));
    }

    String http(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    String ws(String pathAndQuery) {
        return "ws://127.0.0.1:" + app.port() + pathAndQuery;
    }

    int port() {
        return app.port();
    }

    HttpResponse<String> post(String path, String token, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(http(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(http(path))).header("Authorization", "Bearer " + token).build();
        return Json.read(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    String companyToken() throws Exception {
        var response = post("/api/company/get-token", null, "{\"login\":\"demo\",\"password\":\"demo\"}");
        return Json.read(response.body()).textValue();
    }

    /** The id of a demo organization ("Sales" or "Support"). */
    long organizationId(String companyToken, String name) throws Exception {
        for (JsonNode org : getJson("/api/company/organization", companyToken)) {
            if (org.get("name").asText().equals(name)) return org.get("id").asLong();
        }
        throw new IllegalStateException("no organization " + name);
    }

    /** The id of the n-th operator (0-based) of an organization. */
    long operatorId(String companyToken, long organizationId, int n) throws Exception {
        return getJson("/api/operator?organizationId=" + organizationId, companyToken).get(n).get("id").asLong();
    }

    String operatorToken(String companyToken, long operatorId, Instant expiresAt) throws Exception {
        var response = post("/api/operator/get-token", companyToken,
                "{\"id\":" + operatorId + ",\"expiresAt\":\"" + expiresAt + "\"}");
        if (response.statusCode() != 200) throw new IllegalStateException("get-token: " + response.body());
        return Json.read(response.body()).textValue();
    }

    /** Negotiates (version 1) and returns the response. */
    JsonNode negotiate(String token) throws Exception {
        var response = post("/chathub/negotiate?negotiateVersion=1", token, null);
        if (response.statusCode() != 200) throw new IllegalStateException("negotiate: " + response.statusCode());
        return Json.read(response.body());
    }

    /** The Prometheus text, for checking the hub's meters. */
    String metrics() throws Exception {
        var request = HttpRequest.newBuilder(URI.create(http("/metrics"))).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() {
        app.close();
    }
}
