package io.chathub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.auth.Principal;
import io.chathub.web.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Negotiate (versions 0 and 1) and what the server checks before it upgrades a request to a WebSocket. */
class HubNegotiateTest {
    @TempDir
    static Path dataDir;
    static HubTestServer server;
    static String companyToken;

    @BeforeAll
    static void start() throws Exception {
        server = HubTestServer.start(dataDir, HubTestServer::fastClocks);
        companyToken = server.companyToken();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @AfterEach
    void allowAllOrigins() {
        server.hub.originPolicy(OriginPolicy.ALLOW_ALL);
    }

    @Test
    void negotiateVersion1OffersOnlyWebSocketsWithATokenDistinctFromTheId() throws Exception {
        var response = server.post("/chathub/negotiate?negotiateVersion=1", HubTestServer.DEV_TOKEN, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = Json.read(response.body());
        assertThat(body.get("negotiateVersion").asInt()).isEqualTo(1);
        assertThat(body.get("connectionId").asText()).isNotBlank();
        assertThat(body.get("connectionToken").asText()).isNotBlank().isNotEqualTo(body.get("connectionId").asText());
        assertThat(body.get("availableTransports")).hasSize(1);
        assertThat(body.get("availableTransports").get(0).get("transport").asText()).isEqualTo("WebSockets");
        assertThat(body.get("availableTransports").get(0).get("transferFormats").get(0).asText()).isEqualTo("Text");
    }

    @Test
    void negotiateWithoutVersionAnswersVersion0WithoutConnectionToken() throws Exception {
        JsonNode body = Json.read(server.post("/chathub/negotiate", HubTestServer.DEV_TOKEN, null).body());

        assertThat(body.get("negotiateVersion").asInt()).isZero();
        assertThat(body.has("connectionToken")).isFalse();
        assertThat(body.get("connectionId").asText()).isNotBlank();

        // In version 0 the connection id itself attaches the WebSocket.
        try (var client = RawHubClient.connect(server.ws("/chathub?id=" + body.get("connectionId").asText()
                + "&access_token=" + HubTestServer.DEV_TOKEN))) {
            client.send(RawHubClient.HANDSHAKE);
            assertThat(client.next().isEmpty()).isTrue();
        }
    }

    @Test
    void aLaterVersionIsAnsweredWithVersion1() throws Exception {
        JsonNode body = Json.read(server.post("/chathub/negotiate?negotiateVersion=7", HubTestServer.DEV_TOKEN, null).body());
        assertThat(body.get("negotiateVersion").asInt()).isEqualTo(1);
    }

    @Test
    void negotiateAcceptsTheTokenAsAccessTokenQueryParameterAndXAuthorizationKey() throws Exception {
        var byQuery = server.post("/chathub/negotiate?negotiateVersion=1&access_token=" + companyToken, null, null);
        assertThat(byQuery.statusCode()).isEqualTo(200);

        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.http("/chathub/negotiate?negotiateVersion=1")))
                .header("X-Authorization-Key", "\"" + companyToken + "\"")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        var byKey = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(byKey.statusCode()).isEqualTo(200);
    }

    @Test
    void negotiateWithABadOrMissingTokenIs401InvalidToken() throws Exception {
        for (String token : new String[] {"not-a-jwt", null}) {
            var response = server.post("/chathub/negotiate?negotiateVersion=1", token, null);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
            assertThat(Json.read(response.body()).get("detail").asText()).isEqualTo("Invalid token");
        }
    }

    @Test
    void negotiateAndUpgradeWithAnExpiredTokenAre401TokenExpired() throws Exception {
        long org = server.organizationId(companyToken, "Sales");
        long operator = server.operatorId(companyToken, org, 0);
        String token = server.operatorToken(companyToken, operator, Instant.now().plusSeconds(2));
        Thread.sleep(3_100);

        var negotiate = server.post("/chathub/negotiate?negotiateVersion=1", token, null);
        assertThat(negotiate.statusCode()).isEqualTo(401);
        assertThat(Json.read(negotiate.body()).get("detail").asText()).isEqualTo("token expired");

        var upgrade = RawUpgrade.request(server.port(), "/chathub?access_token=" + token, Map.of());
        assertThat(upgrade.status()).isEqualTo(401);
        assertThat(Json.read(upgrade.body()).get("detail").asText()).isEqualTo("token expired");
    }

