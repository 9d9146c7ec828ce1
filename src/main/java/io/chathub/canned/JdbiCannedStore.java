package io.chathub.canned;

import io.chathub.db.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class JdbiCannedStore implements CannedStore {
    private static final RowMapper<CannedResponse> MAPPER = (rs, ctx) -> new CannedResponse(rs.getLong("id"),
            rs.getLong("organization_id"), rs.getString("shortcut"), rs.getString("text"),
            Instant.ofEpochMilli(rs.getLong("created_at")).toString(), Instant.ofEpochMilli(rs.getLong("updated_at")).toString());

    private final Database db;

    public JdbiCannedStore(Database db) {
        this.db = db;
    }

    private boolean taken(long organizationId, String shortcut, long exceptId) {
        return db.read(h -> h.createQuery("""
                        SELECT COUNT(*) FROM canned_response WHERE organization_id = :org AND shortcut = :shortcut AND id <> :id""")
                .bind("org", organizationId).bind("shortcut", shortcut).bind("id", exceptId).mapTo(Integer.class).one()) > 0;
    }

    @Override
    public Optional<Long> create(long organizationId, String shortcut, String text) {
        long now = System.currentTimeMillis();
        return db.tx(h -> {
            if (taken(organizationId, shortcut, 0)) return Optional.<Long>empty();
            return Optional.of(h.createQuery("""
                            INSERT INTO canned_response (organization_id, shortcut, text, created_at, updated_at)
                            VALUES (:org, :shortcut, :text, :now, :now) RETURNING id""")
                    .bind("org", organizationId).bind("shortcut", shortcut).bind("text", text).bind("now", now)
                    .mapTo(Long.class).one());
        });
    }

    @Override
    public boolean update(long id, String shortcut, String text) {
        return db.tx(h -> {
            CannedResponse c = find(id).orElseThrow();
            if (taken(c.organizationId(), shortcut, id)) return false;
            h.createUpdate("UPDATE canned_response SET shortcut = :shortcut, text = :text, updated_at = :now WHERE id = :id")
                    .bind("shortcut", shortcut).bind("text", text).bind("now", System.currentTimeMillis()).bind("id", id).execute();
            return true;
        });
    }

    @Override
    public void delete(long id) {
        db.tx(h -> h.createUpdate("DELETE FROM canned_response WHERE id = :id").bind("id", id).execute());
    }

    @Override
    public Optional<CannedResponse> find(long id) {
        return db.read(h -> h.createQuery("SELECT * FROM canned_response WHERE id = :id").bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public List<CannedResponse> list(long organizationId) {
        return db.read(h -> h.createQuery("SELECT * FROM canned_response WHERE organization_id = :org ORDER BY shortcut")
                .bind("org", organizationId).map(MAPPER).list());
    }
}
