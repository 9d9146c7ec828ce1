package io.chathub.chat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What routing reads and locks in the database; see {@link Router} for how a pass uses it. */
public interface RoutingStore {
    /** An operator routing may offer chats to: Active, online on a live node. */
    record Candidate(long operatorId, int maxChats) {}

    /**
     * Takes the organization's routing lock for the rest of the transaction (its {@code routing_turn} row, made on
     * first use) and returns the last operator routing gave a chat, if any.
     */
    Long lockTurn(long organizationId);

    void saveTurn(long organizationId, long lastOperatorId);

    /** The organization's candidates, by id. */
    List<Candidate> candidates(long organizationId, long now);

    /**
     * Of these chats, those still queued (unassigned, not Closed) that this transaction now holds locked; on PostgreSQL
     * a chat another transaction holds (a message being appended, a take) is left out rather than waited for, so that
     * routing never waits while holding chat locks (no deadlock with the message writer). On SQLite the transaction
     * is the only writer: every queued one.
     */
    Set<Long> lockQueued(Collection<Long> chatIds);

    /** Open (not Closed) chats held by each of these operators; an operator with none is absent. */
    Map<Long, Integer> loads(Collection<Long> operatorIds);

    /** Organizations with a queued chat and an Active operator online: what a sweep routes again. */
    List<Long> waitingOrganizations(long now);
}
