package io.chathub.hub;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbound side of one connection: a bounded queue and at most one write in flight. Whoever sends (an event
 * fan-out, an invocation's Completion, the keep-alive Ping) enqueues; when the connection has no write in flight,
 * that same thread starts one, and each write's completion starts the next. The transport's writes do not block
 * (a write to a full socket completes later, on Jetty's selector), so no thread waits on a connection and none is
 * started for one: a fan-out to 100 idle connections is 100 writes on the fanning-out thread. A Jetty session never
 * sees two concurrent writes, and frames leave in enqueue order. A thread that fans out several events in a row
 * (the message publisher after a group commit) defers its writes to the end ({@link Hub#deferWrites}), so that a
 * connection gets the events of the round in one write.
 *
 * <p>When several frames wait, the next write sends them as one WebSocket message, their bytes one after the other
 * (each hub-protocol record ends with its 0x1E separator, and a message may hold several records, which every
 * SignalR client splits), up to {@link #MAX_BATCH_BYTES}: a burst costs one write, not one per record. A frame
 * larger than that still goes, alone. The first frame of a connection (the handshake answer, or its error) is
 * always written alone, as ASP.NET Core does, so that a client reads it before anything else.
 *
 * <p>A peer that does not read makes the queue grow; past the bound the outbox refuses the frame and reports the
 * overflow, and the connection closes itself as too slow. A write still in flight after the write timeout drops
 * the transport ({@link #expireStuckWrite}, called by the hub's heartbeat). Neither ever blocks the sender, so one
 * slow client cannot slow down the others.
 */
final class Outbox implements Transport.Written {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    enum Result { QUEUED, DROPPED, OVERFLOW }

    /** The most bytes that one write joins from several queued frames. */
    static final int MAX_BATCH_BYTES = 64 * 1024;

    /**
     * Set while a thread runs {@link Hub#deferWrites}: an outbox that would start writing on that thread only
     * joins the list, and is written when the work is done, with everything queued for it meanwhile in one write.
     */
    static final ThreadLocal<Deferred> DEFERRED = new ThreadLocal<>();

    /** The outboxes whose writes wait for the end of a {@link Hub#deferWrites}. */
    static final class Deferred {
        private final ArrayList<Outbox> waiting = new ArrayList<>();

        void flush() {
            for (int i = 0; i < waiting.size(); i++) waiting.get(i).pump();
            waiting.clear();
        }
    }

    private final String name;
    private final Transport transport;
    private final int maxFrames;
    private final long maxBytes;
    private final long writeTimeoutNanos;
    private final HubMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Frame> queue = new ArrayDeque<>(4); // grows on a burst; small for the many idle sockets
    private long queuedBytes;
    private boolean writing;    // a write is in flight, or a thread is about to start one
    private boolean pumping;    // a thread is in pump(): a completion that comes meanwhile is taken up by it
    private boolean completed;  // the write in flight completed while its thread was still in pump()
    private int inFlight;       // records in the write in flight
    private boolean held;       // frames wait for release(): the connection is not in its audiences yet
    private boolean sealed;     // no more frames accepted; the transport closes once the queue is written
    private boolean finished;   // the transport was closed or dropped
    private boolean wroteFirst; // the first frame (the handshake answer) has been taken, alone
    private volatile long writeStartedNanos; // of the write in flight; 0 for none
    private volatile long lastWriteNanos = System.nanoTime();

    Outbox(String name, Transport transport, int maxFrames, long maxBytes, Duration writeTimeout, HubMetrics metrics) {
        this.name = name;
        this.transport = transport;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.writeTimeoutNanos = writeTimeout.toNanos();
        this.metrics = metrics;
    }

    /**
     * Queues a frame, and writes it at once when nothing else is being written. A single frame larger than the byte
     * budget is still accepted on an empty queue, so that one large message (media) reaches an idle client.
     * OVERFLOW leaves the queue as it was: the caller closes.
     */
    Result enqueue(Frame frame) {
        boolean start;
        lock.lock();
        try {
            if (sealed) {
                metrics.dropped(1);
                return Result.DROPPED;
            }
            if (queue.size() >= maxFrames || (!queue.isEmpty() && queuedBytes + frame.weight() > maxBytes)) {
                return Result.OVERFLOW;
            }
            queue.add(frame);
            queuedBytes += frame.weight();
            start = !held && startWriting();
        } finally {
            lock.unlock();
        }
        if (start) {
            Deferred deferred = DEFERRED.get();
            if (deferred != null) deferred.waiting.add(this);
            else pump();
        }
        return Result.QUEUED;
    }

    /**
     * Queues a frame that is not written before {@link #release}. The handshake answer waits so until the
     * connection has joined its audiences: a client that has read it then misses no event sent afterwards.
     */
    void enqueueHeld(Frame frame) {
        lock.lock();
        try {
            if (sealed) return;
            held = true;
            queue.add(frame);
            queuedBytes += frame.weight();
        } finally {
            lock.unlock();
        }
    }

    void release() {
        boolean start;
        lock.lock();
        try {
            held = false;
            start = !queue.isEmpty() && startWriting();
        } finally {
            lock.unlock();
        }
        if (start) pump();
    }

    /** Queues a frame only when nothing is waiting: a keep-alive Ping is pointless behind other frames. */
    void enqueueIfIdle(Frame frame) {
        lock.lock();
        try {
            if (!queue.isEmpty() || writing) return;
        } finally {
            lock.unlock();
        }
        enqueue(frame);
    }

    /**
     * Ends the connection: drops what is still waiting, writes {@code last} (a Close message or a handshake
     * error; null for none) after the write in flight, then closes the transport. Later calls do nothing.
     */
    void seal(Frame last) {
        boolean start;
        int dropped;
        lock.lock();
        try {
            if (sealed) return;
            sealed = true;
            held = false;
            dropped = clear();
            if (last != null) {
                queue.add(last);
                queuedBytes = last.weight();
            }
            start = startWriting();
        } finally {
            lock.unlock();
        }
        metrics.dropped(dropped);
        if (start) pump();
    }

    /** The transport is gone: forget everything that is waiting. */
    void abandon() {
        int dropped;
        lock.lock();
        try {
            sealed = true;
            finished = true;
            dropped = clear();
        } finally {
            lock.unlock();
        }
        metrics.dropped(dropped);
    }

    long nanosSinceLastWrite() {
        return System.nanoTime() - lastWriteNanos;
    }

    /**
     * Drops the transport when the write in flight started more than the write timeout before {@code now} (a
     * peer that stopped reading with the socket's buffers full); returns whether it did.
     */
    boolean expireStuckWrite(long now) {
        long started = writeStartedNanos;
        if (started == 0 || now - started <= writeTimeoutNanos) return false;
        failed(new TimeoutException("write not done after " + writeTimeoutNanos / 1_000_000 + " ms"));
        return true;
    }

    // ---- the write in flight ----

    /** The transport has written the write in flight. */
    @Override
    public void written() {
        writeStartedNanos = 0;
        lastWriteNanos = System.nanoTime();
        int records;
        boolean continueHere;
        lock.lock();
        try {
            records = inFlight;
            continueHere = !pumping; // else the thread that started the write is still in pump() and goes on
            completed = pumping;
        } finally {
            lock.unlock();
        }
        metrics.sent(records);
        if (continueHere) pump();
    }

    /** The write in flight failed (or timed out): the connection is dropped. Only the first call counts. */
    @Override
    public void failed(Throwable cause) {
        writeStartedNanos = 0;
        int dropped;
        lock.lock();
        try {
            if (finished) return;
            sealed = true;
            finished = true;
            dropped = inFlight + clear();
            inFlight = 0;
        } finally {
            lock.unlock();
        }
        log.debug("hub connection {}: write failed ({}), dropping it", name, String.valueOf(cause));
        metrics.dropped(dropped);
        transport.disconnect();
    }

    private int clear() {
        int n = queue.size();
        queue.clear();
        queuedBytes = 0;
        return n;
    }

    private boolean startWriting() {
        if (writing) return false;
        writing = true;
        return true;
    }

    /**
     * Writes what waits, one write at a time, while the writes complete before the transport returns (a socket
     * with room); returns when the queue is empty or a write is still in flight, whose completion comes back here.
     */
    private void pump() {
        while (true) {
            byte[] bytes = null;
            int length = 0;
            lock.lock();
            try {
                Frame next = queue.poll();
                if (next == null) {
                    writing = false;
                    pumping = false;
                    if (!sealed || finished) return;
                    finished = true;
                } else {
                    queuedBytes -= next.weight();
                    int records = 1;
                    length = next.weight();
                    bytes = next.utf8();
                    if (wroteFirst && !queue.isEmpty()) {
                        int more = 0;
                        for (Iterator<Frame> it = queue.iterator(); it.hasNext(); more++) {
                            int w = it.next().weight();
                            if (length + w > MAX_BATCH_BYTES) break;
                            length += w;
                        }
                        if (more > 0) {
                            bytes = Arrays.copyOf(bytes, length);
                            for (int at = next.weight(); more > 0; more--, records++) {
                                Frame f = queue.poll();
                                queuedBytes -= f.weight();
                                System.arraycopy(f.utf8(), 0, bytes, at, f.weight());
                                at += f.weight();
                            }
                        }
                    }
                    wroteFirst = true;
                    inFlight = records;
                    pumping = true;
                    completed = false;
                }
            } finally {
                lock.unlock();
            }
            if (bytes == null) {
                transport.close();
                return;
            }
            writeStartedNanos = System.nanoTime();
            try {
                transport.send(bytes, length, this);
            } catch (RuntimeException e) {
                failed(e);
            }
            lock.lock();
            try {
                if (!completed) {
                    pumping = false; // still in flight (or failed): its completion goes on from there
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
