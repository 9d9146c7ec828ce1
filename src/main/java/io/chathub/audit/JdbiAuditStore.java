package io.chathub.audit;

import io.chathub.db.Database;

import java.time.Instant;
import java.util.List;

public final class JdbiAuditStore implements AuditStore {
    private final Database db;

    public JdbiAuditStore(Database db) {
        this.db = db;
    }

    @Override
    public void insert(NewEntry e) {
        db.tx(h -> h.createUpdate("""
                        INSERT INTO audit_log (company_id, at, actor_type, actor_id, actor_login, action, object_type, object_id,
                            detail, ip)
                        VALUES (:company, :at, :actorType, :actorId, :actorLogin, :action, :objectType, :objectId, :detail, :ip)""")
                .bind("company", e.companyId()).bind("at", e.at()).bind("actorType", e.actorType())
                .bind("actorId", e.actorId()).bind("actorLogin", e.actorLogin()).bind("action", e.action())
                .bind("objectType", e.objectType()).bind("objectId", e.objectId()).bind("detail", e.detail())
                .bind("ip", e.ip()).execute());
    }

    @Override
    public List<AuditEntry> list(long companyId, Long from, Long to, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE company_id = :company");
        if (from != null) sql.append(" AND at >= :from");
        if (to != null) sql.append(" AND at < :to");
        if (before != null) sql.append(" AND id < :before");
        sql.append(" ORDER BY id DESC LIMIT :limit");
        return db.read(h -> h.createQuery(sql.toString()).bind("company", companyId).bind("from", from).bind("to", to)
                .bind("before", before).bind("limit", limit)
                .map((rs, ctx) -> new AuditEntry(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("at")).toString(),
                        new AuditEntry.Actor(rs.getString("actor_type"), rs.getObject("actor_id") == null ? null : rs.getLong("actor_id"),
                                rs.getString("actor_login")),
                        rs.getString("action"), rs.getString("object_type"), rs.getString("object_id"),
                        rs.getString("detail"), rs.getString("ip")))
                .list());
    }

    @Override
    public String companyLogin(long companyId) {
        return db.read(h -> h.createQuery("SELECT login FROM company WHERE id = :id").bind("id", companyId)
                .mapTo(String.class).findOne().orElse(null));
    }
}
