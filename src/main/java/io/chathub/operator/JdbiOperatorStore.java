package io.chathub.operator;

import io.chathub.db.Database;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

import java.util.List;
import java.util.Optional;

public final class JdbiOperatorStore implements OperatorStore {
    private static final String SELECT = """
            SELECT o.*, g.name AS organization_name, g.company_id
            FROM operator o JOIN organization g ON g.id = o.organization_id
            """;
    private static final RowMapper<Operator> MAPPER = (rs, ctx) -> new Operator(
            rs.getLong("id"), rs.getString("name"), rs.getInt("status"),
            new Operator.OrganizationRef(rs.getLong("organization_id"), rs.getString("organization_name")),
            rs.getString("external_id"), rs.getString("email"), rs.getString("photo"), rs.getInt("max_chats"),
            rs.getLong("company_id"));

    private final Database db;

    public JdbiOperatorStore(Database db) {
        this.db = db;
    }

    @Override
    public long create(long organizationId, Profile p) {
        long now = System.currentTimeMillis();
        return db.tx(h -> bindProfile(h.createQuery("""
                        INSERT INTO operator (organization_id, name, status, external_id, email, photo, max_chats, created_at, updated_at)
                        VALUES (:organizationId, :name, 0, :externalId, :email, :photo, :maxChats, :now, :now)
                        RETURNING id"""), p)
                .bind("organizationId", organizationId).bind("now", now)
                .mapTo(Long.class).one());
    }

    @Override
    public void update(long id, Profile p) {
        db.tx(h -> bindProfile(h.createUpdate("""
                        UPDATE operator SET name = :name, external_id = :externalId, email = :email, photo = :photo,
                            max_chats = :maxChats, updated_at = :now
                        WHERE id = :id"""), p)
                .bind("id", id).bind("now", System.currentTimeMillis()).execute());
    }

    private static <S extends SqlStatement<S>> S bindProfile(S s, Profile p) {
        return s.bind("name", p.name()).bind("externalId", p.externalId()).bind("email", p.email())
                .bind("photo", p.photo()).bind("maxChats", p.maxChats());
    }

    @Override
    public void setStatus(long id, OperatorStatus status) {
        db.tx(h -> h.createUpdate("UPDATE operator SET status = :status, updated_at = :now WHERE id = :id")
                .bind("status", status.code()).bind("now", System.currentTimeMillis()).bind("id", id).execute());
    }

    @Override
    public Optional<Operator> findById(long id) {
        return db.read(h -> h.createQuery(SELECT + "WHERE o.id = :id").bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public Optional<Operator> findByExternalId(long organizationId, String externalId) {
        return db.read(h -> h.createQuery(SELECT + "WHERE o.organization_id = :org AND o.external_id = :ext")
                .bind("org", organizationId).bind("ext", externalId).map(MAPPER).findOne());
    }

    @Override
    public Optional<Operator> findByName(long organizationId, String name, boolean withoutExternalId) {
        return db.read(h -> h.createQuery(SELECT + "WHERE o.organization_id = :org AND o.name = :name"
                        + (withoutExternalId ? " AND o.external_id IS NULL" : "") + " ORDER BY o.id LIMIT 1")
                .bind("org", organizationId).bind("name", name).map(MAPPER).findOne());
    }

    @Override
    public List<Operator> listByOrganization(long organizationId) {
        return db.read(h -> h.createQuery(SELECT + "WHERE o.organization_id = :org ORDER BY o.id")
                .bind("org", organizationId).map(MAPPER).list());
    }

    @Override
    public List<Operator> listByCompany(long companyId) {
        return db.read(h -> h.createQuery(SELECT + "WHERE g.company_id = :company ORDER BY o.organization_id, o.id")
                .bind("company", companyId).map(MAPPER).list());
    }
}
