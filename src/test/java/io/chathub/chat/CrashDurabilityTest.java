package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.auth.Passwords;
import io.chathub.company.JdbiCompanyStore;
import io.chathub.db.Database;
import io.chathub.testing.Api;
import io.chathub.testing.ChildServer;
import io.chathub.testing.TestDatabases;
import io.chathub.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash durability: concurrent senders (customers through {@code POST /api/chat/incoming}, the company's replies
 * through {@code POST /api/chat/{id}/message}, each with an idempotency key), the server (a child process) killed
 * with SIGKILL mid-traffic and started again on the same data dir and database, {@link #CYCLES} times; after each
 * restart every sender retries the send it had no answer to, with the same key. Reconciled exactly at the end: every
 * acknowledged message stored once, nothing stored that was not sent, each chat's seqs without gaps.
 * {@code ./mvnw -Dwidgets.skip test -Dtest=CrashDurabilityTest -Dchathub.crash.cycles=20} runs 20 cycles.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class CrashDurabilityTest {
    /** Kills in one run: 5 here to stay bounded; {@code -Dchathub.crash.cycles=20} for the 20. */
    static final int CYCLES = Integer.getInteger("chathub.crash.cycles", 5);
    static final int SENDERS = 4;

    @Parameter
    String database;

    @TempDir
    Path logs;

    /** One sender: its client, its chat once known, the next key to send (retried until acknowledged). */
    static final class Sender {
        final int number;
        final String client;
        volatile long chatId;
        volatile int next;
        final Set<String> acknowledged = new TreeSet<>();

        Sender(int number) {
            this.number = number;
            this.client = "crash-client-" + number;
        }

        String key(int i) {
            return "s" + number + "-" + i;
        }
    }

    @Test
    void killedAndRestartedUnderConcurrentSendsItKeepsEveryAcknowledgedMessageExactlyOnce() throws Exception {
        try (var db = TestDatabases.create(database)) {
            Map<String, String> env = new HashMap<>(db.env());
            env.put("CHATHUB_JWT_SECRET", TestServer.JWT_SECRET);
            env.put("CHATHUB_LOG_LEVEL", "WARN");
            String login = TestServer.uniqueLogin();
            try (Database d = Database.open(db.config().build(), new SimpleMeterRegistry())) {
                new JdbiCompanyStore(d).create(login, Passwords.hash(TestServer.PASSWORD), "Crash");
            }
            Path log = logs.resolve("server.log");
            List<Sender> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) senders.add(new Sender(s));
            String token = null;
            long org = 0;
            int kills = 0;
            for (int cycle = 0; cycle <= CYCLES; cycle++) {
                ChildServer server = ChildServer.start(env, log);
                try (Api api = new Api(server.base())) {
                    if (token == null) {
                        token = api.post("/api/company/get-token").json(Map.of("login", login, "password", TestServer.PASSWORD))
                                .send().jsonString();
                        org = api.post("/api/company/organization").bearer(token).json(Map.of("name", "Shop")).send().json()
                                .get("id").longValue();
                    }
                    if (cycle == CYCLES) { // the last start: retry what is pending, then reconcile
                        for (Sender s : senders) send(api, token, org, s);
                        reconcile(api, token, senders);
                        server.close();
                        break;
                    }
                    AtomicInteger sentThisCycle = new AtomicInteger();
                    List<Thread> threads = new ArrayList<>();
                    for (Sender s : senders) {
                        String t = token;
                        long o = org;
                        threads.add(Thread.ofVirtual().start(() -> {
                            while (send(api, t, o, s)) sentThisCycle.incrementAndGet();
                        }));
                    }
                    int killAfter = 20 + ThreadLocalRandom.current().nextInt(20);
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (sentThisCycle.get() < killAfter) {
                        if (System.nanoTime() > deadline) throw new AssertionError("only " + sentThisCycle + " sends in cycle " + cycle);
                        Thread.sleep(5);
                    }
                    server.kill();
                    kills++;
                    for (Thread t : threads) t.join(30_000);
                } finally {
                    server.kill();
                }
            }
            int acknowledged = senders.stream().mapToInt(s -> s.acknowledged.size()).sum();
            System.out.printf("crash durability [%s]: %d kills, %d messages acknowledged, 0 lost, 0 duplicated%n",
                    database, kills, acknowledged);
        }
    }

    /**
     * Sends the sender's next message (even keys as the customer, odd ones as the company's reply once the chat is
     * known); true when acknowledged, false when the server is gone (the same key is sent again after the restart).
     */
    static boolean send(Api api, String token, long org, Sender s) {
        String key = s.key(s.next);
        try {
            var r = s.chatId == 0 || s.next % 2 == 0
                    ? api.post("/api/chat/incoming").bearer(token).json(Map.of("organizationId", org,
                            "client", Map.of("externalId", s.client), "textMessage", key, "clientMessageId", key)).send()
                    : api.post("/api/chat/" + s.chatId + "/message").bearer(token).header("Idempotency-Key", key)
                            .json(Map.of("textMessage", key)).send();
            if (r.status() != 200) return false; // draining or dying: try again after the restart
            JsonNode m = r.json();
            assertThat(m.get("message").asText()).isEqualTo(key);
            s.chatId = m.get("chatId").longValue();
            s.acknowledged.add(key);
            s.next++;
            return true;
        } catch (RuntimeException e) {
            return false; // the server is gone
        }
    }

    private static void reconcile(Api api, String token, List<Sender> senders) {
        for (Sender s : senders) {
            List<Long> seqs = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            io.chathub.testing.TestTenant.allMessages(api, token, s.chatId).forEach(m -> {
                seqs.add(m.get("seq").longValue());
                texts.add(m.get("message").asText());
            });
            assertThat(seqs).as("sender %d: seqs without gaps", s.number)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertThat(texts).as("sender %d: no message twice", s.number).doesNotHaveDuplicates();
            assertThat(texts).as("sender %d: every acknowledged message, and nothing that was not sent", s.number)
                    .containsExactlyInAnyOrderElementsOf(s.acknowledged);
            assertThat(s.acknowledged).as("sender %d: every key sent was acknowledged in the end", s.number).hasSize(s.next);
        }
    }
}
