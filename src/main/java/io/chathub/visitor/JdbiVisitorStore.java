package io.chathub.visitor;

import io.chathub.db.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Optional;

public final class JdbiVisitorStore implements VisitorStore {
    private static final RowMapper<Visitor> MAPPER = (rs, ctx) -> new Visitor(rs.getLong("id"), rs.getLong("organization_id"),
            rs.getString("public_id"), rs.getString("resume_hash"), rs.getLong("client_id"), rs.getString("page_url"),
            rs.getString("language"));

    private final Database db;

    public JdbiVisitorStore(Database db) {
        this.db = db;
    }

    @Override
    public long create(long organizationId, String publicId, String resumeHash, long clientId, Seen seen) {
        long now = System.currentTimeMillis();
        return db.tx(h -> h.createQuery("""
                        INSERT INTO visitor (organization_id, public_id, resume_hash, client_id, page_url, language, user_agent,
                            created_at, seen_at)
                        VALUES (:org, :publicId, :resumeHash, :client, :pageUrl, :language, :userAgent, :now, :now)
                        RETURNING id""")
                .bind("org", organizationId).bind("publicId", publicId).bind("resumeHash", resumeHash)
                .bind("client", clientId).bind("pageUrl", seen.pageUrl()).bind("language", seen.language())
                .bind("userAgent", seen.userAgent()).bind("now", now)
                .mapTo(Long.class).one());
    }

    @Override
    public Optional<Visitor> findByPublicId(String publicId) {
        return db.read(h -> h.createQuery("SELECT * FROM visitor WHERE public_id = :p AND client_id IS NOT NULL")
                .bind("p", publicId).map(MAPPER).findOne());
    }

    @Override
    public Optional<Visitor> findById(long id) {
        return db.read(h -> h.createQuery("SELECT * FROM visitor WHERE id = :id AND client_id IS NOT NULL")
                .bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public void seen(long id, Seen seen) {
        db.tx(h -> h.createUpdate("""
                        UPDATE visitor SET page_url = COALESCE(:pageUrl, page_url), language = COALESCE(:language, language),
                            user_agent = COALESCE(:userAgent, user_agent), seen_at = :now WHERE id = :id""")
                .bind("pageUrl", seen.pageUrl()).bind("language", seen.language()).bind("userAgent", seen.userAgent())
                .bind("now", System.currentTimeMillis()).bind("id", id).execute());
    }

    @Override
    public void setClient(long id, long clientId) {
        db.tx(h -> h.createUpdate("UPDATE visitor SET client_id = :client WHERE id = :id")
                .bind("client", clientId).bind("id", id).execute());
    }
}
