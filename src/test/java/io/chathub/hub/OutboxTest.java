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

/** The outbound queue against a fake transport: one writer, enqueue order, the bound, the final frame. */
class OutboxTest {
    /** Records writes; fails the test if two threads ever write at once; can be made to hang. */
    static final class FakeTransport implements Transport {
        final List<String> written = new CopyOnWriteArrayList<>();
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
                for (int i = 0; i < 500; i++) outbox.enqueue(Frame.of(thread + ":" + i));
            });
        }
        for (Thread thread : threads) thread.join();
        long deadline = System.currentTimeMillis() + 5_000;
        while (t.written.size() < 4_000 && System.currentTimeMillis() < deadline) Thread.sleep(5);

        assertThat(t.written).hasSize(4_000);
        assertThat(t.concurrentWrite).isFalse();
        for (int n = 0; n < threads.length; n++) {
            String prefix = n + ":";
            assertThat(t.written.stream().filter(s -> s.startsWith(prefix)).map(s -> Integer.parseInt(s.substring(prefix.length()))))
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

    private static void awaitWriting(FakeTransport t) {
        long deadline = System.currentTimeMillis() + 5_000;
        while (t.writing.get() == 0 && System.currentTimeMillis() < deadline) Thread.onSpinWait();
        assertThat(t.writing.get()).isEqualTo(1);
    }
}
