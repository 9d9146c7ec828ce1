package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.HubClient;
import io.chathub.testing.PrivatePostgres;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.chathub.chat.ClusterDrainTest.millisSince;
import static io.chathub.chat.ClusterDrainTest.ready;
import static io.chathub.chat.ClusterDrainTest.sleep;
import static io.chathub.chat.ClusterRoutingTest.awaitAssigned;
import static io.chathub.chat.ClusterRoutingTest.eventually;
import static io.chathub.chat.ClusterRoutingTest.newChat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL crashes under steady sends and comes back (a private server of the test's own, {@link PrivatePostgres}:
 * the shared one on 5432 is never touched): while it is gone the node answers /health/ready 503 with
 * {@code database: DOWN} and every send fails fast with 503; once it is back the node is ready again by itself, its
 * operator is online again (the outage outlasted the presence lease) and routing works; every acknowledged send is
 * stored, and every failed one, retried with its Idempotency-Key, is stored once. Seqs without gaps.
 */
class PostgresRestartTest {
    static final int SENDERS = 3;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration LEASE = Duration.ofSeconds(1);
    static final Duration OUTAGE = Duration.ofSeconds(3);

    @Test
    void whilePostgresqlIsGoneTheNodeIsNotReadyAndFailsSendsFastThenRecoversByItselfLosingNothingAcknowledged() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start();
             TestServer node = TestServer.start(pg.newDatabase(), b -> b.dbConnectTimeout(CONNECT_TIMEOUT)
                     .cluster(c -> c.withPresenceLease(LEASE)), Clock.systemUTC())) {
            TestTenant acme = node.newTenant();
            long sales = acme.organization("Sales");
            long anna = acme.operator(sales, "Anna", 100);
            List<HubClient> clients = new ArrayList<>();
            try {
                HubClient company = acme.connect();
                clients.add(company);
                clients.add(node.connect(acme.operatorToken(anna), "Anna"));
                List<Long> chats = new ArrayList<>();
                for (int i = 0; i < SENDERS; i++) chats.add(newChat(node.api(), acme, sales));
                for (long chat : chats) assertThat(awaitAssigned(company, chat)).isEqualTo(anna);
                var presence = new JdbiPresenceStore(node.hub().database());

                Map<String, Long> acknowledged = new ConcurrentHashMap<>();
                Set<Integer> errorStatuses = ConcurrentHashMap.newKeySet();
                AtomicInteger errors = new AtomicInteger();
                AtomicInteger slowest = new AtomicInteger();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> senders = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    long chat = chats.get(s);
                    int sender = s;
                    senders.add(Thread.ofVirtual().start(() -> {
                        for (int i = 0; !stop.get(); i++) {
                            String key = "s" + sender + "-" + i;
                            while (true) { // the same key until acknowledged
                                long t0 = System.nanoTime();
                                int status;
                                try {
                                    var r = node.api().post("/api/chat/" + chat + "/message").bearer(acme.token())
                                            .header("Idempotency-Key", key).json(Map.of("textMessage", key)).send();
                                    status = r.status();
                                    if (status == 200) acknowledged.put(key, r.json().get("id").longValue());
                                } catch (RuntimeException e) {
                                    status = -1; // no answer at all: counted, and a failure of the test
                                }
                                slowest.accumulateAndGet((int) ((System.nanoTime() - t0) / 1_000_000), Math::max);
                                if (status == 200) break;
                                errors.incrementAndGet();
                                errorStatuses.add(status);
                                sleep(50);
                            }
                        }
                    }));
                }
                eventually(() -> acknowledged.size() >= 30, Duration.ofSeconds(20));

                pg.crash();
                long crashed = System.nanoTime();
                eventually(() -> !ready(node.api()), Duration.ofSeconds(10));
                long notReady = millisSince(crashed);
                JsonNode down = node.api().get("/health/ready").send().json();
                assertThat(down.get("database").asText()).isEqualTo("DOWN");
                eventually(() -> errors.get() >= SENDERS, Duration.ofSeconds(10));
                long untilRestart = OUTAGE.toMillis() - millisSince(crashed);
                if (untilRestart > 0) Thread.sleep(untilRestart);
                int acknowledgedWhileDown = acknowledged.size();
                assertThat(ready(node.api())).as("still not ready while the database is gone").isFalse();

                pg.startServer();
                long restarted = System.nanoTime();
                eventually(() -> ready(node.api()), Duration.ofSeconds(20));
                long readyAgain = millisSince(restarted);
                eventually(() -> presence.isOnline(anna, System.currentTimeMillis()), Duration.ofSeconds(10));
                long onlineAgain = millisSince(restarted);
                long after = newChat(node.api(), acme, sales);
                assertThat(awaitAssigned(company, after)).as("routing works again").isEqualTo(anna);
                eventually(() -> acknowledged.size() >= acknowledgedWhileDown + 30, Duration.ofSeconds(20));
                stop.set(true);
                for (Thread t : senders) t.join(30_000);

                System.out.printf("postgres restart test: not ready %d ms after the crash; %d failed sends (statuses %s, slowest "
                                + "answer %d ms); ready %d ms after the restart, operator online again after %d ms%n",
                        notReady, errors.get(), errorStatuses, slowest.get(), readyAgain, onlineAgain);
                assertThat(notReady).as("ms until readiness is DOWN").isLessThan(5_000);
                assertThat(errorStatuses).as("a send while the database is gone answers 503").containsOnly(503);
                assertThat(slowest.get()).as("ms of the slowest answer: a send fails fast, it does not hang")
                        .isLessThan(10_000);

                int stored = ClusterDrainTest.reconcile(acme, chats, acknowledged.keySet());
                System.out.printf("postgres restart test: %d messages acknowledged, %d stored, 0 lost, 0 duplicated%n",
                        acknowledged.size(), stored);
            } finally {
                clients.forEach(HubClient::close);
            }
        }
    }
}
