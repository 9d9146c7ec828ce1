package io.chathub.webhook;

import io.chathub.db.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

public final class JdbiWebhookStore implements WebhookStore {
    private static final RowMapper<Row> ROW = (rs, ctx) -> new Row(rs.getLong("id"), rs.getLong("company_id"),
            rs.getString("url"), events(rs.getString("events")), rs.getString("secret"), rs.getString("secret_hint"),
            rs.getInt("enabled") != 0, rs.getInt("consecutive_failures"), nullableLong(rs, "disabled_at"),
            rs.getString("disabled_reason"), rs.getLong("created_at"), rs.getLong("updated_at"));
    private static final RowMapper<Logged> LOGGED = (rs, ctx) -> new Logged(rs.getString("public_id"), rs.getString("event"),
            rs.getInt("state"), rs.getInt("attempts"), rs.getLong("created_at"), nullableLong(rs, "last_attempt_at"),
            rs.getLong("next_attempt_at"), nullableLong(rs, "delivered_at"),
            rs.getObject("last_status_code") == null ? null : rs.getInt("last_status_code"), rs.getString("last_error"));

    private final Database db;

    public JdbiWebhookStore(Database db) {
        this.db = db;
    }

    private static List<String> events(String stored) {
        return List.copyOf(new LinkedHashSet<>(Arrays.asList(stored.split(","))));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** A last error fits its column. */
    private static String clip(String error) {
        return error == null || error.length() <= 500 ? error : error.substring(0, 499) + "…";
    }

    @Override
    public long create(long companyId, Fields f, long now) {
        return db.tx(h -> h.createQuery("""
                        INSERT INTO webhook (company_id, url, events, secret, secret_hint, enabled, disabled_at, created_at, updated_at)
                        VALUES (:company, :url, :events, :secret, :hint, :enabled, :disabledAt, :now, :now) RETURNING id""")
                .bind("company", companyId).bind("url", f.url()).bind("events", String.join(",", f.events()))
                .bind("secret", f.secret()).bind("hint", f.secretHint()).bind("enabled", f.enabled() ? 1 : 0)
                .bind("disabledAt", f.enabled() ? null : now).bind("now", now)
                .mapTo(Long.class).one());
    }

    @Override
    public Optional<Row> find(long id) {
        return db.read(h -> h.createQuery("SELECT * FROM webhook WHERE id = :id").bind("id", id).map(ROW).findOne());
    }

    @Override
    public List<Row> listByCompany(long companyId) {
        return db.read(h -> h.createQuery("SELECT * FROM webhook WHERE company_id = :c ORDER BY id")
                .bind("c", companyId).map(ROW).list());
    }

    @Override
    public int countByCompany(long companyId) {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM webhook WHERE company_id = :c")
                .bind("c", companyId).mapTo(Integer.class).one());
    }

    @Override
    public void lockCompany(long companyId) {
        db.tx(h -> h.createUpdate("UPDATE company SET created_at = created_at WHERE id = :id").bind("id", companyId).execute());
    }

    @Override
    public void update(long id, Fields f, long now) {
        db.tx(h -> h.createUpdate("""
                        UPDATE webhook SET url = :url, events = :events, secret = :secret, secret_hint = :hint,
                            consecutive_failures = CASE WHEN :enabled = 1 AND enabled = 0 THEN 0 ELSE consecutive_failures END,
                            disabled_at = CASE WHEN :enabled = 1 THEN NULL WHEN enabled = 1 THEN :now ELSE disabled_at END,
                            disabled_reason = CASE WHEN :enabled = 1 OR enabled = 1 THEN NULL ELSE disabled_reason END,
                            enabled = :enabled, updated_at = :now
                        WHERE id = :id""")
                .bind("url", f.url()).bind("events", String.join(",", f.events())).bind("secret", f.secret())
                .bind("hint", f.secretHint()).bind("enabled", f.enabled() ? 1 : 0).bind("now", now).bind("id", id)
                .execute());
    }

    @Override
    public void delete(long id) {
        db.tx(h -> h.createUpdate("DELETE FROM webhook WHERE id = :id").bind("id", id).execute());
    }

    @Override
    public List<Subscription> subscriptions(long companyId) {
        return db.read(h -> h.createQuery("SELECT id, events FROM webhook WHERE company_id = :c AND enabled = 1 ORDER BY id")
                .bind("c", companyId)
                .map((rs, ctx) -> new Subscription(rs.getLong("id"), java.util.Set.copyOf(events(rs.getString("events")))))
                .list());
    }

    private static final String ENQUEUE = """
            INSERT INTO webhook_delivery (webhook_id, public_id, event, body, state, attempts, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, 0, 0, ?, ?)""";

    /** On the message path (inside the message writer's transaction): plain JDBC on a statement kept prepared. */
    @Override
    public void enqueue(long webhookId, String publicId, String event, String body, long now) {
        db.tx(h -> {
            try {
                PreparedStatement ps = db.prepared(h, ENQUEUE);
                ps.setLong(1, webhookId);
                ps.setString(2, publicId);
                ps.setString(3, event);
                ps.setString(4, body);
                ps.setLong(5, now);
                ps.setLong(6, now);
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot queue a delivery for webhook " + webhookId, e);
            }
        });
    }

    @Override
    public List<Pending> pending() {
        // One index seek per webhook (webhook_delivery_pending), however long a backlog any of them has.
        return db.read(h -> h.createQuery("""
                        SELECT id, next FROM (
                            SELECT w.id, (SELECT MIN(d.next_attempt_at) FROM webhook_delivery d
                                          WHERE d.webhook_id = w.id AND d.state = 0) AS next
                            FROM webhook w) p
                        WHERE next IS NOT NULL ORDER BY next""")
                .map((rs, ctx) -> new Pending(rs.getLong("id"), rs.getLong("next")))
                .list());
    }

