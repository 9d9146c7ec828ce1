package io.chathub.channel;

import io.chathub.db.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The statements on the path of every callback, reply and send (a channel with its credentials, the chat's route, the
 * chat and peer upserts, the outbox head, the external id of a status) run as plain JDBC on statements kept prepared
 * ({@link Database#prepared}), like the message path of the chat store; the rest through JDBI.
 */
public final class JdbiChannelStore implements ChannelStore {
    private static final String CHANNEL_COLUMNS = "id, company_id, organization_id, type, name, avatar, status, external_id, "
            + "created_at, updated_at";
    private static final RowMapper<Channel> CHANNEL = (rs, ctx) -> new Channel(rs.getLong("id"), rs.getLong("company_id"),
            rs.getLong("organization_id"), rs.getString("type"), rs.getString("name"), rs.getString("avatar"),
            rs.getString("status"), rs.getString("external_id"), rs.getLong("created_at"), rs.getLong("updated_at"));
    private static final String PENDING_COLUMNS = "o.id, o.message_id, o.chat_id, o.seq, o.channel_id, o.peer_id, o.attempts, "
            + "o.next_attempt_at, o.lease_until, o.created_at, o.last_error";
    private static final RowMapper<Pending> PENDING = (rs, ctx) -> new Pending(rs.getLong("id"), rs.getLong("message_id"),
            rs.getLong("chat_id"), rs.getLong("seq"), rs.getLong("channel_id"), rs.getString("peer_id"), rs.getInt("attempts"),
            rs.getLong("next_attempt_at"), rs.getLong("lease_until"), rs.getLong("created_at"), rs.getString("last_error"));

    private final Database db;

    public JdbiChannelStore(Database db) {
        this.db = db;
    }

    @Override
    public Channel create(long companyId, long organizationId, String type, String name, String avatar, String externalId,
                          String sealedCredentials) {
        long now = System.currentTimeMillis();
        return db.tx(h -> h.createQuery("""
                        INSERT INTO channel (company_id, organization_id, type, name, avatar, status, external_id, credentials,
                            created_at, updated_at)
                        VALUES (:company, :org, :type, :name, :avatar, :status, :ext, :creds, :now, :now)
                        RETURNING\s""" + CHANNEL_COLUMNS)
                .bind("company", companyId).bind("org", organizationId).bind("type", type).bind("name", name)
                .bind("avatar", avatar).bind("status", Channel.PENDING).bind("ext", externalId)
                .bind("creds", sealedCredentials).bind("now", now)
                .map(CHANNEL).one());
    }

    @Override
    public Optional<Channel> find(long id) {
        return db.read(h -> h.createQuery("SELECT " + CHANNEL_COLUMNS + " FROM channel WHERE id = :id")
                .bind("id", id).map(CHANNEL).findOne());
    }

    @Override
    public Optional<String> credentials(long id) {
        return db.read(h -> h.createQuery("SELECT credentials FROM channel WHERE id = :id")
                .bind("id", id).mapTo(String.class).findOne());
    }

    private static final String FIND_SEALED = "SELECT " + CHANNEL_COLUMNS + ", credentials FROM channel WHERE id = ?";

    @Override
    public Optional<Sealed> findSealed(long id) {
        return db.read(h -> jdbc(h, FIND_SEALED, ps -> {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.<Sealed>empty();
                return Optional.of(new Sealed(CHANNEL.map(rs, null), rs.getString("credentials")));
            }
        }));
    }

    private interface Jdbc<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    /** Runs a statement kept prepared on {@code h}'s connection. */
    private <T> T jdbc(Handle h, String sql, Jdbc<T> work) {
        try {
            return work.run(db.prepared(h, sql));
        } catch (SQLException e) {
            throw new IllegalStateException("channel statement failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Channel> listByOrganization(long organizationId) {
        return db.read(h -> h.createQuery("SELECT " + CHANNEL_COLUMNS + " FROM channel WHERE organization_id = :org ORDER BY id")
                .bind("org", organizationId).map(CHANNEL).list());
    }

    @Override
    public void setStatus(long id, String status) {
        db.tx(h -> h.createUpdate("UPDATE channel SET status = :status, updated_at = :now WHERE id = :id")
                .bind("status", status).bind("now", System.currentTimeMillis()).bind("id", id).execute());
    }

    @Override
    public void update(long id, String name, String avatar, String externalId, String sealedCredentials) {
        db.tx(h -> h.createUpdate("""
                        UPDATE channel SET name = :name, avatar = :avatar, external_id = :ext,
                            credentials = COALESCE(:creds, credentials), updated_at = :now WHERE id = :id""")
                .bind("name", name).bind("avatar", avatar).bind("ext", externalId).bind("creds", sealedCredentials)
                .bind("now", System.currentTimeMillis()).bind("id", id).execute());
    }

    @Override
    public boolean delete(long id) {
        return db.tx(h -> h.createUpdate("DELETE FROM channel WHERE id = :id").bind("id", id).execute()) > 0;
    }

    private static final String LINK_CHAT = """
            INSERT INTO channel_chat (chat_id, channel_id, peer_id) VALUES (?, ?, ?)
            ON CONFLICT (chat_id) DO UPDATE SET channel_id = excluded.channel_id, peer_id = excluded.peer_id""";
    private static final String INBOUND = """
            INSERT INTO channel_peer (channel_id, peer_id, last_inbound_at, unsubscribed) VALUES (?, ?, ?, 0)
            ON CONFLICT (channel_id, peer_id) DO UPDATE SET unsubscribed = 0, last_inbound_at = CASE
                WHEN excluded.last_inbound_at > channel_peer.last_inbound_at THEN excluded.last_inbound_at
                ELSE channel_peer.last_inbound_at END""";

    @Override
    public void linkChat(long chatId, long channelId, String peerId) {
        db.tx(h -> jdbc(h, LINK_CHAT, ps -> {
            ps.setLong(1, chatId);
            ps.setLong(2, channelId);
            ps.setString(3, peerId);
            return ps.executeUpdate();
        }));
    }

    @Override
    public void inbound(long channelId, String peerId, long at) {
        db.tx(h -> jdbc(h, INBOUND, ps -> {
            ps.setLong(1, channelId);
            ps.setString(2, peerId);
            ps.setLong(3, at);
            return ps.executeUpdate();
        }));
    }

    @Override
    public void subscribed(long channelId, String peerId, boolean subscribed) {
        db.tx(h -> h.createUpdate("""
                        INSERT INTO channel_peer (channel_id, peer_id, last_inbound_at, unsubscribed) VALUES (:channel, :peer, 0, :un)
                        ON CONFLICT (channel_id, peer_id) DO UPDATE SET unsubscribed = excluded.unsubscribed""")
                .bind("channel", channelId).bind("peer", peerId).bind("un", subscribed ? 0 : 1).execute());
    }

    private static final String ROUTE = """
            SELECT cc.channel_id, ch.type, cc.peer_id, p.last_inbound_at, p.unsubscribed
            FROM channel_chat cc JOIN channel ch ON ch.id = cc.channel_id
            LEFT JOIN channel_peer p ON p.channel_id = cc.channel_id AND p.peer_id = cc.peer_id
            WHERE cc.chat_id = ?""";
    private static final String ENQUEUE = """
            INSERT INTO channel_outbox (message_id, chat_id, seq, channel_id, peer_id, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    @Override
    public Optional<Route> routeOf(long chatId) {
        return db.read(h -> jdbc(h, ROUTE, ps -> {
            ps.setLong(1, chatId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.<Route>empty();
                return Optional.of(new Route(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5) != 0));
            }
        }));
    }

    @Override
    public void enqueue(long messageId, long chatId, long seq, long channelId, String peerId, long now) {
        db.tx(h -> jdbc(h, ENQUEUE, ps -> {
            ps.setLong(1, messageId);
            ps.setLong(2, chatId);
            ps.setLong(3, seq);
            ps.setLong(4, channelId);
            ps.setString(5, peerId);
            ps.setLong(6, now);
            ps.setLong(7, now);
            return ps.executeUpdate();
        }));
    }

    @Override
    public List<Pending> due(long now, int limit) {
        return db.read(h -> h.createQuery("SELECT " + PENDING_COLUMNS + """
                         FROM channel_outbox o
                        WHERE o.next_attempt_at <= :now AND o.lease_until <= :now
                          AND o.seq = (SELECT MIN(h.seq) FROM channel_outbox h WHERE h.chat_id = o.chat_id)
                        ORDER BY o.next_attempt_at, o.id LIMIT :limit""")
                .bind("now", now).bind("limit", limit).map(PENDING).list());
    }

    private static final String HEAD = "SELECT " + PENDING_COLUMNS + " FROM channel_outbox o WHERE o.chat_id = ? ORDER BY o.seq LIMIT 1";

    @Override
    public Optional<Pending> head(long chatId) {
        return db.read(h -> jdbc(h, HEAD, ps -> {
            ps.setLong(1, chatId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(PENDING.map(rs, null)) : Optional.<Pending>empty();
            }
        }));
    }

    @Override
    public Optional<Long> nextDue() {
        return db.read(h -> h.createQuery("SELECT MIN(next_attempt_at) FROM channel_outbox").mapTo(Long.class).findOne());
    }

    @Override
    public boolean lease(long id, String owner, long now, long until) {
        return db.tx(h -> h.createUpdate("""
                        UPDATE channel_outbox SET lease_until = :until, lease_owner = :owner
                        WHERE id = :id AND lease_until <= :now""")
                .bind("until", until).bind("owner", owner).bind("id", id).bind("now", now).execute()) > 0;
    }

    @Override
    public java.util.Set<Long> leaseAll(java.util.Collection<Long> ids, String owner, long now, long until) {
        if (ids.isEmpty()) return java.util.Set.of();
        return db.tx(h -> new java.util.HashSet<>(h.createQuery("""
                        UPDATE channel_outbox SET lease_until = :until, lease_owner = :owner
                        WHERE id IN (<ids>) AND lease_until <= :now RETURNING id""")
                .bindList("ids", List.copyOf(ids)).bind("until", until).bind("owner", owner).bind("now", now)
                .mapTo(Long.class).list()));
    }

    private static final String LEASE_HEAD = "UPDATE channel_outbox SET lease_until = ?, lease_owner = ?"
            + " WHERE id = (SELECT h.id FROM channel_outbox h WHERE h.chat_id = ? ORDER BY h.seq LIMIT 1)"
            + " AND next_attempt_at <= ? AND lease_until <= ? RETURNING " + PENDING_COLUMNS.replace("o.", "");

    @Override
    public Optional<Pending> leaseHead(long chatId, String owner, long now, long until) {
        return db.tx(h -> jdbc(h, LEASE_HEAD, ps -> {
            ps.setLong(1, until);
            ps.setString(2, owner);
            ps.setLong(3, chatId);
            ps.setLong(4, now);
            ps.setLong(5, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(PENDING.map(rs, null)) : Optional.<Pending>empty();
            }
        }));
    }

    @Override
    public boolean renewLease(long id, String owner, long until) {
        return db.tx(h -> h.createUpdate("UPDATE channel_outbox SET lease_until = :until WHERE id = :id AND lease_owner = :owner")
                .bind("until", until).bind("id", id).bind("owner", owner).execute()) > 0;
    }

    @Override
    public int releaseLeases(String owner) {
        return db.tx(h -> h.createUpdate("UPDATE channel_outbox SET lease_until = 0, lease_owner = NULL WHERE lease_owner = :owner")
                .bind("owner", owner).execute());
    }

    @Override
    public void retry(long id, long at, String error) {
        db.tx(h -> h.createUpdate("""
                        UPDATE channel_outbox SET attempts = attempts + 1, next_attempt_at = :at, lease_until = 0,
                            lease_owner = NULL, last_error = :error WHERE id = :id""")
                .bind("at", at).bind("error", error == null ? null : error.length() > 500 ? error.substring(0, 500) : error)
                .bind("id", id).execute());
    }

    @Override
    public boolean remove(long id) {
        return db.tx(h -> jdbc(h, "DELETE FROM channel_outbox WHERE id = ?", ps -> {
            ps.setLong(1, id);
            return ps.executeUpdate();
        })) > 0;
    }

    @Override
    public List<Long> waitingMessages(long channelId) {
        return db.read(h -> h.createQuery("SELECT message_id FROM channel_outbox WHERE channel_id = :channel ORDER BY id")
                .bind("channel", channelId).mapTo(Long.class).list());
    }

    private static final String MAP_EXTERNAL_ID = """
            INSERT INTO channel_message (channel_id, external_id, message_id) VALUES (?, ?, ?)
            ON CONFLICT (channel_id, external_id) DO NOTHING""";

    @Override
    public void mapExternalId(long channelId, String externalId, long messageId) {
        db.tx(h -> jdbc(h, MAP_EXTERNAL_ID, ps -> {
            ps.setLong(1, channelId);
            ps.setString(2, externalId);
            ps.setLong(3, messageId);
            return ps.executeUpdate();
        }));
    }

    private static final String BY_EXTERNAL_ID = "SELECT message_id FROM channel_message WHERE channel_id = ? AND external_id = ?";

    @Override
    public Optional<Long> messageByExternalId(long channelId, String externalId) {
        return db.read(h -> jdbc(h, BY_EXTERNAL_ID, ps -> {
            ps.setLong(1, channelId);
            ps.setString(2, externalId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
            }
        }));
    }
}
