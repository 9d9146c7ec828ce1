package io.chathub.chat;

import io.chathub.db.Database;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Group commit for message writes. One writer thread takes every queued write, runs them in ONE
 * transaction and commits once, so persistence costs one fsync per batch instead of one per message.
 * Should a write fail, the batch rolls back and runs again with each write under its own savepoint,
 * so that the failing write fails alone (savepoints cost two statements per write, so only then).
 * It never waits to fill a batch: a lone message commits at once, and under load batches grow by
 * themselves — the added latency is bounded by one batch's transaction. After the commit, the batch's events are handed to one publisher
 * thread, which publishes them in batch order (keeping every chat's events in seq order) while the writer
 * already runs the next batch; each caller's future completes right after its own events. The hand-over
 * queue is bounded: a publisher that falls behind stalls the writer rather than growing memory.
 */
public final class MessageWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageWriter.class);
    static final int MAX_BATCH = 512;

    private record Job<T>(Supplier<T> work, CompletableFuture<T> done) {}

    /** Wakes the writer from its poll on close; never run. */
    private static final Job<Void> WAKE = new Job<>(() -> null, new CompletableFuture<>());
    /** The writer's last hand-over: the publisher stops after it instead of polling on. */
    private static final List<Runnable> END = Collections.unmodifiableList(new ArrayList<>());

    private final Database db;
    private final BlockingQueue<Job<?>> queue = new ArrayBlockingQueue<>(65_536);
    private final Thread thread;
    private final BlockingQueue<List<Runnable>> published = new ArrayBlockingQueue<>(256);
    private final Thread publisher;
    private final DistributionSummary batchSizes;
    private final AtomicLong written = new AtomicLong();
    /** How many group commits' hand-overs, already waiting, the publisher takes into one round at most. */
    static final int MAX_ROUND = 16;
    private volatile Consumer<Runnable> publishing = Runnable::run;
    private volatile boolean running = true;
    private volatile boolean writerDone;

    public MessageWriter(Database db, MeterRegistry metrics) {
        this.db = db;
        this.batchSizes = DistributionSummary.builder("chathub.message.writer.batch").register(metrics);
        this.publisher = Thread.ofPlatform().name("chathub-message-publisher").daemon(true).start(this::publishLoop);
        this.thread = Thread.ofPlatform().name("chathub-message-writer").daemon(true).start(this::loop);
    }

    /**
     * Wraps each publishing round: the publisher runs the events of a committed batch, and of the batches committed
     * meanwhile (at most {@link #MAX_ROUND}), inside it, in commit order. The hub defers its writes to the end of
     * the round ({@code Hub::deferWrites}), so that a connection gets the round's events in one write.
     */
    public void publishAround(Consumer<Runnable> around) {
        this.publishing = around;
    }

    /** Runs {@code work} in the next batch's transaction and returns its result once committed and published. */
    public <T> T write(Supplier<T> work) {
        if (db.inTransaction()) return work.get(); // already inside a transaction: join it
        var job = new Job<>(work, new CompletableFuture<T>());
        try {
            if (!running || !queue.offer(job, 10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("message writer is overloaded or stopped");
            }
            return job.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a message", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    private void loop() {
        List<Job<?>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Job<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null || first == WAKE) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                batch.remove(WAKE);
                runBatch(batch);
                written.addAndGet(batch.size());
            } catch (InterruptedException e) {
                if (!running) break;
            } catch (RuntimeException e) {
                log.error("message batch of {} failed", batch.size(), e);
                for (Job<?> job : batch) job.done.completeExceptionally(e);
            } finally {
                batch.clear();
            }
        }
        writerDone = true;
        try {
            published.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the publisher still stops within its poll
        }
    }

    private void runBatch(List<Job<?>> batch) {
        batchSizes.record(batch.size());
        if (batch.size() == 1) {
            runAlone(batch.getFirst());
            return;
        }
        try {
            db.tx(h -> {
                for (Job<?> job : batch) runTogether(job);
                return null;
            }, this::handOver);
        } catch (RuntimeException e) {
            // A write failed (a closed or deleted chat, say) and the whole batch rolled back: run it again with a
            // savepoint around each write, so that the failing one fails alone.
            db.tx(h -> {
                for (Job<?> job : batch) runOne(job);
                return null;
            }, this::handOver);
        }
    }

    /** Without a savepoint (two statements fewer per write): a failure rolls back the whole batch. */
    private <T> void runTogether(Job<T> job) {
        T result = job.work.get();
        db.afterCommit(() -> job.done.complete(result));
    }

    /** A batch of one needs no savepoint: its failure rolls back only itself anyway. */
    private void runAlone(Job<?> job) {
        try {
            db.tx(h -> {
                runTogether(job);
                return null;
            }, this::handOver);
        } catch (RuntimeException e) {
            job.done.completeExceptionally(e);
        }
    }

    private void handOver(List<Runnable> afterCommit) {
        try {
            published.put(afterCommit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Database.runAll(afterCommit); // committed: its events and answers must still go out
        }
    }

    private void publishLoop() {
        while (true) {
            try {
                List<Runnable> next = published.poll(200, TimeUnit.MILLISECONDS);
                if (next == END) return; // the writer's last: everything it handed over ran before
                if (next != null) {
                    if (publishRound(next)) return;
                } else if (writerDone) {
                    // the writer's last hand-over may have come after that poll
                    for (List<Runnable> rest; (rest = published.poll()) != null; ) Database.runAll(rest);
                    return;
                }
            } catch (InterruptedException e) {
                if (writerDone) return;
            }
        }
    }

    /** Publishes {@code first} and the hand-overs already waiting behind it, in one round; true when END came. */
    private boolean publishRound(List<Runnable> first) {
        boolean[] end = {false};
        try {
            publishing.accept(() -> {
                Database.runAll(first);
                for (int n = 1; n < MAX_ROUND; n++) {
                    List<Runnable> more = published.poll();
                    if (more == null) break;
                    if (more == END) {
                        end[0] = true;
                        break;
                    }
                    Database.runAll(more);
                }
            });
        } catch (RuntimeException e) {
            log.error("publishing committed messages failed", e);
        }
        return end[0];
    }

    private <T> void runOne(Job<T> job) {
        try {
            T result = db.savepoint(h -> job.work.get());
            db.afterCommit(() -> job.done.complete(result));
        } catch (RuntimeException e) {
            db.afterCommit(() -> job.done.completeExceptionally(e));
        }
    }

    /**
     * Stops taking writes, runs those already queued (their senders are waiting for them), publishes their events,
     * then stops; logs how many writes that flushed.
     */
    @Override
    public void close() {
        long before = written.get();
        long started = System.nanoTime();
        running = false;
        queue.offer(WAKE);
        try {
            thread.join(5_000);
            publisher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("message writer flushed {} writes in {} ms", written.get() - before, (System.nanoTime() - started) / 1_000_000);
    }
}
