package io.chathub.chat;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Cluster-wide presence in the database: a row per live node with its lease, and a row per (node, operator) while the
 * operator has a hub connection open on that node. An operator is online while a row of theirs is on a node whose
 * lease has not run out. Times are epoch milliseconds.
 */
public interface PresenceStore {
    /** The node (re)starts: its lease from now on, and none of the presence rows it left when it was killed. */
    void register(String nodeId, long leaseUntil, long now);

    /** The heartbeat: false when the node's row is gone (another node expired it after a long pause): register again. */
    boolean renew(String nodeId, long leaseUntil);

    void online(String nodeId, long operatorId, long now);

    void offline(String nodeId, long operatorId);

    /** The node's presence rows become exactly {@code operators} (a resync after a failed write or a re-registration). */
    void replace(String nodeId, Set<Long> operators, long now);

    /** Drain: the node and its presence rows are removed at once. */
    void leave(String nodeId);

    /** Removes the nodes whose lease ran out before {@code before} with their presence rows; the organizations they had operators online in. */
    List<Long> expire(long before);

    boolean isOnline(long operatorId, long now);

    /** Which of these operators are online on a live node. */
    Set<Long> onlineAmong(Collection<Long> operatorIds, long now);

    /** An Active operator of the organization is online. */
    boolean anyOnline(long organizationId, long now);
}
