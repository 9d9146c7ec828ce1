package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message writer's group commit under concurrency: every message committed exactly once with
 * gap-free seqs, idempotency keys holding across a batch, a failing write failing alone, and the
 * {@code chathub_message_writer_batch} metric showing batches of more than one write.
 */
class GroupCommitTest extends ServerTest {
    /** count, sum and max of the batch-size summary, from /metrics. */
    private record Batches(double count, double sum, double max) {}

    private static Batches batches() {
        var r = server.api().get("/metrics").send();
        assertThat(r.status()).isEqualTo(200);
        return new Batches(metric(r.text(), "chathub_message_writer_batch_count"),
                metric(r.text(), "chathub_message_writer_batch_sum"), metric(r.text(), "chathub_message_writer_batch_max"));
    }

    private static double metric(String prometheus, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(prometheus);
        if (!m.find()) throw new AssertionError("no metric " + name + " in /metrics");
        return Double.parseDouble(m.group(1));
    }

    private static Api.Response send(TestTenant tenant, long chatId, String text, String key) {
        var call = server.api().post("/api/chat/" + chatId + "/message").bearer(tenant.token());
        if (key != null) call.header("Idempotency-Key", key);
        return call.json(Map.of("textMessage", text)).send();
    }

    private static List<JsonNode> history(TestTenant tenant, long chatId) {
        List<JsonNode> out = new ArrayList<>();
        tenant.messages(chatId, "limit=1000").forEach(out::add);
        return out;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Runs {@code work(thread)} on that many threads released at once; rethrows the first failure. */
    private static void concurrently(int threads, ThrowingIntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            var start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    work.accept(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private interface ThrowingIntConsumer {
        void accept(int value) throws Exception;
    }

    @Test
    void manyConcurrentSendsAreEachCommittedOnceInBatchesOfMoreThanOne() throws Exception {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        int chats = 8, threads = 32, perThread = 20;
        List<Long> chatIds = new ArrayList<>();
        for (int i = 0; i < chats; i++) chatIds.add(tenant.newChat(sales));
        Batches before = batches();

        Map<String, Long> answeredSeq = new ConcurrentHashMap<>();
        concurrently(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                long chatId = chatIds.get((t + i) % chats);
                String text = "t" + t + "-" + i;
                var r = send(tenant, chatId, text, null);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                answeredSeq.put(chatId + "/" + text, r.json().get("seq").longValue());
            }
        });
        Batches after = batches();

        int total = 0;
        for (long chatId : chatIds) {
            List<JsonNode> messages = history(tenant, chatId);
            total += messages.size() - 1;
            assertThat(messages).extracting(m -> m.get("seq").longValue()).containsExactlyElementsOf(range(1, messages.size()));
            Set<String> texts = new HashSet<>();
            for (JsonNode m : messages.subList(1, messages.size())) {
                String key = chatId + "/" + m.get("message").textValue();
                assertThat(texts.add(key)).as("stored once: " + key).isTrue();
                assertThat(answeredSeq.get(key)).as("the answer's seq of " + key).isEqualTo(m.get("seq").longValue());
            }
        }
        assertThat(total).isEqualTo(threads * perThread);
        assertThat(answeredSeq).hasSize(threads * perThread);

        double writes = after.sum() - before.sum();
        double batchCount = after.count() - before.count();
        assertThat(writes).as("every send is one write of the writer").isEqualTo(threads * perThread);
        assertThat(batchCount).as("batches: fewer than writes, so some held more than one").isLessThan(writes);
        assertThat(after.max()).as("largest recent batch").isGreaterThan(1);
    }

    @Test
    void concurrentRetriesWithOneKeyStoreOneMessage() throws Exception {
        TestTenant tenant = server.newTenant();
        long chatId = tenant.newChat(tenant.organization("Sales"));
        int keys = 20, retries = 8;

        Map<String, Set<Long>> idsByKey = new ConcurrentHashMap<>();
        concurrently(keys * retries, t -> {
            String key = "k" + (t % keys);
            var r = send(tenant, chatId, "message " + key, key);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            idsByKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(r.json().get("id").longValue());
        });

        assertThat(idsByKey).hasSize(keys);
        assertThat(idsByKey.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        List<JsonNode> messages = history(tenant, chatId);
        assertThat(messages).extracting(m -> m.get("seq").longValue()).containsExactlyElementsOf(range(1, 1 + keys));
        Map<String, Long> byText = new HashMap<>();
        for (JsonNode m : messages.subList(1, messages.size())) byText.merge(m.get("message").textValue(), 1L, Long::sum);
        assertThat(byText).hasSize(keys).allSatisfy((text, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void aChatClosedDuringASendStormTakesNoMoreMessagesAndOtherChatsAreUnaffected() throws Exception {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        long closing = tenant.newChat(sales);
        long open = tenant.newChat(sales);
        int threads = 16, perThread = 15;
        Map<String, Integer> statusByText = new ConcurrentHashMap<>();
        var closed = new CountDownLatch(1);
        var aThirdAnswered = new CountDownLatch(threads * perThread / 3);
        var lastSeqOnceClosed = new java.util.concurrent.atomic.AtomicLong(-1);

        concurrently(threads + 1, t -> {
            if (t == threads) {
                assertThat(aThirdAnswered.await(60, TimeUnit.SECONDS)).isTrue();
                tenant.setChatStatus(closing, 4);
                lastSeqOnceClosed.set(tenant.chat(closing).get("lastSeq").longValue());
                closed.countDown();
                return;
            }
            for (int i = 0; i < perThread; i++) {
                String text = "t" + t + "-" + i;
                var r = send(tenant, closing, text, null);
                assertThat(r.status()).as(r.toString()).isIn(200, 409);
                statusByText.put(text, r.status());
                aThirdAnswered.countDown();
                var other = send(tenant, open, text, null);
                assertThat(other.status()).as(other.toString()).isEqualTo(200);
            }
        });
        assertThat(closed.getCount()).isZero();

        List<JsonNode> messages = history(tenant, closing);
        assertThat(messages).extracting(m -> m.get("seq").longValue()).containsExactlyElementsOf(range(1, messages.size()));
        Set<String> stored = new HashSet<>();
        messages.subList(1, messages.size()).forEach(m -> stored.add(m.get("message").textValue()));
        Set<String> accepted = new HashSet<>();
        statusByText.forEach((text, status) -> {
            if (status == 200) accepted.add(text);
        });
        assertThat(stored).as("exactly the accepted sends are stored").isEqualTo(accepted);
        assertThat(accepted).isNotEmpty();
        assertThat(statusByText).containsValue(409);
        assertThat(tenant.chat(closing).get("lastSeq").longValue()).isEqualTo(messages.size())
                .as("nothing was appended once the close had committed").isEqualTo(lastSeqOnceClosed.get());
        assertThat(history(tenant, open)).extracting(m -> m.get("seq").longValue()).containsExactlyElementsOf(range(1, 1 + threads * perThread));
    }
}
