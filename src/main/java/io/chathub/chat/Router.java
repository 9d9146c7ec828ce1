package io.chathub.chat;

import io.chathub.operator.Operator;
import io.chathub.operator.OperatorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Offers unassigned chats to operators: round-robin over the organization's Active, online
 * operators, skipping those at their {@code maxChats} capacity. A chat nobody can take waits in the
 * queue (oldest first) until an operator comes online or frees capacity, or a chat is transferred.
 *
 * <p>All decisions run on one thread, one organization at a time, so two chats never race for the
 * last free slot. Requests for an organization already pending are coalesced.
 */
public final class Router implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final ChatStore chats;
    private final OperatorStore operators;
    private final Presence presence;
    private final BiConsumer<Long, Long> assign; // (chatId, operatorId): assigns and announces
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("chathub-router").factory());
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> lastAssigned = new ConcurrentHashMap<>(); // organization → last operator given a chat

    public Router(ChatStore chats, OperatorStore operators, Presence presence, BiConsumer<Long, Long> assign) {
        this.chats = chats;
        this.operators = operators;
        this.presence = presence;
        this.assign = assign;
    }

    /** Asks for the organization's queue to be offered again (after a new chat, a close, an operator online…). */
    public void rebalance(long organizationId) {
        if (pending.add(organizationId)) {
            executor.execute(() -> {
                pending.remove(organizationId);
                try {
                    route(organizationId);
                } catch (RuntimeException e) {
                    log.error("routing organization {} failed", organizationId, e);
                }
            });
        }
    }

    private void route(long organizationId) {
        List<Long> queue = chats.queuedChats(organizationId, 500);
        if (queue.isEmpty()) return;
        List<Operator> candidates = operators.listByOrganization(organizationId).stream()
                .filter(o -> o.isActive() && presence.isOnline(o.id()))
                .toList();
        if (candidates.isEmpty()) return;
        int[] load = candidates.stream().mapToInt(o -> chats.activeChatCount(o.id())).toArray();
        int start = startAfter(candidates, lastAssigned.get(organizationId));
        for (long chatId : queue) {
            int chosen = -1;
            for (int k = 0; k < candidates.size(); k++) {
                int i = (start + k) % candidates.size();
                if (load[i] < candidates.get(i).maxChats()) {
                    chosen = i;
                    break;
                }
            }
            if (chosen < 0) return; // everyone is full: the rest waits
            long operatorId = candidates.get(chosen).id();
            assign.accept(chatId, operatorId);
            load[chosen]++;
            lastAssigned.put(organizationId, operatorId);
            start = (chosen + 1) % candidates.size();
        }
    }

    private static int startAfter(List<Operator> candidates, Long last) {
        if (last == null) return 0;
        for (int i = 0; i < candidates.size(); i++) if (candidates.get(i).id() == last) return (i + 1) % candidates.size();
        for (int i = 0; i < candidates.size(); i++) if (candidates.get(i).id() > last) return i;
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
        executor.shutdownNow();
    }
}
