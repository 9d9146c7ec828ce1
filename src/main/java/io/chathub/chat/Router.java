package io.chathub.chat;

import io.chathub.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Offers unassigned chats to operators: round-robin over the organization's Active operators that are online on any
 * node ({@link Presence}), skipping those at their {@code maxChats}. A chat nobody can take waits in the queue (oldest
 * first) until an operator comes online or frees capacity, or a chat is handed back.
 *
 * <p><b>The guarantee, cluster-wide, decided in the database.</b> A routing pass is one transaction that first takes
 * the organization's routing lock (its {@code routing_turn} row, {@link RoutingStore#lockTurn}): the passes of one
 * organization run one after another whichever node runs them, and each sees what the previous committed. Inside it:
 * the queue oldest first, the candidates (online on a live node, Active), their open chats counted, the round-robin
 * turn; each assignment is {@code UPDATE … WHERE operator_id IS NULL AND status <> 4}. So routing never assigns a chat
 * twice, never gives an operator more than {@code maxChats} open chats, and serves the queue oldest first (a pass stops
 * at the first queued chat it cannot lock — another transaction is writing to it — and tries again shortly, rather
 * than hand a younger chat the free place). An operator's own take, reply or a transfer is a person's decision and
 * may go beyond {@code maxChats}, as on one node. On SQLite (one node) the transaction holds the only writer.
 *
 * <p><b>When.</b> The node where something happens routes the organization at once: a chat comes in, an operator comes
 * online, a chat is closed, deleted or handed back, operators change, a dead node's rows are removed. Nothing relies on
 * a cluster event: should a node die between a commit and its routing, every node's sweep (every
 * CHATHUB_ROUTING_SWEEP, 5 s) routes each organization that has a queued chat and an operator online, so a missed
 * trigger only delays. Requests for an organization already pending on this node are coalesced.
 */
public final class Router implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    /** Queued chats one pass looks at; a full pass asks for another. */
    static final int BATCH = 200;
    /** How soon a pass that met a locked chat runs again. */
    private static final long BUSY_RETRY_MILLIS = 20;

    /** Assigns a queued chat inside the pass's transaction and announces it after commit; false if it was not queued. */
    @FunctionalInterface
    public interface Assign {
        boolean assign(long chatId, long operatorId);
    }

    private final Database db;
    private final ChatStore chats;
    private final RoutingStore routing;
    private final Assign assign;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("chathub-router").factory());
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("chathub-router-timer").factory());
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();

    public Router(Database db, ChatStore chats, RoutingStore routing, Assign assign) {
        this.db = db;
        this.chats = chats;
        this.routing = routing;
        this.assign = assign;
    }

    /** Starts the sweep: every {@code every}, each organization with a queued chat and an operator online is routed. */
    public Router sweepEvery(Duration every) {
        timer.scheduleWithFixedDelay(this::sweep, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Asks for the organization's queue to be offered again (after a new chat, a close, an operator online…). */
    public void rebalance(long organizationId) {
        if (pending.add(organizationId)) {
            try {
                executor.execute(() -> {
                    pending.remove(organizationId);
                    try {
                        route(organizationId);
                    } catch (RuntimeException e) {
                        log.error("routing organization {} failed (the sweep tries again)", organizationId, e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.remove(organizationId); // closed
            }
        }
    }

    private void sweep() {
        try {
            for (long organizationId : routing.waitingOrganizations(System.currentTimeMillis())) rebalance(organizationId);
        } catch (RuntimeException e) {
            log.warn("routing sweep failed: {}", e.toString());
        }
    }

    private enum Outcome { DONE, MORE, BUSY }

    private void route(long organizationId) {
        if (chats.queuedChats(organizationId, 1).isEmpty()) return; // the common case, without a write
        Outcome outcome = db.tx(h -> pass(organizationId));
        if (outcome == Outcome.MORE) rebalance(organizationId);
        else if (outcome == Outcome.BUSY) {
            try {
                timer.schedule(() -> rebalance(organizationId), BUSY_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // closed
            }
        }
    }

    /** One pass, inside its transaction (see the class comment). */
    private Outcome pass(long organizationId) {
        Long last = routing.lockTurn(organizationId);
        List<RoutingStore.Candidate> candidates = routing.candidates(organizationId, System.currentTimeMillis());
        if (candidates.isEmpty()) return Outcome.DONE;
        List<Long> queue = chats.queuedChats(organizationId, BATCH);
        if (queue.isEmpty()) return Outcome.DONE;
        Set<Long> locked = routing.lockQueued(queue);
        Map<Long, Integer> loads = routing.loads(candidates.stream().map(RoutingStore.Candidate::operatorId).collect(Collectors.toList()));
        int[] load = candidates.stream().mapToInt(c -> loads.getOrDefault(c.operatorId(), 0)).toArray();
        int start = startAfter(candidates, last);
        Long given = null;
        Outcome outcome = queue.size() == BATCH ? Outcome.MORE : Outcome.DONE;
        for (long chatId : queue) {
            if (!locked.contains(chatId)) {
                outcome = Outcome.BUSY; // being written to, or no longer queued: look again shortly, oldest first
                break;
            }
            int chosen = -1;
            for (int k = 0; k < candidates.size(); k++) {
                int i = (start + k) % candidates.size();
                if (load[i] < candidates.get(i).maxChats()) {
                    chosen = i;
                    break;
                }
            }
            if (chosen < 0) {
                outcome = Outcome.DONE; // everyone is full: the rest waits
                break;
            }
            long operatorId = candidates.get(chosen).operatorId();
            if (assign.assign(chatId, operatorId)) {
                load[chosen]++;
                given = operatorId;
                start = (chosen + 1) % candidates.size();
            }
        }
        if (given != null) routing.saveTurn(organizationId, given);
        return outcome;
    }

    private static int startAfter(List<RoutingStore.Candidate> candidates, Long last) {
        if (last == null) return 0;
        for (int i = 0; i < candidates.size(); i++) if (candidates.get(i).operatorId() == last) return (i + 1) % candidates.size();
        for (int i = 0; i < candidates.size(); i++) if (candidates.get(i).operatorId() > last) return i;
        return 0;
    }

    /** Waits until routing requests made so far are done (tests and shutdown). */
    public void drain() {
        try {
            executor.submit(() -> {}).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("router did not drain", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        executor.shutdownNow();
    }
}
