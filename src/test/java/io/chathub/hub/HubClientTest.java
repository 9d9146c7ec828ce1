package io.chathub.hub;

import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;
import com.microsoft.signalr.TransportEnum;
import io.chathub.auth.Principal;
import io.reactivex.rxjava3.core.Single;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official Microsoft SignalR Java client against the hub: wire compatibility end to end. */
class HubClientTest {
    @TempDir
    static Path dataDir;
    static HubTestServer server;
    static String companyToken;
    static final List<String> connected = new CopyOnWriteArrayList<>();
    static final List<String> disconnected = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = HubTestServer.start(dataDir, HubTestServer::fastClocks);
        companyToken = server.companyToken();
        server.hub.method("Add", 2, (c, args) -> args.get(0).asInt() + args.get(1).asInt())
                .method("WhoAmI", 0, (c, args) -> Map.of("connectionId", c.connectionId(),
                        "companyId", c.principal().companyId()))
                .method("Fail", 1, (c, args) -> { throw new HubException(args.get(0).asText()); })
                .method("Crash", 0, (c, args) -> { throw new IllegalStateException("boom"); });
        server.hub.onConnected(c -> connected.add(c.connectionId()));
        server.hub.onDisconnected(c -> disconnected.add(c.connectionId()));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** A client with timers that fit the test server's short client timeout (3 s). */
    private static HubConnectionBuilderSteps client(String token) {
        return new HubConnectionBuilderSteps(token);
    }

    private record HubConnectionBuilderSteps(String token) {
        com.microsoft.signalr.HubConnection negotiating() {
            return HubConnectionBuilder.create(server.http("/chathub"))
                    .withAccessTokenProvider(Single.just(token))
                    .withKeepAliveInterval(500).withServerTimeout(2_000).build();
        }

        com.microsoft.signalr.HubConnection skippingNegotiation() {
            return HubConnectionBuilder.create(server.http("/chathub"))
                    .withAccessTokenProvider(Single.just(token))
                    .shouldSkipNegotiate(true).withTransport(TransportEnum.WEBSOCKETS)
                    .withKeepAliveInterval(500).withServerTimeout(2_000).build();
        }
    }

    private static void start(com.microsoft.signalr.HubConnection c) {
        c.start().blockingAwait(10, TimeUnit.SECONDS);
        assertThat(c.getConnectionState()).isEqualTo(HubConnectionState.CONNECTED);
    }

