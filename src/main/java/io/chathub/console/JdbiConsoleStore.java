package io.chathub.console;

import io.chathub.db.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public final class JdbiConsoleStore implements ConsoleStore {
    private static final RowMapper<Admin> ADMIN = (rs, ctx) -> new Admin(rs.getLong("id"), rs.getString("login"),
            rs.getString("role"), Instant.ofEpochMilli(rs.getLong("created_at")).toString(),
            Instant.ofEpochMilli(rs.getLong("updated_at")).toString(), rs.getLong("company_id"), rs.getString("password_hash"));

    private final Database db;

    public JdbiConsoleStore(Database db) {
        this.db = db;
    }

    private static String lower(String login) {
        return login.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public Optional<Account> findAccount(String login) {
        String l = lower(login);
        return db.read(h -> h.createQuery("""
                        SELECT 'owner' AS kind, id AS company_id, id AS subject_id, login, password_hash FROM company WHERE login = :l
                        UNION ALL
                        SELECT 'admin', company_id, id, login, password_hash FROM company_admin WHERE login = :l
                        UNION ALL
                        SELECT 'operator', g.company_id, ol.operator_id, ol.email, ol.password_hash
                        FROM operator_login ol JOIN operator o ON o.id = ol.operator_id
                        JOIN organization g ON g.id = o.organization_id WHERE ol.email = :l""")
                .bind("l", l)
                .map((rs, ctx) -> new Account(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5)))
                .findFirst());
    }

    @Override
    public boolean loginTaken(String login) {
        return findAccount(login).isPresent();
    }

    @Override
    public long createAdmin(long companyId, String login, String passwordHash, String role) {
        long now = System.currentTimeMillis();
        return db.tx(h -> h.createQuery("""
                        INSERT INTO company_admin (company_id, login, password_hash, role, created_at, updated_at)
                        VALUES (:company, :login, :hash, :role, :now, :now) RETURNING id""")
                .bind("company", companyId).bind("login", lower(login)).bind("hash", passwordHash).bind("role", role)
                .bind("now", now).mapTo(Long.class).one());
    }

    @Override
    public Optional<Admin> findAdmin(long id) {
        return db.read(h -> h.createQuery("SELECT * FROM company_admin WHERE id = :id").bind("id", id).map(ADMIN).findOne());
    }

    @Override
    public List<Admin> listAdmins(long companyId) {
        return db.read(h -> h.createQuery("SELECT * FROM company_admin WHERE company_id = :company ORDER BY id")
                .bind("company", companyId).map(ADMIN).list());
    }

    @Override
    public void updateAdmin(long id, String role, String passwordHash) {
        db.tx(h -> h.createUpdate("""
                        UPDATE company_admin SET role = COALESCE(:role, role), password_hash = COALESCE(:hash, password_hash),
                            updated_at = :now WHERE id = :id""")
                .bind("role", role).bind("hash", passwordHash).bind("now", System.currentTimeMillis()).bind("id", id)
                .execute());
    }

    @Override
    public void deleteAdmin(long id) {
        db.tx(h -> h.createUpdate("DELETE FROM company_admin WHERE id = :id").bind("id", id).execute());
    }

    @Override
    public void setOperatorLogin(long operatorId, String email, String passwordHash) {
        db.tx(h -> {
            h.createUpdate("DELETE FROM operator_login WHERE operator_id = :op").bind("op", operatorId).execute();
            return h.createUpdate("""
                            INSERT INTO operator_login (operator_id, email, password_hash, created_at)
                            VALUES (:op, :email, :hash, :now)""")
                    .bind("op", operatorId).bind("email", lower(email)).bind("hash", passwordHash)
                    .bind("now", System.currentTimeMillis()).execute();
        });
    }

    @Override
    public Optional<String> operatorLoginOf(long operatorId) {
        return db.read(h -> h.createQuery("SELECT email FROM operator_login WHERE operator_id = :op").bind("op", operatorId)
                .mapTo(String.class).findOne());
    }

    @Override
    public boolean deleteOperatorLogin(long operatorId) {
        return db.tx(h -> h.createUpdate("DELETE FROM operator_login WHERE operator_id = :op").bind("op", operatorId).execute()) > 0;
    }

    @Override
    public void setPassword(String kind, long subjectId, String passwordHash) {
        String sql = switch (kind) {
            case "owner" -> "UPDATE company SET password_hash = :hash WHERE id = :id";
            case "admin" -> "UPDATE company_admin SET password_hash = :hash WHERE id = :id";
            case "operator" -> "UPDATE operator_login SET password_hash = :hash WHERE operator_id = :id";
            default -> throw new IllegalArgumentException(kind);
        };
        db.tx(h -> h.createUpdate(sql).bind("hash", passwordHash).bind("id", subjectId).execute());
    }

    @Override
    public void createSession(String idHash, String kind, long companyId, long subjectId, String csrfToken, String ip,
                              long now, long expiresAt) {
        db.tx(h -> h.createUpdate("""
                        INSERT INTO console_session (id_hash, company_id, kind, subject_id, csrf_token, ip, created_at, seen_at,
                            expires_at)
                        VALUES (:id, :company, :kind, :subject, :csrf, :ip, :now, :now, :expires)""")
                .bind("id", idHash).bind("company", companyId).bind("kind", kind).bind("subject", subjectId)
                .bind("csrf", csrfToken).bind("ip", ip).bind("now", now).bind("expires", expiresAt).execute());
    }

    @Override
    public Optional<StoredSession> findSession(String idHash, long now) {
        return db.read(h -> h.createQuery("""
                        SELECT s.*, c.login AS company_login, c.name AS company_name, a.login AS admin_login, a.role AS admin_role,
                            ol.email AS operator_email, o.status AS operator_status, o.organization_id AS operator_org
                        FROM console_session s
                        JOIN company c ON c.id = s.company_id
                        LEFT JOIN company_admin a ON s.kind = 'admin' AND a.id = s.subject_id AND a.company_id = s.company_id
                        LEFT JOIN operator_login ol ON s.kind = 'operator' AND ol.operator_id = s.subject_id
                        LEFT JOIN operator o ON s.kind = 'operator' AND o.id = s.subject_id
                        WHERE s.id_hash = :id AND s.expires_at > :now""")
                .bind("id", idHash).bind("now", now)
                .map((rs, ctx) -> new StoredSession(rs.getString("id_hash"), rs.getString("kind"), rs.getLong("company_id"),
                        rs.getLong("subject_id"), rs.getString("csrf_token"), rs.getLong("seen_at"), rs.getLong("expires_at"),
                        rs.getString("company_login"), rs.getString("company_name"), rs.getString("admin_login"),
                        rs.getString("admin_role"), rs.getString("operator_email"),
                        rs.getObject("operator_status") == null ? null : rs.getInt("operator_status"),
                        rs.getObject("operator_org") == null ? null : rs.getLong("operator_org")))
                .findOne());
    }

    @Override
    public void renewSession(String idHash, long now, long expiresAt) {
        db.tx(h -> h.createUpdate("UPDATE console_session SET seen_at = :now, expires_at = :expires WHERE id_hash = :id")
                .bind("now", now).bind("expires", expiresAt).bind("id", idHash).execute());
    }

    @Override
    public void deleteSession(String idHash) {
        db.tx(h -> h.createUpdate("DELETE FROM console_session WHERE id_hash = :id").bind("id", idHash).execute());
    }

    @Override
    public int deleteSessionsOf(String kind, long subjectId, String exceptIdHash) {
        return db.tx(h -> h.createUpdate("DELETE FROM console_session WHERE kind = :kind AND subject_id = :subject"
                        + (exceptIdHash == null ? "" : " AND id_hash <> :except"))
                .bind("kind", kind).bind("subject", subjectId).bind("except", exceptIdHash).execute());
    }

    @Override
    public int deleteExpiredSessions(long now) {
        return db.tx(h -> h.createUpdate("DELETE FROM console_session WHERE expires_at <= :now").bind("now", now).execute());
    }
}
