package io.chathub.chat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * Which operators are online, cluster-wide: an operator is online while any hub connection of theirs is open on any
 * live node. This node counts its own connections per operator and keeps one row per operator it has connections of
 * ({@link PresenceStore}), written when the count leaves or returns to zero; its node row's lease is renewed every
 * third of {@code lease}.
 *
 * <p>The bound: a node that dies (kill -9, a lost network) stops renewing, and its operators stop counting as online
 * when its lease runs out, at most {@code lease} (CHATHUB_PRESENCE_LEASE, 10 s by default, at most 15 s) after its last
 * renewal — plus the clock difference between the nodes (leases are written with the node's clock and read with the
 * reader's: keep the clocks in sync, NTP). A node that drains (SIGTERM) removes its rows at once ({@link #leave}).
 *
 * <p>A dead node's expiry, seen by any node's heartbeat, calls the expired listener for the organizations it had operators in.
 * The leases use the wall clock, never the server's (tests move that one forward).
 */
public final class Presence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Presence.class);
    private static final int STRIPES = 64;

    private final PresenceStore store;
    private final String nodeId;
    private final Duration lease;
    private final Map<Long, Integer> connections = new ConcurrentHashMap<>();
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final ScheduledExecutorService heartbeat =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("chathub-presence").factory());
    private volatile LongConsumer onExpired = org -> {};
    private volatile boolean dirty;   // a row write failed: the next heartbeat writes them all again
    private volatile boolean leaving; // drained: no more rows

    public Presence(PresenceStore store, String nodeId, Duration lease) {
        this.store = store;
        this.nodeId = nodeId;
        this.lease = lease;
        for (int i = 0; i < STRIPES; i++) locks[i] = new ReentrantLock();
    }

    /** Registers the node (dropping the rows a killed run of it left) and starts the heartbeat. */
    public Presence start() {
        store.register(nodeId, now() + lease.toMillis(), now());
        long every = Math.max(100, lease.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        log.info("presence: node {} lease {} ms, heartbeat every {} ms", nodeId, lease.toMillis(), every);
        return this;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Called with each organization that had operators online on a node whose lease ran out. */
    public void onExpired(LongConsumer listener) {
        this.onExpired = listener;
    }

    /**
     * One more connection of the operator on this node; the first writes the row before it returns, and returns true
     * (the operator may just have come online: route their organization).
     */
    public boolean connected(long operatorId) {
        boolean first;
        ReentrantLock lock = lock(operatorId);
        lock.lock();
        try {
            first = connections.merge(operatorId, 1, Integer::sum) == 1;
            if (first) write(() -> store.online(nodeId, operatorId, now()));
        } finally {
            lock.unlock();
        }
        return first;
    }

    public void disconnected(long operatorId) {
        ReentrantLock lock = lock(operatorId);
        lock.lock();
        try {
            Integer left = connections.computeIfPresent(operatorId, (id, n) -> n <= 1 ? null : n - 1);
            if (left == null) write(() -> store.offline(nodeId, operatorId));
        } finally {
            lock.unlock();
        }
    }

    /** Online on any live node. */
    public boolean isOnline(long operatorId) {
        return store.isOnline(operatorId, now());
    }

    /** Which of these operators are online on any live node (one query). */
    public Set<Long> onlineAmong(Collection<Long> operatorIds) {
        return store.onlineAmong(operatorIds, now());
    }

    /** An Active operator of the organization is online on any live node. */
    public boolean anyOnline(long organizationId) {
        return store.anyOnline(organizationId, now());
    }

    /** Drain: the node's rows go at once, so that routing on the other nodes stops offering chats to its operators. */
    public void leave() {
        leaving = true;
        heartbeat.shutdownNow();
        try {
            store.leave(nodeId);
            log.info("presence: node {} left ({} operators were online here)", nodeId, connections.size());
        } catch (RuntimeException e) {
            log.warn("presence: could not remove node {}'s rows (they expire with its lease): {}", nodeId, e.toString());
        }
    }

    private void write(Runnable change) {
        if (leaving) return;
        try {
            change.run();
        } catch (RuntimeException e) {
            dirty = true;
            log.warn("presence: row write failed (the heartbeat writes them again): {}", e.toString());
        }
    }

    private void beat() {
        if (leaving) return;
        try {
            long now = now();
            boolean renewed = store.renew(nodeId, now + lease.toMillis());
            if (!renewed) {
                log.warn("presence: node {}'s row was gone (expired by another node after a pause): registering again", nodeId);
                store.register(nodeId, now + lease.toMillis(), now);
            }
            if (!renewed || dirty) {
                dirty = false;
                resync(now);
            }
            // Another node's lease ran out: its rows stopped counting then; removing them (a lease later, so that a
            // node that is only slow has time to renew) re-offers the queues of the organizations concerned.
            for (long organizationId : store.expire(now - lease.toMillis())) onExpired.accept(organizationId);
        } catch (RuntimeException e) {
            dirty = true;
            log.warn("presence heartbeat failed: {}", e.toString());
        }
    }

    /** Writes this node's rows from its counts, under every stripe's lock so that no connect or disconnect interleaves. */
    private void resync(long now) {
        for (ReentrantLock l : locks) l.lock();
        try {
            store.replace(nodeId, Set.copyOf(connections.keySet()), now);
        } finally {
            for (ReentrantLock l : locks) l.unlock();
        }
    }

    private ReentrantLock lock(long operatorId) {
        return locks[(int) Math.floorMod(operatorId, (long) STRIPES)];
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
    }
}