    @Test
    void connectsWithNegotiationAndInvokesAMethod() {
        var c = client(HubTestServer.DEV_TOKEN).negotiating();
        try {
            start(c);
            assertThat(c.getConnectionId()).isNotBlank();
            assertThat(c.invoke(Integer.class, "Add", 40, 2).blockingGet()).isEqualTo(42);
            @SuppressWarnings("unchecked")
            Map<String, Object> me = c.invoke(Map.class, "WhoAmI").blockingGet();
            assertThat(me.get("connectionId")).isEqualTo(c.getConnectionId());
        } finally {
            c.stop().blockingAwait(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBurstArrivesWholeAndInOrderThoughSeveralRecordsShareOneWebSocketMessage() throws Exception {
        var c = client(HubTestServer.DEV_TOKEN).negotiating();
        BlockingQueue<Integer> got = new LinkedBlockingQueue<>();
        c.on("Seq", (Integer i, String text) -> {
            if (text.equals("€ \u001e \" ✓")) got.add(i); // an escaped separator inside a string is no separator
        }, Integer.class, String.class);
        try {
            start(c);
            double frames0 = meter("chathub_hub_frames_sent_total");
            double messages0 = meter("chathub_hub_messages_sent_total");
            int n = 500; // within the outbound bound (1,024 frames), so the burst is never cut off as too slow
            var audience = Audience.connection(c.getConnectionId());
            // A write to a socket with room is done at once, so records queue (and share a message) only behind a
            // write in flight; holding the first record in the queue makes the whole burst wait, as it would then.
            Outbox outbox = server.hub.connections(audience).getFirst().outbox();
            outbox.enqueueHeld(HubProtocol.invocation("Seq", new Object[] {0, "€ \u001e \" ✓"}));
            for (int i = 1; i < n; i++) assertThat(server.hub.send(audience, "Seq", i, "€ \u001e \" ✓")).isEqualTo(1);
            outbox.release();

            for (int i = 0; i < n; i++) assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo(i);
            double frames = meter("chathub_hub_frames_sent_total") - frames0;
            double messages = meter("chathub_hub_messages_sent_total") - messages0;
            assertThat(frames).isGreaterThanOrEqualTo(n);
            assertThat(messages).as("WebSocket messages for %s records", frames).isLessThan(frames);
            assertThat(c.getConnectionState()).isEqualTo(HubConnectionState.CONNECTED);
        } finally {
            c.stop().blockingAwait(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theEventsOfADeferredRoundShareOneWebSocketMessageAndArriveAsSeparateRecords() throws Exception {
        var c = client(HubTestServer.DEV_TOKEN).negotiating();
        BlockingQueue<Integer> got = new LinkedBlockingQueue<>();
        c.on("Round", (Integer i, String text) -> {
            if (text.equals("r\u001e" + i)) got.add(i);
        }, Integer.class, String.class);
        try {
            start(c);
            var audience = Audience.connection(c.getConnectionId());
            double frames0 = meter("chathub_hub_frames_sent_total");
            double messages0 = meter("chathub_hub_messages_sent_total");

            // as the message publisher does with the events of a group commit
            server.hub.deferWrites(() -> {
                for (int i = 0; i < 20; i++) assertThat(server.hub.send(audience, "Round", i, "r\u001e" + i)).isEqualTo(1);
            });

            for (int i = 0; i < 20; i++) assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo(i);
            double frames = meter("chathub_hub_frames_sent_total") - frames0;
            double messages = meter("chathub_hub_messages_sent_total") - messages0;
            // 20 records in one message (a keep-alive Ping meanwhile adds one of each)
            assertThat(frames - messages).isEqualTo(19);
        } finally {
            c.stop().blockingAwait(5, TimeUnit.SECONDS);
        }
    }

    /** A counter's value in the server's Prometheus scrape. */
    private static double meter(String name) throws Exception {
        var m = java.util.regex.Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(server.metrics());
        assertThat(m.find()).as("meter %s", name).isTrue();
        return Double.parseDouble(m.group(2));
    }

    @Test
    void connectsWithSkipNegotiationAndACompanyToken() {
        var c = client(companyToken).skippingNegotiation();
        try {
            start(c);
            assertThat(c.invoke(Integer.class, "Add", 1, 2).blockingGet()).isEqualTo(3);
        } finally {
            c.stop().blockingAwait(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void errorCompletionsReachTheCaller() {
        var c = client(HubTestServer.DEV_TOKEN).negotiating();
        try {
            start(c);
            assertThatThrownBy(() -> c.invoke(Integer.class, "Fail", "Chat is closed").blockingGet())
                    .isInstanceOf(com.microsoft.signalr.HubException.class).hasMessage("Chat is closed");
            assertThatThrownBy(() -> c.invoke(Integer.class, "Crash").blockingGet())
                    .hasMessage("An unexpected error occurred invoking 'Crash' on the server.");
            assertThatThrownBy(() -> c.invoke(Integer.class, "Nope").blockingGet())
                    .hasMessage("Unknown hub method 'Nope'");
            assertThatThrownBy(() -> c.invoke(Integer.class, "Add", 1).blockingGet())
                    .hasMessageContaining("Invocation provides 1 argument(s) but target expects 2.");
            assertThat(c.getConnectionState()).isEqualTo(HubConnectionState.CONNECTED);
        } finally {
            c.stop().blockingAwait(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void receivesEventsOfItsOrganizationOnlyAndInOrder() throws Exception {
        long sales = server.organizationId(companyToken, "Sales");
        long support = server.organizationId(companyToken, "Support");
        String salesToken = server.operatorToken(companyToken, server.operatorId(companyToken, sales, 0), Instant.now().plusSeconds(3600));
        String supportToken = server.operatorToken(companyToken, server.operatorId(companyToken, support, 0), Instant.now().plusSeconds(3600));

        var salesOperator = client(salesToken).negotiating();
        var supportOperator = client(supportToken).negotiating();
        var company = client(companyToken).skippingNegotiation();
        BlockingQueue<Object> salesGot = new LinkedBlockingQueue<>(), supportGot = new LinkedBlockingQueue<>(),
                companyGot = new LinkedBlockingQueue<>();
        salesOperator.on("ChatStatusChanged", (Integer chatId, Integer status) -> salesGot.add(chatId), Integer.class, Integer.class);
        supportOperator.on("ChatStatusChanged", (Integer chatId, Integer status) -> supportGot.add(chatId), Integer.class, Integer.class);
        company.on("ChatStatusChanged", (Integer chatId, Integer status) -> companyGot.add(chatId), Integer.class, Integer.class);
        try {
            start(salesOperator);
            start(supportOperator);
            start(company);
            long companyId = server.hub.connections().getFirst().principal().companyId();

            for (int chatId = 1; chatId <= 50; chatId++) {
                server.hub.send(Audience.organization(companyId, sales), "ChatStatusChanged", chatId, 1);
            }

            for (int chatId = 1; chatId <= 50; chatId++) {
                assertThat(salesGot.poll(5, TimeUnit.SECONDS)).isEqualTo(chatId);
                assertThat(companyGot.poll(5, TimeUnit.SECONDS)).isEqualTo(chatId);
            }
            assertThat(supportGot.poll(300, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            salesOperator.stop().blockingAwait(5, TimeUnit.SECONDS);
            supportOperator.stop().blockingAwait(5, TimeUnit.SECONDS);
            company.stop().blockingAwait(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void pingsKeepAnIdleConnectionOpenPastBothTimeouts() throws Exception {
        var c = client(HubTestServer.DEV_TOKEN).negotiating();
        try {
            start(c);
            // Past the server's client timeout (3 s) and the client's server timeout (2 s) several times over:
            // only Pings in both directions keep it open.
            Thread.sleep(7_000);
            assertThat(c.getConnectionState()).isEqualTo(HubConnectionState.CONNECTED);
            assertThat(c.invoke(Integer.class, "Add", 2, 2).blockingGet()).isEqualTo(4);
        } finally {
            c.stop().blockingAwait(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void badTokenIsRejectedAtNegotiateAndAtConnect() {
        int before = server.hub.connections().size();

        assertThat(startFailure(client("bad-token").negotiating())).contains("401");
        assertThat(startFailure(client("bad-token").skippingNegotiation())).contains("401");
        assertThat(server.hub.connections()).hasSize(before);
    }

    @Test
    void expiredTokenIsRejectedAtNegotiateAndAtConnect() throws Exception {
        long sales = server.organizationId(companyToken, "Sales");
        String token = server.operatorToken(companyToken, server.operatorId(companyToken, sales, 1), Instant.now().plusSeconds(2));
        Thread.sleep(3_100);

        assertThat(startFailure(client(token).negotiating())).contains("401");
        assertThat(startFailure(client(token).skippingNegotiation())).contains("401");
    }

    /** The messages of the start failure and its causes (the WebSocket transport wraps the HTTP status). */
    private static String startFailure(com.microsoft.signalr.HubConnection c) {
        try {
            c.start().blockingAwait(10, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            var messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) messages.append(t.getMessage()).append(" / ");
            return messages.toString();
        }
        throw new AssertionError("the connection started");
    }

    @Test
    void aServerCloseReachesTheClientWithItsError() throws Exception {
        var c = client(HubTestServer.DEV_TOKEN).negotiating();
        var closedWith = new CompletableFuture<Exception>();
        c.onClosed(closedWith::complete);
        start(c);

        server.hub.close(p -> p instanceof Principal.Operator o && c.getConnectionId() != null
                && server.hub.connections(Audience.connection(c.getConnectionId())).stream()
                        .anyMatch(h -> h.principal().equals(o)), "Invalid token");

        Exception error = closedWith.get(10, TimeUnit.SECONDS);
        assertThat(error).isNotNull();
        assertThat(error.getMessage()).contains("Invalid token");
        assertThat(c.getConnectionState()).isEqualTo(HubConnectionState.DISCONNECTED);
    }

    @Test
    void connectedAndDisconnectedListenersFireOncePerConnection() throws Exception {
        var c = client(HubTestServer.DEV_TOKEN).negotiating();
        start(c);
        String id = c.getConnectionId();
        c.stop().blockingAwait(5, TimeUnit.SECONDS);

        long deadline = System.currentTimeMillis() + 5_000;
        while (!disconnected.contains(id) && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertThat(connected).containsOnlyOnce(id);
        assertThat(disconnected).containsOnlyOnce(id);
        assertThat(server.hub.connections(Audience.connection(id))).isEmpty();
    }
}
