package io.chathub.hub;

import io.chathub.auth.Principal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbound queue against a fake transport: one write in flight, enqueue order, the bound, the write timeout, the
 * final frame, batching.
 */
class OutboxTest {
    static final char RS = '\u001e';

    /**
     * Records writes; notes it if two writes are ever in flight at once. With its gate open a write completes
     * before send() returns (a socket with room), or on another thread when {@code asyncCompletions} is set (Jetty's
     * selector); with the gate closed it stays in flight until {@link #open()}.
     */
    static final class FakeTransport implements Transport {
        final List<String> written = new CopyOnWriteArrayList<>(); // WebSocket messages
        final List<String> records = new CopyOnWriteArrayList<>(); // their records, split on 0x1E
        final AtomicInteger writing = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);
        final CountDownLatch disconnected = new CountDownLatch(1);
        volatile boolean concurrentWrite;
        volatile boolean asyncCompletions;
        private final ReentrantLock gateLock = new ReentrantLock();
        private boolean gateClosed;
        private Runnable stuck; // the write waiting for the gate

        void closeGate() {
            gateLock.lock();
            try {
                gateClosed = true;
            } finally {
                gateLock.unlock();
            }
        }

        /** Opens the gate; the write waiting behind it completes on another thread. */
        void open() {
            Runnable waiting;
            gateLock.lock();
            try {
                gateClosed = false;
                waiting = stuck;
                stuck = null;
            } finally {
                gateLock.unlock();
            }
            if (waiting != null) Thread.ofVirtual().start(waiting);
        }

