package io.chathub.chat;

import io.chathub.db.Database;
import io.chathub.operator.OperatorStatus;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class JdbiRoutingStore implements RoutingStore {
    private final Database db;

    public JdbiRoutingStore(Database db) {
        this.db = db;
    }

    @Override
    public Long lockTurn(long organizationId) {
        // An upsert that always writes the row: on PostgreSQL it holds the row lock until commit; on SQLite the
        // transaction holds the only writer anyway.
        return db.tx(h -> h.createQuery("""
                        INSERT INTO routing_turn (organization_id, last_operator_id) VALUES (:org, NULL)
                        ON CONFLICT (organization_id) DO UPDATE SET last_operator_id = routing_turn.last_operator_id
                        RETURNING last_operator_id""")
                .bind("org", organizationId).mapTo(Long.class).one());
    }

    @Override
    public void saveTurn(long organizationId, long lastOperatorId) {
        db.tx(h -> h.createUpdate("UPDATE routing_turn SET last_operator_id = :op WHERE organization_id = :org")
                .bind("op", lastOperatorId).bind("org", organizationId).execute());
    }

    @Override
    public List<Candidate> candidates(long organizationId, long now) {
        return db.read(h -> h.createQuery("SELECT o.id, o.max_chats FROM operator o WHERE o.organization_id = :org "
                        + "AND o.status = :active AND " + JdbiPresenceStore.LIVE + " ORDER BY o.id")
                .bind("org", organizationId).bind("active", OperatorStatus.ACTIVE.code()).bind("now", now)
                .map((rs, ctx) -> new Candidate(rs.getLong(1), rs.getInt(2))).list());
    }

    @Override
    public Set<Long> lockQueued(Collection<Long> chatIds) {
        if (chatIds.isEmpty()) return Set.of();
        String lock = db.kind() == Database.Kind.POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
        return db.tx(h -> new HashSet<>(h.createQuery("SELECT id FROM chat WHERE id IN (<ids>) AND operator_id IS NULL "
                        + "AND status <> 4" + lock)
                .bindList("ids", List.copyOf(chatIds)).mapTo(Long.class).list()));
    }

    @Override
    public Map<Long, Integer> loads(Collection<Long> operatorIds) {
        if (operatorIds.isEmpty()) return Map.of();
        return db.read(h -> {
            Map<Long, Integer> loads = new HashMap<>();
            h.createQuery("SELECT operator_id, COUNT(*) FROM chat WHERE operator_id IN (<ops>) AND status <> 4 GROUP BY operator_id")
                    .bindList("ops", List.copyOf(operatorIds))
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2)))
                    .forEach(e -> loads.put(e.getKey(), e.getValue()));
            return loads;
        });
    }

    @Override
    public List<Long> waitingOrganizations(long now) {
        return db.read(h -> h.createQuery("""
                        SELECT DISTINCT c.organization_id FROM chat c
                        WHERE c.operator_id IS NULL AND c.status <> 4
                        AND EXISTS (SELECT 1 FROM operator o WHERE o.organization_id = c.organization_id AND o.status = :active
                        AND\s""" + JdbiPresenceStore.LIVE + ")")
                .bind("active", OperatorStatus.ACTIVE.code()).bind("now", now).mapTo(Long.class).list());
    }
}
