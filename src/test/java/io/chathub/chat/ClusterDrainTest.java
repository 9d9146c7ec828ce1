package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ChildServer;
import io.chathub.testing.HubClient;
import io.chathub.testing.Nats;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static io.chathub.chat.ClusterRoutingTest.awaitAssigned;
import static io.chathub.chat.ClusterRoutingTest.newChat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to one node of two (a child process) under steady traffic: readiness goes DOWN at once, the node's
 * operators leave the presence at once (not a lease later), so that chats go to the other node's operators; its hub
 * clients get Close; what it acknowledged is stored, senders that retry on the other node with the same idempotency
 * keys store each message once, seqs without gaps; it exits within CHATHUB_SHUTDOWN_GRACE.
 */
class ClusterDrainTest {
    static final Duration GRACE = Duration.ofSeconds(5);
    static final Duration LEASE = Duration.ofSeconds(15); // the longest: only the drain can take Anna offline in time
    static final int SENDERS = 4;

    @TempDir
    Path dir;

    @Test
    void aDrainingNodeGoesNotReadyHandsItsOperatorsOverAtOnceAndLosesNothing() throws Exception {
        String url = Nats.url();
        String prefix = Nats.freshPrefix();
        try (TestServer nodeB = TestServer.start("postgres", b -> b.natsUrl(url).natsSubjectPrefix(prefix))) {
            Map<String, String> env = nodeB.peerEnv(dir.resolve("node-a"));
            env.put("CHATHUB_PRESENCE_LEASE", LEASE.toSeconds() + "s");
            env.put("CHATHUB_SHUTDOWN_GRACE", GRACE.toSeconds() + "s");
            env.put("CHATHUB_NODE_ID", "node-a");
            ChildServer nodeA = ChildServer.start(env, dir.resolve("node-a.log"));
            List<HubClient> clients = new ArrayList<>();
            try (Api apiA = new Api(nodeA.base())) {
                TestTenant acme = nodeB.newTenant();
                long sales = acme.organization("Sales");
                long anna = acme.operator(sales, "Anna", 100);
                long bram = acme.operator(sales, "Bram", 100);
                HubClient annaOnA = HubClient.connect(nodeA.base(), acme.operatorToken(anna), "Anna on node A");
                clients.add(annaOnA);
                HubClient company = acme.connect();
                clients.add(company);
                List<Long> chats = new ArrayList<>();
                for (int i = 0; i < SENDERS; i++) chats.add(newChat(nodeB.api(), acme, sales));
                for (long chat : chats) assertThat(awaitAssigned(company, chat)).isEqualTo(anna);
                clients.add(nodeB.connect(acme.operatorToken(bram), "Bram on node B"));
                var presence = new JdbiPresenceStore(nodeB.hub().database());

                // Steady traffic into node A; a send that fails there is retried on node B with the same key.
                Map<String, Long> acknowledged = new ConcurrentHashMap<>();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> senders = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    long chat = chats.get(s);
                    int sender = s;
                    senders.add(Thread.ofVirtual().start(() -> {
                        for (int i = 0; !stop.get(); i++) {
                            String key = "s" + sender + "-" + i;
                            acknowledged.put(key, sendUntilAcknowledged(List.of(apiA, nodeB.api()), acme.token(), chat, key));
                        }
                    }));
                }
                eventually(() -> acknowledged.size() >= 40);

                nodeA.terminate();
                long sigterm = System.nanoTime();
                eventually(() -> !ready(apiA));
                long notReady = millisSince(sigterm);
                eventually(() -> !presence.isOnline(anna, System.currentTimeMillis()));
                long offline = millisSince(sigterm);
                long handedOver = newChat(nodeB.api(), acme, sales);
                assertThat(awaitAssigned(company, handedOver)).as("Anna left with her node").isEqualTo(bram);
                assertThat(annaOnA.awaitClosed()).as("Close without an error (allowReconnect)").isNull();
                assertThat(nodeA.awaitExit(GRACE.plusSeconds(10))).isTrue();
                long exited = millisSince(sigterm);
                System.out.printf("cluster drain test: not ready after %d ms, Anna offline after %d ms, exited after %d ms%n",
                        notReady, offline, exited);
                assertThat(notReady).as("ms until readiness is DOWN").isLessThan(2_000);
                assertThat(offline).as("ms until the node's operators are offline (lease %s)", LEASE).isLessThan(3_000);
                assertThat(exited).as("ms until the process exited").isLessThan(GRACE.toMillis() + 2_000);

                int before = acknowledged.size();
                eventually(() -> acknowledged.size() >= before + 20); // the traffic goes on, on node B
                stop.set(true);
                for (Thread t : senders) t.join(30_000);

                int stored = reconcile(acme, chats, acknowledged.keySet());
                System.out.printf("cluster drain test: %d messages acknowledged, %d stored, 0 lost, 0 duplicated%n",
                        acknowledged.size(), stored);
            } finally {
                clients.forEach(HubClient::close);
                nodeA.kill();
            }
        }
    }

    /**
     * Sender s wrote keys "s&lt;s&gt;-&lt;i&gt;" as texts into chats.get(s): asserts each chat's seqs are without gaps and its
     * texts (but the customer's) are exactly the acknowledged keys, once each; returns how many are stored.
     */
    static int reconcile(TestTenant tenant, List<Long> chats, java.util.Set<String> acknowledged) {
        int stored = 0;
        for (int s = 0; s < chats.size(); s++) {
            String prefix = "s" + s + "-";
            List<Long> seqs = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            tenant.allMessages(chats.get(s)).forEach(m -> {
                seqs.add(m.get("seq").longValue());
                if (m.get("author").intValue() != 1) texts.add(m.get("message").asText());
            });
            assertThat(seqs).as("chat %d: seqs without gaps", s).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            List<String> sent = acknowledged.stream().filter(k -> k.startsWith(prefix)).sorted().toList();
            assertThat(texts).as("chat %d: every acknowledged message once, nothing else", s)
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
            stored += texts.size();
        }
        return stored;
    }

    /** Sends to the first node that acknowledges, trying them in turn (the same idempotency key every time); the message id. */
    static long sendUntilAcknowledged(List<Api> nodes, String token, long chat, String key) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int attempt = 0; ; attempt++) {
            Api api = nodes.get(Math.min(attempt, nodes.size() - 1) % nodes.size());
            try {
                var r = api.post("/api/chat/" + chat + "/message").bearer(token).header("Idempotency-Key", key)
                        .json(Map.of("textMessage", key)).send();
                if (r.status() == 200) return r.json().get("id").longValue();
            } catch (RuntimeException e) {
                // refused or cut: that node is going away
            }
            if (System.nanoTime() > deadline) throw new AssertionError("not acknowledged: " + key);
            if (attempt > 0) sleep(20);
        }
    }

    static boolean ready(Api api) {
        try {
            return api.get("/health/ready").send().status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        ClusterRoutingTest.eventually(condition, Duration.ofSeconds(30));
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