    @Test
    void upgradeWithABadTokenIs401ProblemAndNoSocket() throws Exception {
        int before = server.hub.connections().size();

        var byQuery = RawUpgrade.request(server.port(), "/chathub?access_token=garbage", Map.of());
        var byHeader = RawUpgrade.request(server.port(), "/chathub", Map.of("Authorization", "Bearer garbage"));
        var missing = RawUpgrade.request(server.port(), "/chathub", Map.of());

        for (var response : new RawUpgrade.Response[] {byQuery, byHeader, missing}) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.head()).containsIgnoringCase("Content-Type: application/problem+json");
            JsonNode problem = Json.read(response.body());
            assertThat(problem.get("status").asInt()).isEqualTo(401);
            assertThat(problem.get("detail").asText()).isEqualTo("Invalid token");
        }
        assertThat(server.hub.connections()).hasSize(before);
    }

    @Test
    void upgradeWithAGoodTokenSwitchesProtocols() throws Exception {
        var response = RawUpgrade.request(server.port(), "/chathub?access_token=" + HubTestServer.DEV_TOKEN, Map.of());
        assertThat(response.status()).isEqualTo(101);
        // No HTTP session is opened for a socket (it cost memory for each one, and the hub has no use for it).
        assertThat(response.head()).doesNotContainIgnoringCase("Set-Cookie");
    }

    @Test
    void anUnknownIdIs404BeforeUpgrade() throws Exception {
        var response = RawUpgrade.request(server.port(), "/chathub?id=nope&access_token=" + HubTestServer.DEV_TOKEN, Map.of());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.head()).containsIgnoringCase("application/problem+json");
    }

    @Test
    void aNegotiatedIdAttachesOneSocketOnly() throws Exception {
        String token = server.negotiate(HubTestServer.DEV_TOKEN).get("connectionToken").asText();
        String path = "/chathub?id=" + token + "&access_token=" + HubTestServer.DEV_TOKEN;

        assertThat(RawUpgrade.request(server.port(), path, Map.of()).status()).isEqualTo(101);
        assertThat(RawUpgrade.request(server.port(), path, Map.of()).status()).isEqualTo(404);
    }

    @Test
    void aNegotiatedIdExpiresWhenNotUsedInTime() throws Exception {
        String token = server.negotiate(HubTestServer.DEV_TOKEN).get("connectionToken").asText();
        Thread.sleep(2_500); // the test server's negotiate timeout is 2 s

        var response = RawUpgrade.request(server.port(), "/chathub?id=" + token + "&access_token=" + HubTestServer.DEV_TOKEN, Map.of());
        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void aNegotiatedIdCannotBeUsedByAnotherIdentity() throws Exception {
        String token = server.negotiate(HubTestServer.DEV_TOKEN).get("connectionToken").asText();

        var response = RawUpgrade.request(server.port(), "/chathub?id=" + token + "&access_token=" + companyToken, Map.of());
        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void theOriginPolicyDecidesAtNegotiateAndUpgrade() throws Exception {
        server.hub.originPolicy((origin, principal) ->
                "https://crm.example.com".equals(origin) && principal instanceof Principal.Operator);

        var allowed = RawUpgrade.request(server.port(), "/chathub?access_token=" + HubTestServer.DEV_TOKEN,
                Map.of("Origin", "https://crm.example.com"));
        var refused = RawUpgrade.request(server.port(), "/chathub?access_token=" + HubTestServer.DEV_TOKEN,
                Map.of("Origin", "https://evil.example.com"));
        var refusedNegotiate = server.post("/chathub/negotiate?negotiateVersion=1", companyToken, null);

        assertThat(allowed.status()).isEqualTo(101);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refusedNegotiate.statusCode()).isEqualTo(403);
    }

    @Test
    void theConnectedPrincipalIsTheTokensPrincipal() throws Exception {
        var connected = new java.util.concurrent.CompletableFuture<HubConnection>();
        server.hub.onConnected(c -> {
            if (c.principal() instanceof Principal.Company) connected.complete(c);
        });
        try (var client = RawHubClient.open(server.ws("/chathub?access_token=" + companyToken))) {
            HubConnection c = connected.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(c.principal().companyId()).isPositive();
            assertThat(c.isOpen()).isTrue();
            assertThat(c.connectedAt()).isBefore(Instant.now().plus(Duration.ofSeconds(1)));
        }
    }
}
