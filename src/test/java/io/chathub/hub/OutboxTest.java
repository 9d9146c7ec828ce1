package io.chathub.hub;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbound queue against a fake transport: one writer, enqueue order, the bound, the final frame, batching. */
class OutboxTest {
    static final char RS = '\u001e';

    /** Records writes; fails the test if two threads ever write at once; can be made to hang. */
    static final class FakeTransport implements Transport {
        final List<String> written = new CopyOnWriteArrayList<>(); // WebSocket messages
        final List<String> records = new CopyOnWriteArrayList<>(); // their records, split on 0x1E
        final AtomicInteger writing = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);
        final CountDownLatch disconnected = new CountDownLatch(1);
        volatile boolean concurrentWrite;
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public void send(String text, Duration timeout) throws Exception {
            if (writing.incrementAndGet() > 1) concurrentWrite = true;
            try {
                if (!gate.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) throw new TimeoutException("stuck");
                written.add(text);
                for (String r : text.split(String.valueOf(RS))) if (!r.isEmpty()) records.add(r);
            } finally {
                writing.decrementAndGet();
            }
        }

        @Override
        public void close() {
            closed.countDown();
        }

        @Override
        public void disconnect() {
            disconnected.countDown();
        }

        @Override
        public String remoteAddress() {
            return "fake";
        }
    }

    private final HubMetrics metrics = new HubMetrics(new SimpleMeterRegistry(), () -> 0);

    private Outbox outbox(FakeTransport t, int maxFrames, long maxBytes) {
        return new Outbox("test", t, maxFrames, maxBytes, Duration.ofMillis(500), metrics);
    }

    @Test
    void framesFromManyThreadsAreWrittenOneAtATimeInEachThreadsOrder() throws Exception {
        var t = new FakeTransport();
        var outbox = outbox(t, 100_000, Long.MAX_VALUE);
        var threads = new Thread[8];
        for (int n = 0; n < threads.length; n++) {
            int thread = n;
            threads[n] = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 500; i++) outbox.enqueue(record(thread + ":" + i));
            });
        }
        for (Thread thread : threads) thread.join();
        long deadline = System.currentTimeMillis() + 5_000;
        while (t.records.size() < 4_000 && System.currentTimeMillis() < deadline) Thread.sleep(5);

        assertThat(t.records).hasSize(4_000);
        assertThat(t.concurrentWrite).isFalse();
        for (int n = 0; n < threads.length; n++) {
            String prefix = n + ":";
            assertThat(t.records.stream().filter(s -> s.startsWith(prefix)).map(s -> Integer.parseInt(s.substring(prefix.length()))))
                    .isSorted().hasSize(500);
        }
    }

    @Test
    void aFullQueueRefusesTheFrameWithoutBlocking() {
        var t = new FakeTransport();
        t.gate = new CountDownLatch(1); // the peer reads nothing
        var outbox = outbox(t, 3, Long.MAX_VALUE);

        assertThat(outbox.enqueue(Frame.of("1"))).isEqualTo(Outbox.Result.QUEUED); // taken by the writer
        awaitWriting(t);
        assertThat(outbox.enqueue(Frame.of("2"))).isEqualTo(Outbox.Result.QUEUED);
        assertThat(outbox.enqueue(Frame.of("3"))).isEqualTo(Outbox.Result.QUEUED);
        assertThat(outbox.enqueue(Frame.of("4"))).isEqualTo(Outbox.Result.QUEUED);
        assertThat(outbox.enqueue(Frame.of("5"))).isEqualTo(Outbox.Result.OVERFLOW);
        t.gate.countDown();
    }

    @Test
    void theByteBudgetBoundsTheQueueButOneLargeFrameStillPassesAlone() {
        var t = new FakeTransport();
        t.gate = new CountDownLatch(1);
        var outbox = outbox(t, 1_000, 10);

        assertThat(outbox.enqueue(Frame.of("x"))).isEqualTo(Outbox.Result.QUEUED);
        awaitWriting(t);
        assertThat(outbox.enqueue(Frame.of("a".repeat(50)))).isEqualTo(Outbox.Result.QUEUED); // alone in the queue
        assertThat(outbox.enqueue(Frame.of("b"))).isEqualTo(Outbox.Result.OVERFLOW);
        t.gate.countDown();
    }

    @Test
    void sealDropsWhatWaitsWritesTheLastFrameAndClosesTheTransport() throws Exception {
        var t = new FakeTransport();
        t.gate = new CountDownLatch(1);
        var outbox = outbox(t, 100, Long.MAX_VALUE);
        outbox.enqueue(Frame.of("first"));
        awaitWriting(t);
        outbox.enqueue(Frame.of("dropped"));

        outbox.seal(Frame.of("close"));
        assertThat(outbox.enqueue(Frame.of("late"))).isEqualTo(Outbox.Result.DROPPED);
        t.gate.countDown();

        assertThat(t.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(t.written).containsExactly("first", "close");
    }

    @Test
    void aHeldFrameWaitsForReleaseAndStaysFirst() throws Exception {
        var t = new FakeTransport();
        var outbox = outbox(t, 100, Long.MAX_VALUE);
        outbox.enqueueHeld(Frame.of("handshake"));
        outbox.enqueue(Frame.of("event"));
        Thread.sleep(100);
        assertThat(t.written).isEmpty();

        outbox.release();
        long deadline = System.currentTimeMillis() + 5_000;
        while (t.written.size() < 2 && System.currentTimeMillis() < deadline) Thread.sleep(5);
        assertThat(t.written).containsExactly("handshake", "event");
    }

    @Test
    void aWriteThatTimesOutDropsTheTransport() throws Exception {
        var t = new FakeTransport();
        t.gate = new CountDownLatch(1); // never opened
        var outbox = outbox(t, 100, Long.MAX_VALUE);
        outbox.enqueue(Frame.of("stuck"));

        assertThat(t.disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(outbox.enqueue(Frame.of("after"))).isEqualTo(Outbox.Result.DROPPED);
    }

    @Test
    void framesWaitingForTheWriterGoAsOneMessageInOrderButTheFirstFrameGoesAlone() throws Exception {
        var t = new FakeTransport();
        t.gate = new CountDownLatch(1);
        var meters = new SimpleMeterRegistry();
        var outbox = new Outbox("test", t, 1_000, Long.MAX_VALUE, Duration.ofMillis(2_000), new HubMetrics(meters, () -> 0));
        outbox.enqueue(record("handshake"));
        awaitWriting(t);
        for (int i = 0; i < 10; i++) outbox.enqueue(record("m" + i));
        t.gate.countDown();

        awaitRecords(t, 11);
        assertThat(t.written).containsExactly("handshake" + RS,
                "m0" + RS + "m1" + RS + "m2" + RS + "m3" + RS + "m4" + RS + "m5" + RS + "m6" + RS + "m7" + RS + "m8" + RS + "m9" + RS);
        assertThat(meters.counter("chathub.hub.frames.sent").count()).isEqualTo(11);
        assertThat(meters.counter("chathub.hub.messages.sent").count()).isEqualTo(2);
    }

    @Test
    void aBatchStaysWithinTheCharacterBoundAndALargerFrameGoesAlone() throws Exception {
        var t = new FakeTransport();
        var outbox = writingFirst(t, 1_000);
        String third = "c".repeat(Outbox.MAX_BATCH_CHARS / 3 - 2); // with its digit and separator, a third of a batch
        for (int i = 0; i < 4; i++) outbox.enqueue(record(i + third));  // 3 fit in one message, the 4th does not
        outbox.enqueue(record("x".repeat(Outbox.MAX_BATCH_CHARS + 10))); // larger than a batch: alone
        outbox.enqueue(record("last"));
        t.gate.countDown();

        awaitRecords(t, 7);
        assertThat(t.written).hasSize(5);
        assertThat(t.written.get(1).split(String.valueOf(RS))).hasSize(3);
        assertThat(t.written.get(2)).startsWith("3c").endsWith(String.valueOf(RS));
        assertThat(t.written.get(3)).hasSize(Outbox.MAX_BATCH_CHARS + 11);
        assertThat(t.written.get(4)).isEqualTo("last" + RS);
        assertThat(t.records).extracting(r -> r.substring(0, 1)).containsExactly("f", "0", "1", "2", "3", "x", "l");
    }

    @Test
    void theCloseAfterASealIsWrittenAfterTheBatchInFlightThenTheTransportCloses() throws Exception {
        var t = new FakeTransport();
        var outbox = writingFirst(t, 100);
        outbox.enqueue(record("a"));
        outbox.enqueue(record("b"));
        t.gate.countDown();
        awaitRecords(t, 3);  // a and b went together
        while (t.writing.get() != 0) Thread.onSpinWait();
        t.gate = new CountDownLatch(1);
        outbox.enqueue(record("c"));
        awaitWriting(t);     // c is being written
        outbox.enqueue(record("dropped"));
        outbox.seal(record("close"));
        t.gate.countDown();

        assertThat(t.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(t.written).containsExactly("first" + RS, "a" + RS + "b" + RS, "c" + RS, "close" + RS);
    }

    /** An outbox whose writer is stuck writing the record "first" until the transport's gate opens. */
    private Outbox writingFirst(FakeTransport t, int maxFrames) {
        t.gate = new CountDownLatch(1);
        var outbox = outbox(t, maxFrames, Long.MAX_VALUE);
        outbox.enqueue(record("first"));
        awaitWriting(t);
        return outbox;
    }

    private static Frame record(String json) {
        return Frame.of(json + RS);
    }

    private static void awaitRecords(FakeTransport t, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (t.records.size() < n && System.currentTimeMillis() < deadline) Thread.sleep(5);
        assertThat(t.records).hasSize(n);
    }

    private static void awaitWriting(FakeTransport t) {
        long deadline = System.currentTimeMillis() + 5_000;
        while (t.writing.get() == 0 && System.currentTimeMillis() < deadline) Thread.onSpinWait();
        assertThat(t.writing.get()).isEqualTo(1);
    }
}
