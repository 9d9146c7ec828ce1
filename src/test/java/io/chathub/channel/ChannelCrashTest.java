package io.chathub.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.auth.Passwords;
import io.chathub.company.JdbiCompanyStore;
import io.chathub.db.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.chathub.testing.Api;
import io.chathub.testing.ChildServer;
import io.chathub.testing.TestDatabases;
import io.chathub.testing.TestServer;
import io.chathub.testing.messengers.TelegramDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox survives {@code kill -9}: a server (a child process) is killed while operators' replies stream out to
 * the Telegram double, started again on the same data dir and database, and then every reply it ever acknowledged,
 * and every one it stored, reaches Telegram, in each chat's order; only the ones in flight at the kill may arrive twice
 * (Telegram's sendMessage has no idempotency key), at most one per chat.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class ChannelCrashTest {
    static final int CHATS = 8;

    @Parameter
    String database;

    @TempDir
    Path logs;

    @Test
    void aKilledServerLosesNoReplyAndRepeatsOnlyWhatWasInFlight() throws Exception {
        try (var telegram = new TelegramDouble(); var db = TestDatabases.create(database)) {
            telegram.latency(Duration.ofMillis(20));
            Map<String, String> env = new HashMap<>(db.env());
            env.put("CHATHUB_JWT_SECRET", TestServer.JWT_SECRET);
            env.put("CHATHUB_PUBLIC_URL", ChannelServerTest.PUBLIC_URL);
            env.put("CHATHUB_TELEGRAM_API_URL", telegram.url());
            env.put("CHATHUB_LOG_LEVEL", "WARN");
            String login = TestServer.uniqueLogin();
            try (Database d = Database.open(db.config().build(), new SimpleMeterRegistry())) {
                new JdbiCompanyStore(d).create(login, Passwords.hash(TestServer.PASSWORD), "Crash");
            }

            long t0 = System.nanoTime();
            Path log = logs.resolve("server.log");
            ChildServer server = ChildServer.start(env, log);
            System.out.printf("crash test [%s]: ready after %d ms%n", database, (System.nanoTime() - t0) / 1_000_000);
            Api api = new Api(server.base());
            telegram.route(ChannelServerTest.PUBLIC_URL, server.base());
            String token = api.post("/api/company/get-token").json(Map.of("login", login, "password", TestServer.PASSWORD)).send().jsonString();
            long org = api.post("/api/company/organization").bearer(token).json(Map.of("name", "Shop")).send().json().get("id").longValue();
            String bot = telegram.newBot("Crash Bot");
            assertThat(api.post("/api/company/organization/" + org + "/channels").bearer(token)
                    .json(Map.of("type", "telegram", "botToken", bot)).send().status()).isEqualTo(201);
            List<Long> chats = new ArrayList<>();
            for (int i = 0; i < CHATS; i++) {
                var user = new TelegramDouble.User(500_000 + i, "Customer" + i, null, null);
                assertThat(telegram.deliver(bot, telegram.update(user, Map.of("text", "hi"))).status()).isEqualTo(200);
                chats.add(api.get("/api/chat/chats?tg_user_id=" + user.id()).bearer(token).send().json().get("items").get(0).get("id").longValue());
            }

            System.out.printf("crash test [%s]: set up after %d ms%n", database, (System.nanoTime() - t0) / 1_000_000);
            Map<Long, String> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger counter = new AtomicInteger();
            // 1. replies stream out; the server is killed once Telegram got some of them
            var first = traffic(api, token, chats, acknowledged, counter);
            telegram.await(r -> r.path().endsWith("/sendMessage"), 40, Duration.ofSeconds(30));
            System.out.printf("crash test [%s]: killing after %d ms%n", database, (System.nanoTime() - t0) / 1_000_000);
            server.kill();
            first.join();
            api.close();
            int beforeRestart = acknowledged.size();

            // 2. started again: it delivers what was left, and takes new replies
            server = ChildServer.start(env, log);
            try {
                System.out.printf("crash test [%s]: restarted after %d ms%n", database, (System.nanoTime() - t0) / 1_000_000);
                api = new Api(server.base());
                var second = traffic(api, token, chats, acknowledged, counter);
                eventuallyAcknowledged(acknowledged, beforeRestart + 40);
                second.interrupt();
                second.join();

                // 3. reconcile on Telegram's side
                List<JsonNode> stored = new ArrayList<>();
                Api reader = api;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (true) {
                    stored.clear();
                    for (long chat : chats) {
                        for (JsonNode m : reader.get("/api/chat/" + chat + "/messages?after=0&limit=1000").bearer(token).send().json()) {
                            if (m.get("author").intValue() != 1) stored.add(m);
                        }
                    }
                    if (stored.stream().allMatch(m -> m.get("status").intValue() == 1)) break;
                    if (System.nanoTime() > deadline) throw new AssertionError("not all delivered: " + stored.stream()
                            .filter(m -> m.get("status").intValue() != 1).map(m -> m.get("message").asText() + "=" + m.get("status")).toList());
                    Thread.sleep(100);
                }
                System.out.printf("crash test [%s]: all delivered after %d ms%n", database, (System.nanoTime() - t0) / 1_000_000);
                Map<Long, String> storedTexts = new LinkedHashMap<>();
                for (JsonNode m : stored) storedTexts.put(m.get("id").longValue(), m.get("message").asText());
                assertThat(storedTexts).as("every acknowledged reply is stored").containsAllEntriesOf(acknowledged);

                Map<String, Integer> copies = new HashMap<>();
                for (var s : telegram.sent()) copies.merge(s.text(), 1, Integer::sum);
                for (String text : storedTexts.values()) assertThat(copies.getOrDefault(text, 0)).as("copies of %s on Telegram", text).isPositive();
                assertThat(copies.keySet()).as("Telegram got nothing that is not stored").isSubsetOf(storedTexts.values());
                int duplicates = copies.values().stream().mapToInt(c -> c - 1).sum();
                assertThat(duplicates).as("only what was in flight at the kill, one per chat at most").isLessThanOrEqualTo(CHATS);

                for (int i = 0; i < CHATS; i++) {
                    String chatId = String.valueOf(500_000 + i);
                    List<String> firstCopies = telegram.sentTo(chatId).stream().map(TelegramDouble.Sent::text).distinct().toList();
                    long chat = chats.get(i);
                    List<String> inSeq = stored.stream().filter(m -> m.get("chatId").longValue() == chat).map(m -> m.get("message").asText()).toList();
                    assertThat(firstCopies).as("chat %d in its order", i).containsExactlyElementsOf(inSeq);
                }
                System.out.printf("crash test [%s]: %d stored, %d acknowledged, %d sent to Telegram, %d duplicates%n", database,
                        storedTexts.size(), acknowledged.size(), telegram.sent().size(), duplicates);
            } finally {
                api.close();
                server.close();
            }
        }
    }

    /** Sends replies round-robin over the chats until the server dies or the thread is interrupted. */
    private static Thread traffic(Api api, String token, List<Long> chats, Map<Long, String> acknowledged, AtomicInteger counter) {
        AtomicBoolean stop = new AtomicBoolean();
        return Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted() && !stop.get()) {
                int n = counter.incrementAndGet();
                long chat = chats.get(n % chats.size());
                String text = "reply-" + n;
                try {
                    var r = api.post("/api/chat/" + chat + "/message").bearer(token).json(Map.of("textMessage", text)).send();
                    if (r.status() == 200) acknowledged.put(r.json().get("id").longValue(), text);
                    Thread.sleep(15); // about the channel's rate: the outbox stays short
                } catch (UncheckedIOException | IllegalStateException e) {
                    return; // the server is gone
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static void eventuallyAcknowledged(Map<Long, String> acknowledged, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledged.size() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("only " + acknowledged.size() + " replies acknowledged");
            Thread.sleep(20);
        }
    }
}
