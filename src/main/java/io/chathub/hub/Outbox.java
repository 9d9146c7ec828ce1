package io.chathub.hub;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbound side of one connection: a bounded queue and a single writer. Whoever sends (an event fan-out, an
 * invocation's Completion, the keep-alive Ping) only enqueues; one virtual thread at a time drains the queue into
 * the transport, so a Jetty session never sees two concurrent writes and frames leave in enqueue order.
 *
 * <p>When several frames wait, the writer sends them as one WebSocket message, their texts one after the other
 * (each hub-protocol record ends with its 0x1E separator, and a message may hold several records, which every
 * SignalR client splits), up to {@link #MAX_BATCH_CHARS}: a burst costs one write, not one per record. A frame
 * larger than that still goes, alone. The first frame of a connection (the handshake answer, or its error) is
 * always written alone, as ASP.NET Core does, so that a client reads it before anything else.
 *
 * <p>A peer that does not read makes the queue grow; past the bound the outbox refuses the frame and reports the
 * overflow, and the connection closes itself as too slow. A write that takes longer than the write timeout drops
 * the transport. Neither ever blocks the sender, so one slow client cannot slow down the others.
 */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    enum Result { QUEUED, DROPPED, OVERFLOW }

    /** The most text (UTF-16 chars, about bytes for JSON) that one write joins from several queued frames. */
    static final int MAX_BATCH_CHARS = 64 * 1024;

    private final String name;
    private final Transport transport;
    private final int maxFrames;
    private final long maxBytes;
    private final Duration writeTimeout;
    private final HubMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Frame> queue = new ArrayDeque<>(4); // grows on a burst; small for the many idle sockets
    private long queuedBytes;
    private boolean draining;
    private boolean held;       // frames wait for release(): the connection is not in its audiences yet
    private boolean sealed;     // no more frames accepted; the transport closes once the queue is written
    private boolean finished;   // the transport was closed or dropped
    private boolean wroteFirst; // the first frame (the handshake answer) has been taken, alone
    private volatile long lastWriteNanos = System.nanoTime();

    Outbox(String name, Transport transport, int maxFrames, long maxBytes, Duration writeTimeout, HubMetrics metrics) {
        this.name = name;
        this.transport = transport;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.writeTimeout = writeTimeout;
        this.metrics = metrics;
    }

    /**
     * Queues a frame. A single frame larger than the byte budget is still accepted on an empty queue, so that one
     * large message (media) reaches an idle client. OVERFLOW leaves the queue as it was: the caller closes.
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
            start = !held && startDrain();
        } finally {
            lock.unlock();
        }
        if (start) startWriter();
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
            start = !queue.isEmpty() && startDrain();
        } finally {
            lock.unlock();
        }
        if (start) startWriter();
    }

    /** Queues a frame only when nothing is waiting: a keep-alive Ping is pointless behind other frames. */
    void enqueueIfIdle(Frame frame) {
        lock.lock();
        try {
            if (!queue.isEmpty() || draining) return;
        } finally {
            lock.unlock();
        }
        enqueue(frame);
    }

    /**
     * Ends the connection: drops what is still waiting, writes {@code last} (a Close message or a handshake
     * error; null for none), then closes the transport. Later calls do nothing.
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
            start = startDrain();
        } finally {
            lock.unlock();
        }
        metrics.dropped(dropped);
        if (start) startWriter();
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

    private int clear() {
        int n = queue.size();
        queue.clear();
        queuedBytes = 0;
        return n;
    }

    private boolean startDrain() {
        if (draining) return false;
        draining = true;
        return true;
    }

    private void startWriter() {
        Thread.ofVirtual().name("hub-writer-" + name).start(this::drain);
    }

    private void drain() {
        while (true) {
            Frame next;
            List<Frame> more = null; // the frames that go in the same message, after next
            boolean closeTransport = false;
            lock.lock();
            try {
                next = queue.poll();
                if (next != null) {
                    queuedBytes -= next.weight();
                    if (wroteFirst) {
                        int chars = next.text().length();
                        for (Frame f; (f = queue.peek()) != null && chars + f.text().length() <= MAX_BATCH_CHARS; ) {
                            queue.poll();
                            queuedBytes -= f.weight();
                            chars += f.text().length();
                            if (more == null) more = new ArrayList<>();
                            more.add(f);
                        }
                    }
                    wroteFirst = true;
                } else {
                    draining = false;
                    if (!sealed || finished) return;
                    finished = true;
                    closeTransport = true;
                }
            } finally {
                lock.unlock();
            }
            if (closeTransport) {
                transport.close();
                return;
            }
            if (!(more == null ? write(next.text(), 1) : write(join(next, more), 1 + more.size()))) return;
        }
    }

    private static String join(Frame first, List<Frame> more) {
        int length = first.text().length();
        for (Frame f : more) length += f.text().length();
        StringBuilder text = new StringBuilder(length).append(first.text());
        for (Frame f : more) text.append(f.text());
        return text.toString();
    }

    private boolean write(String text, int records) {
        try {
            transport.send(text, writeTimeout);
            lastWriteNanos = System.nanoTime();
            metrics.sent(records);
            return true;
        } catch (Exception e) {
            log.debug("hub connection {}: write failed ({}), dropping it", name, e.toString());
            abandon();
            metrics.dropped(records);
            transport.disconnect();
            return false;
        }
    }
}
