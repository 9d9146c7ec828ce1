package io.chathub.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Which operators are online on this node: an operator is online while any hub connection of theirs
 * is open. Going online calls the listener (routing then offers queued chats).
 */
public final class Presence {
    private final Map<Long, Integer> connections = new ConcurrentHashMap<>();
    private volatile LongConsumer onOnline = id -> {};

    public void onOnline(LongConsumer listener) {
        this.onOnline = listener;
    }

    public void connected(long operatorId) {
        int n = connections.merge(operatorId, 1, Integer::sum);
        if (n == 1) onOnline.accept(operatorId);
    }

    public void disconnected(long operatorId) {
        connections.computeIfPresent(operatorId, (id, n) -> n <= 1 ? null : n - 1);
    }

    public boolean isOnline(long operatorId) {
        return connections.containsKey(operatorId);
    }
}
