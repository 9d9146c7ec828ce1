package io.chathub.auth;

import io.chathub.db.Database;

import java.time.Instant;
import java.util.Optional;

public final class JdbiTokenStore implements TokenStore {
    private static final String STATE_COLUMNS =
            "o.id AS operator_id, o.organization_id, g.company_id, o.status ";

    private final Database db;

    public JdbiTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public void recordOperatorToken(String jti, long operatorId, Instant expiresAt) {
        db.tx(h -> h.createUpdate("""
                        INSERT INTO operator_token (jti, operator_id, expires_at, created_at)
                        VALUES (:jti, :operatorId, :expiresAt, :now)""")
                .bind("jti", jti).bind("operatorId", operatorId)
                .bind("expiresAt", expiresAt.toEpochMilli()).bind("now", System.currentTimeMillis())
                .execute());
    }

    @Override
    public Optional<OperatorTokenState> findOperatorToken(String jti) {
        return db.read(h -> h.createQuery("SELECT " + STATE_COLUMNS + """
                        , t.revoked_at
                        FROM operator_token t
                        JOIN operator o ON o.id = t.operator_id
                        JOIN organization g ON g.id = o.organization_id
                        WHERE t.jti = :jti""")
                .bind("jti", jti)
                .map((rs, ctx) -> new OperatorTokenState(rs.getLong("operator_id"), rs.getLong("organization_id"),
                        rs.getLong("company_id"), rs.getInt("status"), rs.getObject("revoked_at") != null))
                .findOne());
    }

    @Override
    public Optional<VisitorState> findVisitor(long visitorId) {
        return db.read(h -> h.createQuery("""
                        SELECT v.id, v.client_id, v.organization_id, g.company_id, g.widget_guid
                        FROM visitor v JOIN organization g ON g.id = v.organization_id
                        WHERE v.id = :id AND v.client_id IS NOT NULL""")
                .bind("id", visitorId)
                .map((rs, ctx) -> new VisitorState(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5)))
                .findOne());
    }

    @Override
    public boolean revoke(String jti, Instant at) {
        return db.tx(h -> h.createUpdate(
                        "UPDATE operator_token SET revoked_at = :at WHERE jti = :jti AND revoked_at IS NULL")
                .bind("at", at.toEpochMilli()).bind("jti", jti).execute()) > 0
                || findOperatorToken(jti).isPresent();
    }

    @Override
    public int revokeAllOf(long operatorId, Instant at) {
        return db.tx(h -> h.createUpdate("""
                        UPDATE operator_token SET revoked_at = :at
                        WHERE operator_id = :operatorId AND revoked_at IS NULL AND expires_at > :at""")
                .bind("at", at.toEpochMilli()).bind("operatorId", operatorId).execute());
    }

    @Override
    public int deleteExpired(Instant before) {
        return db.tx(h -> h.createUpdate("DELETE FROM operator_token WHERE expires_at < :before")
                .bind("before", before.toEpochMilli()).execute());
    }

    @Override
    public boolean companyExists(long companyId) {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM company WHERE id = :id")
                .bind("id", companyId).mapTo(Integer.class).one()) > 0;
    }

    @Override
    public Optional<OperatorTokenState> firstActiveOperatorOf(String companyLogin) {
        return db.read(h -> h.createQuery("SELECT " + STATE_COLUMNS + """
                        FROM operator o
                        JOIN organization g ON g.id = o.organization_id
                        JOIN company c ON c.id = g.company_id
                        WHERE c.login = :login AND o.status = 0
                        ORDER BY g.id, o.id LIMIT 1""")
                .bind("login", companyLogin)
                .map((rs, ctx) -> new OperatorTokenState(rs.getLong("operator_id"), rs.getLong("organization_id"),
                        rs.getLong("company_id"), rs.getInt("status"), false))
                .findOne());
    }
}
