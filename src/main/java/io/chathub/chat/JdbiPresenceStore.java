package io.chathub.chat;

import io.chathub.db.Database;
import io.chathub.operator.OperatorStatus;

import java.util.Collection;
import java.util.List;
import java.util.Set;

public final class JdbiPresenceStore implements PresenceStore {
    /** A presence row counts: its node's lease runs. */
    static final String LIVE = "EXISTS (SELECT 1 FROM operator_presence p JOIN node n ON n.id = p.node_id "
            + "WHERE p.operator_id = o.id AND n.lease_until > :now)";

    private final Database db;

    public JdbiPresenceStore(Database db) {
        this.db = db;
    }

    @Override
    public void register(String nodeId, long leaseUntil, long now) {
        db.tx(h -> {
            h.createUpdate("DELETE FROM operator_presence WHERE node_id = :node").bind("node", nodeId).execute();
            return h.createUpdate("""
                            INSERT INTO node (id, lease_until, started_at) VALUES (:node, :lease, :now)
                            ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until, started_at = excluded.started_at""")
                    .bind("node", nodeId).bind("lease", leaseUntil).bind("now", now).execute();
        });
    }

    @Override
    public boolean renew(String nodeId, long leaseUntil) {
        return db.tx(h -> h.createUpdate("UPDATE node SET lease_until = :lease WHERE id = :node")
                .bind("lease", leaseUntil).bind("node", nodeId).execute()) > 0;
    }

    @Override
    public void online(String nodeId, long operatorId, long now) {
        db.tx(h -> h.createUpdate("""
                        INSERT INTO operator_presence (node_id, operator_id, since) VALUES (:node, :op, :now)
                        ON CONFLICT (node_id, operator_id) DO NOTHING""")
                .bind("node", nodeId).bind("op", operatorId).bind("now", now).execute());
    }

    @Override
    public void offline(String nodeId, long operatorId) {
        db.tx(h -> h.createUpdate("DELETE FROM operator_presence WHERE node_id = :node AND operator_id = :op")
                .bind("node", nodeId).bind("op", operatorId).execute());
    }

    @Override
    public void replace(String nodeId, Set<Long> operators, long now) {
        db.tx(h -> {
            h.createUpdate("DELETE FROM operator_presence WHERE node_id = :node").bind("node", nodeId).execute();
            var batch = h.prepareBatch("""
                    INSERT INTO operator_presence (node_id, operator_id, since)
                    SELECT :node, id, :now FROM operator WHERE id = :op""");
            for (long op : operators) batch.bind("node", nodeId).bind("now", now).bind("op", op).add();
            if (!operators.isEmpty()) batch.execute();
            return null;
        });
    }

    @Override
    public void leave(String nodeId) {
        db.tx(h -> {
            h.createUpdate("DELETE FROM operator_presence WHERE node_id = :node").bind("node", nodeId).execute();
            return h.createUpdate("DELETE FROM node WHERE id = :node").bind("node", nodeId).execute();
        });
    }

    @Override
    public List<Long> expire(long before) {
        return db.tx(h -> {
            List<Long> organizations = h.createQuery("""
                            SELECT DISTINCT o.organization_id FROM operator_presence p
                            JOIN node n ON n.id = p.node_id JOIN operator o ON o.id = p.operator_id
                            WHERE n.lease_until < :before""")
                    .bind("before", before).mapTo(Long.class).list();
            h.createUpdate("DELETE FROM operator_presence WHERE node_id IN (SELECT id FROM node WHERE lease_until < :before)")
                    .bind("before", before).execute();
            h.createUpdate("DELETE FROM node WHERE lease_until < :before").bind("before", before).execute();
            return organizations;
        });
    }

    @Override
    public boolean isOnline(long operatorId, long now) {
        return db.read(h -> h.createQuery("""
                        SELECT COUNT(*) FROM operator_presence p JOIN node n ON n.id = p.node_id
                        WHERE p.operator_id = :op AND n.lease_until > :now""")
                .bind("op", operatorId).bind("now", now).mapTo(Integer.class).one()) > 0;
    }

    @Override
    public Set<Long> onlineAmong(Collection<Long> operatorIds, long now) {
        if (operatorIds.isEmpty()) return Set.of();
        return db.read(h -> h.createQuery("SELECT DISTINCT p.operator_id FROM operator_presence p JOIN node n ON n.id = p.node_id"
                        + " WHERE n.lease_until > :now AND p.operator_id IN (<ids>)")
                .bind("now", now).bindList("ids", List.copyOf(operatorIds)).mapTo(Long.class).set());
    }

    @Override
    public boolean anyOnline(long organizationId, long now) {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM operator o WHERE o.organization_id = :org AND o.status = :active AND "
                        + LIVE)
                .bind("org", organizationId).bind("active", OperatorStatus.ACTIVE.code()).bind("now", now)
                .mapTo(Integer.class).one()) > 0;
    }
}