    @Override
    public List<Due> due(long webhookId, long now, int limit) {
        return db.read(h -> h.createQuery("""
                        SELECT id, webhook_id, next_attempt_at FROM webhook_delivery
                        WHERE webhook_id = :webhook AND state = 0 AND next_attempt_at <= :now
                        ORDER BY next_attempt_at, id LIMIT :limit""")
                .bind("webhook", webhookId).bind("now", now).bind("limit", limit)
                .map((rs, ctx) -> new Due(rs.getLong("id"), rs.getLong("webhook_id"), rs.getLong("next_attempt_at")))
                .list());
    }

    @Override
    public boolean claim(long id, long seenNextAttemptAt, long leaseUntil) {
        return db.tx(h -> h.createUpdate("""
                        UPDATE webhook_delivery SET next_attempt_at = :lease
                        WHERE id = :id AND state = 0 AND next_attempt_at = :seen""")
                .bind("lease", leaseUntil).bind("id", id).bind("seen", seenNextAttemptAt).execute()) == 1;
    }

    @Override
    public void unclaim(long id, long leaseUntil, long now) {
        claim(id, leaseUntil, now);
    }

    @Override
    public List<Attempt> attempts(List<Long> ids) {
        if (ids.isEmpty()) return List.of();
        return db.read(h -> h.createQuery("""
                        SELECT d.id AS d_id, d.public_id, d.event, d.body, d.attempts, d.created_at AS d_created_at,
                            d.next_attempt_at AS d_next, w.*
                        FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
                        WHERE d.id IN (<ids>) AND d.state = 0 ORDER BY d.next_attempt_at, d.id""")
                .bindList("ids", ids)
                .map((rs, ctx) -> new Attempt(rs.getLong("d_id"), rs.getString("public_id"), rs.getString("event"),
                        rs.getString("body"), rs.getInt("attempts"), rs.getLong("d_created_at"), rs.getLong("d_next"),
                        ROW.map(rs, ctx)))
                .list());
    }

    @Override
    public boolean delivered(long id, int statusCode, long now) {
        return db.tx(h -> h.createUpdate("""
                        UPDATE webhook_delivery SET state = 1, attempts = attempts + 1, last_attempt_at = :now,
                            last_status_code = :code, last_error = NULL, delivered_at = :now
                        WHERE id = :id AND state = 0""")
                .bind("now", now).bind("code", statusCode).bind("id", id).execute()) == 1;
    }

    @Override
    public void retry(long id, Integer statusCode, String error, long now, long nextAttemptAt) {
        attempted(id, 0, statusCode, error, now, nextAttemptAt);
    }

    @Override
    public boolean failed(long id, Integer statusCode, String error, long now) {
        return attempted(id, 2, statusCode, error, now, now);
    }

    private boolean attempted(long id, int state, Integer statusCode, String error, long now, long next) {
        return db.tx(h -> h.createUpdate("""
                        UPDATE webhook_delivery SET state = :state, attempts = attempts + 1, last_attempt_at = :now,
                            last_status_code = :code, last_error = :error, next_attempt_at = :next
                        WHERE id = :id AND state = 0""")
                .bind("state", state).bind("now", now).bind("code", statusCode).bind("error", clip(error))
                .bind("next", next).bind("id", id).execute()) == 1;
    }

    @Override
    public int cancelPending(long webhookId, String reason, long now) {
        return db.tx(h -> h.createUpdate("""
                        UPDATE webhook_delivery SET state = 2, last_error = :reason, next_attempt_at = :now
                        WHERE webhook_id = :webhook AND state = 0""")
                .bind("reason", clip(reason)).bind("now", now).bind("webhook", webhookId).execute());
    }

    @Override
    public int countFailure(long webhookId) {
        return db.tx(h -> h.createQuery("""
                        UPDATE webhook SET consecutive_failures = consecutive_failures + 1 WHERE id = :id
                        RETURNING consecutive_failures""")
                .bind("id", webhookId).mapTo(Integer.class).findOne().orElse(0));
    }

    @Override
    public void resetFailures(long webhookId) {
        db.tx(h -> h.createUpdate("UPDATE webhook SET consecutive_failures = 0 WHERE id = :id AND consecutive_failures <> 0")
                .bind("id", webhookId).execute());
    }

    @Override
    public boolean disable(long webhookId, String reason, long now) {
        return db.tx(h -> h.createUpdate("""
                        UPDATE webhook SET enabled = 0, disabled_at = :now, disabled_reason = :reason, updated_at = :now
                        WHERE id = :id AND enabled = 1""")
                .bind("now", now).bind("reason", clip(reason)).bind("id", webhookId).execute()) == 1;
    }

    @Override
    public List<Logged> deliveries(long webhookId, Integer state, int limit) {
        return db.read(h -> {
            var q = h.createQuery("SELECT * FROM webhook_delivery WHERE webhook_id = :webhook"
                    + (state == null ? "" : " AND state = :state") + " ORDER BY id DESC LIMIT :limit");
            if (state != null) q.bind("state", state.intValue());
            return q.bind("webhook", webhookId).bind("limit", limit).map(LOGGED).list();
        });
    }

    @Override
    public int deleteFinishedBefore(long cutoff, int limit) {
        return db.tx(h -> h.createUpdate("""
                        DELETE FROM webhook_delivery WHERE id IN (
                            SELECT id FROM webhook_delivery WHERE state <> 0 AND created_at < :cutoff LIMIT :limit)""")
                .bind("cutoff", cutoff).bind("limit", limit).execute());
    }
}
