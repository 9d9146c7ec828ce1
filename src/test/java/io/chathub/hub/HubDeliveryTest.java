package io.chathub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.auth.Principal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.chathub.hub.RawHubClient.HANDSHAKE;
import static org.assertj.core.api.Assertions.assertThat;

/** Fan-out to an audience: one slow client is cut off without holding back or reordering anyone else. */
class HubDeliveryTest {
    @TempDir
    static Path dataDir;
    static HubTestServer server;

    @BeforeAll
    static void start() {
        server = HubTestServer.start(dataDir, s -> s
                .withOutboundMaxFrames(64)
                .withOutboundMaxBytes(1_048_576)
                .withWriteTimeout(Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String url() {
        return server.ws("/chathub?access_token=" + HubTestServer.DEV_TOKEN);
    }

    @Test
    void aSlowConsumerIsClosedWhileAFastOneOnTheSameAudienceGetsEverythingInOrder() throws Exception {
        JsonNode negotiated = server.negotiate(HubTestServer.DEV_TOKEN);
        String slowId = negotiated.get("connectionId").asText();
        var disconnected = new CompletableFuture<HubConnection>();
        server.hub.onDisconnected(c -> {
            if (c.connectionId().equals(slowId)) disconnected.complete(c);
        });

        // The slow client reads the handshake answer and then nothing: its socket buffers fill up.
        try (var slow = RawHubClient.connect(server.ws("/chathub?id=" + negotiated.get("connectionToken").asText()
                + "&access_token=" + HubTestServer.DEV_TOKEN), true);
             var fast = RawHubClient.open(url())) {
            slow.send(HANDSHAKE);
            assertThat(slow.next().isEmpty()).isTrue();
            HubConnection slowConnection = server.hub.connections(Audience.connection(slowId)).getFirst();
            var audience = Audience.operator(((Principal.Operator) slowConnection.principal()).operatorId());
            String payload = "x".repeat(32 * 1024);

            int afterSlowClosed = 0;
            int i = 0;
            for (; i < 3_000 && afterSlowClosed < 50; i++) {
                int queued = server.hub.send(audience, "Bulk", i, payload);
                assertThat(queued).isGreaterThanOrEqualTo(1);
                JsonNode m = fast.nextNonPing();
                assertThat(m.get("target").asText()).isEqualTo("Bulk");
                assertThat(m.get("arguments").get(0).asInt()).isEqualTo(i);
                if (!slowConnection.isOpen()) afterSlowClosed++;
            }

            assertThat(afterSlowClosed).as("the slow consumer was closed after %d frames", i).isEqualTo(50);
            assertThat(slowConnection.closeError()).hasValue("Connection closed: client too slow");
            assertThat(disconnected.get(10, TimeUnit.SECONDS)).isSameAs(slowConnection);
            assertThat(server.hub.connections(audience)).hasSize(1);
            assertThat(server.metrics()).containsPattern("chathub_hub_slow_consumer_closes_total(\\{[^}]*})? [1-9]")
                    .contains("chathub_hub_frames_dropped_total").contains("chathub_hub_connections");
        }
    }

    @Test
    void aClientThatStopsReadingInTheMiddleOfAWriteIsDroppedAfterTheWriteTimeout() throws Exception {
        JsonNode negotiated = server.negotiate(HubTestServer.DEV_TOKEN);
        String stuckId = negotiated.get("connectionId").asText();
        var disconnected = new CompletableFuture<HubConnection>();
        server.hub.onDisconnected(c -> {
            if (c.connectionId().equals(stuckId)) disconnected.complete(c);
        });
        try (var stuck = RawHubClient.connect(server.ws("/chathub?id=" + negotiated.get("connectionToken").asText()
                + "&access_token=" + HubTestServer.DEV_TOKEN), true)) {
            stuck.send(HANDSHAKE);
            assertThat(stuck.next().isEmpty()).isTrue(); // then it reads nothing more
            HubConnection connection = server.hub.connections(Audience.connection(stuckId)).getFirst();
            long started = System.nanoTime();

            // One message larger than what the sockets' buffers take: its write stays in flight. Alone in the
            // queue, it is within the bound, so only the write timeout (1 s here) can end it.
            assertThat(connection.send("Big", "x".repeat(24 * 1024 * 1024))).isTrue();

            assertThat(disconnected.get(10, TimeUnit.SECONDS)).isSameAs(connection);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(connection.closedAsSlowConsumer()).isFalse();
            assertThat(server.hub.connections(Audience.connection(stuckId))).isEmpty();
        }
    }

    @Test
    void aBurstWithinTheBoundArrivesWholeAndInOrder() throws Exception {
        try (var a = RawHubClient.open(url()); var b = RawHubClient.open(url())) {
            var audience = Audience.operator(((Principal.Operator) server.hub.connections().getFirst().principal()).operatorId());
            for (int i = 0; i < 60; i++) server.hub.send(audience, "Seq", i);
            for (var client : new RawHubClient[] {a, b}) {
                for (int i = 0; i < 60; i++) {
                    assertThat(client.nextNonPing().get("arguments").get(0).asInt()).isEqualTo(i);
                }
            }
        }
    }

    @Test
    void anOrganizationsAudienceIsItsOperatorsAndTheCompanyTokensOnly() throws Exception {
        String ct = server.companyToken();
        long sales = server.organizationId(ct, "Sales");
        long support = server.organizationId(ct, "Support");
        Instant expires = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String salesToken = server.operatorToken(ct, server.operatorId(ct, sales, 0), expires);
        String supportToken = server.operatorToken(ct, server.operatorId(ct, support, 0), expires);
        JsonNode supportNegotiated = server.negotiate(supportToken);
        String supportId = supportNegotiated.get("connectionId").asText();
        try (var salesClient = RawHubClient.open(server.ws("/chathub?access_token=" + salesToken));
             var supportClient = RawHubClient.open(server.ws("/chathub?id=" + supportNegotiated.get("connectionToken").asText()
                     + "&access_token=" + supportToken));
             var companyClient = RawHubClient.open(server.ws("/chathub?access_token=" + ct))) {
            long companyId = server.hub.connections().stream().map(HubConnection::principal)
                    .filter(p -> p instanceof Principal.Company).findFirst().orElseThrow().companyId();

            assertThat(server.hub.send(Audience.organization(companyId, sales), "OrgEvent", sales)).isEqualTo(2);
            assertThat(server.hub.send(Audience.organization(999_999, sales), "Nope")).isZero();
            for (var client : new RawHubClient[] {salesClient, companyClient}) {
                JsonNode m = client.nextNonPing();
                assertThat(m.get("target").asText()).isEqualTo("OrgEvent");
                assertThat(m.get("arguments").get(0).asLong()).isEqualTo(sales);
            }
            // the other organization's operator got nothing before this marker
            server.hub.send(Audience.connection(supportId), "Marker");
            assertThat(supportClient.nextNonPing().get("target").asText()).isEqualTo("Marker");
            assertThat(server.hub.connections(Audience.organization(companyId, support))).hasSize(2);
        }
    }

    @Test
    void sendReachesNobodyOutsideTheAudience() throws Exception {
        JsonNode negotiated = server.negotiate(HubTestServer.DEV_TOKEN);
        try (var client = RawHubClient.open(server.ws("/chathub?id=" + negotiated.get("connectionToken").asText()
                + "&access_token=" + HubTestServer.DEV_TOKEN))) {
            assertThat(server.hub.send(Audience.company(999_999), "Nope")).isZero();
            assertThat(server.hub.send(Audience.operator(999_999), "Nope")).isZero();
            assertThat(server.hub.send(Audience.connection("unknown"), "Nope")).isZero();
            String id = negotiated.get("connectionId").asText();
            assertThat(server.hub.send(Audience.connection(id), "Hello", "you")).isEqualTo(1);
            JsonNode m = client.nextNonPing();
            assertThat(m.get("type").asInt()).isEqualTo(1);
            assertThat(m.has("invocationId")).isFalse();
            assertThat(m.get("target").asText()).isEqualTo("Hello");
        }
    }
}