        @Override
        public void send(byte[] utf8, int length, Written done) {
            if (writing.incrementAndGet() > 1) concurrentWrite = true;
            String text = new String(utf8, 0, length, StandardCharsets.UTF_8);
            Runnable complete = () -> {
                written.add(text);
                for (String r : text.split(String.valueOf(RS))) if (!r.isEmpty()) records.add(r);
                writing.decrementAndGet();
                done.written();
            };
            gateLock.lock();
            try {
                if (gateClosed) {
                    stuck = complete;
                    return;
                }
            } finally {
                gateLock.unlock();
            }
            if (asyncCompletions) Thread.ofVirtual().start(complete);
            else complete.run();
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

    /** Completions before send() returns (a socket with room) and on another thread (Jetty's selector). */
    @ParameterizedTest(name = "completions on another thread: {0}")
    @ValueSource(booleans = {false, true})
    void framesFromManyThreadsAreWrittenOneAtATimeInEachThreadsOrder(boolean asyncCompletions) throws Exception {
        var t = new FakeTransport();
        t.asyncCompletions = asyncCompletions;
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
        t.closeGate(); // the peer reads nothing
        var outbox = outbox(t, 3, Long.MAX_VALUE);

        assertThat(outbox.enqueue(Frame.of("1"))).isEqualTo(Outbox.Result.QUEUED); // taken by the writer
        awaitWriting(t);
        assertThat(outbox.enqueue(Frame.of("2"))).isEqualTo(Outbox.Result.QUEUED);
        assertThat(outbox.enqueue(Frame.of("3"))).isEqualTo(Outbox.Result.QUEUED);
        assertThat(outbox.enqueue(Frame.of("4"))).isEqualTo(Outbox.Result.QUEUED);
        assertThat(outbox.enqueue(Frame.of("5"))).isEqualTo(Outbox.Result.OVERFLOW);
        t.open();
    }

    @Test
    void theByteBudgetBoundsTheQueueButOneLargeFrameStillPassesAlone() {
        var t = new FakeTransport();
        t.closeGate();
        var outbox = outbox(t, 1_000, 10);

        assertThat(outbox.enqueue(Frame.of("x"))).isEqualTo(Outbox.Result.QUEUED);
        awaitWriting(t);
        assertThat(outbox.enqueue(Frame.of("a".repeat(50)))).isEqualTo(Outbox.Result.QUEUED); // alone in the queue
        assertThat(outbox.enqueue(Frame.of("b"))).isEqualTo(Outbox.Result.OVERFLOW);
        t.open();
    }

    @Test
    void sealDropsWhatWaitsWritesTheLastFrameAndClosesTheTransport() throws Exception {
        var t = new FakeTransport();
        t.closeGate();
        var outbox = outbox(t, 100, Long.MAX_VALUE);
        outbox.enqueue(Frame.of("first"));
        awaitWriting(t);
        outbox.enqueue(Frame.of("dropped"));

        outbox.seal(Frame.of("close"));
        assertThat(outbox.enqueue(Frame.of("late"))).isEqualTo(Outbox.Result.DROPPED);
        t.open();

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
    void aWriteStillInFlightAfterTheWriteTimeoutDropsTheTransport() throws Exception {
        var t = new FakeTransport();
        t.closeGate(); // never opened: the peer reads nothing
        var meters = new SimpleMeterRegistry();
        var outbox = new Outbox("test", t, 100, Long.MAX_VALUE, Duration.ofMillis(500), new HubMetrics(meters, () -> 0));
        outbox.enqueue(Frame.of("stuck"));
        outbox.enqueue(Frame.of("waiting"));

        assertThat(outbox.expireStuckWrite(System.nanoTime())).isFalse(); // within the timeout
        assertThat(t.disconnected.getCount()).isEqualTo(1);
        assertThat(outbox.expireStuckWrite(System.nanoTime() + Duration.ofMillis(600).toNanos())).isTrue();

        assertThat(t.disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(outbox.enqueue(Frame.of("after"))).isEqualTo(Outbox.Result.DROPPED);
        assertThat(meters.counter("chathub.hub.frames.dropped").count()).isEqualTo(3); // in flight, waiting, after
        assertThat(outbox.expireStuckWrite(System.nanoTime() + Duration.ofSeconds(10).toNanos())).isFalse(); // once
        t.open(); // a completion after the drop changes nothing
        assertThat(outbox.enqueue(Frame.of("later"))).isEqualTo(Outbox.Result.DROPPED);
        assertThat(t.closed.getCount()).isEqualTo(1);
    }

    @Test
    void aConnectionWhoseQueueOverflowsIsClosedAsTooSlowAfterTheWriteInFlight() throws Exception {
        var t = new FakeTransport();
        t.closeGate(); // the handshake answer's write stays in flight: the client reads nothing
        var closing = new CountDownLatch(1);
        var outbox = outbox(t, 3, Long.MAX_VALUE);
        var connection = new HubConnection("c1", new Principal.Company(1, "jti", Instant.now().plusSeconds(60)), null, t,
                outbox, new SerialExecutor("c1", 10), new HubConnection.Lifecycle() {
                    @Override
                    public void opened(HubConnection c) {
                        c.outbox().release(); // as the hub does once the connection is in its audiences
                    }

                    @Override
                    public void closing(HubConnection c) {
                        closing.countDown();
                    }

                    @Override
                    public void closed(HubConnection c, boolean wasOpen) { }
                }, Instant.now());
        connection.open();
        awaitWriting(t);

        for (int i = 0; i < 3; i++) assertThat(connection.deliver(record("e" + i))).isTrue();
        assertThat(connection.deliver(record("e3"))).isFalse(); // the fourth waiting frame: over the bound
        assertThat(connection.isOpen()).isFalse();
        assertThat(connection.closedAsSlowConsumer()).isTrue();
        assertThat(connection.closeError()).hasValue(HubErrors.TOO_SLOW);
        assertThat(closing.getCount()).isZero();
        assertThat(connection.deliver(record("late"))).isFalse();
        t.open();

        assertThat(t.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(t.written).containsExactly("{}" + RS,
                "{\"type\":7,\"error\":\"" + HubErrors.TOO_SLOW + "\",\"allowReconnect\":true}" + RS);
    }

    @Test
    void framesWaitingForTheWriterGoAsOneMessageInOrderButTheFirstFrameGoesAlone() throws Exception {
        var t = new FakeTransport();
        t.closeGate();
        var meters = new SimpleMeterRegistry();
        var outbox = new Outbox("test", t, 1_000, Long.MAX_VALUE, Duration.ofMillis(2_000), new HubMetrics(meters, () -> 0));
        outbox.enqueue(record("handshake"));
        awaitWriting(t);
        for (int i = 0; i < 10; i++) outbox.enqueue(record("m" + i));
        t.open();

        awaitRecords(t, 11);
        assertThat(t.written).containsExactly("handshake" + RS,
                "m0" + RS + "m1" + RS + "m2" + RS + "m3" + RS + "m4" + RS + "m5" + RS + "m6" + RS + "m7" + RS + "m8" + RS + "m9" + RS);
        assertThat(meters.counter("chathub.hub.frames.sent").count()).isEqualTo(11);
        assertThat(meters.counter("chathub.hub.messages.sent").count()).isEqualTo(2);
    }

    @Test
    void aBatchStaysWithinTheByteBoundAndALargerFrameGoesAlone() throws Exception {
        var t = new FakeTransport();
        var outbox = writingFirst(t, 1_000);
        String third = "c".repeat(Outbox.MAX_BATCH_BYTES / 3 - 2); // with its digit and separator, a third of a batch
        for (int i = 0; i < 4; i++) outbox.enqueue(record(i + third));  // 3 fit in one message, the 4th does not
        outbox.enqueue(record("x".repeat(Outbox.MAX_BATCH_BYTES + 10))); // larger than a batch: alone
        outbox.enqueue(record("last"));
        t.open();

        awaitRecords(t, 7);
        assertThat(t.written).hasSize(5);
        assertThat(t.written.get(1).split(String.valueOf(RS))).hasSize(3);
        assertThat(t.written.get(2)).startsWith("3c").endsWith(String.valueOf(RS));
        assertThat(t.written.get(3)).hasSize(Outbox.MAX_BATCH_BYTES + 11);
        assertThat(t.written.get(4)).isEqualTo("last" + RS);
        assertThat(t.records).extracting(r -> r.substring(0, 1)).containsExactly("f", "0", "1", "2", "3", "x", "l");
    }

    @Test
    void theCloseAfterASealIsWrittenAfterTheBatchInFlightThenTheTransportCloses() throws Exception {
        var t = new FakeTransport();
        var outbox = writingFirst(t, 100);
        outbox.enqueue(record("a"));
        outbox.enqueue(record("b"));
        t.open();
        awaitRecords(t, 3);  // a and b went together
        while (t.writing.get() != 0) Thread.onSpinWait();
        t.closeGate();
        outbox.enqueue(record("c"));
        awaitWriting(t);     // c is being written
        outbox.enqueue(record("dropped"));
        outbox.seal(record("close"));
        t.open();

        assertThat(t.closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(t.written).containsExactly("first" + RS, "a" + RS + "b" + RS, "c" + RS, "close" + RS);
    }

    /** An outbox whose write of the record "first" is in flight until the transport's gate opens. */
    private Outbox writingFirst(FakeTransport t, int maxFrames) {
        t.closeGate();
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
