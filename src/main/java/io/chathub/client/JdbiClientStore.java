package io.chathub.client;

import io.chathub.db.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class JdbiClientStore implements ClientStore {
    private static final String SELECT = """
            SELECT cl.*, g.company_id, (SELECT COUNT(*) FROM chat c WHERE c.client_id = cl.id) AS chats
            FROM client cl JOIN organization g ON g.id = cl.organization_id
            """;
    private static final RowMapper<ClientRecord> MAPPER = (rs, ctx) -> new ClientRecord(rs.getLong("id"),
            rs.getLong("organization_id"), rs.getInt("source"), rs.getString("external_id"), rs.getString("name"),
            rs.getString("phone"), rs.getString("email"), Instant.ofEpochMilli(rs.getLong("created_at")).toString(),
            Instant.ofEpochMilli(rs.getLong("updated_at")).toString(), rs.getLong("chats"), rs.getObject("erased_at") != null,
            rs.getLong("company_id"));
    /** The client's chats: what its erasure empties. */
    private static final String CHATS = "SELECT id FROM chat WHERE client_id = :client";

    private final Database db;

    public JdbiClientStore(Database db) {
        this.db = db;
    }

    @Override
    public Page list(Query q) {
        StringBuilder where = new StringBuilder("WHERE g.company_id = :company");
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("company", q.companyId());
        if (q.organizationId() != null) {
            where.append(" AND cl.organization_id = :org");
            binds.put("org", q.organizationId());
        }
        if (q.search() != null) {
            where.append(" AND (LOWER(cl.name) LIKE :s ESCAPE '!' OR cl.phone LIKE :s ESCAPE '!' OR LOWER(cl.email) LIKE :s ESCAPE '!'"
                    + " OR LOWER(cl.external_id) LIKE :s ESCAPE '!')");
            binds.put("s", "%" + q.search().toLowerCase().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        return db.read(h -> {
            var count = h.createQuery("SELECT COUNT(*) FROM client cl JOIN organization g ON g.id = cl.organization_id " + where);
            binds.forEach(count::bind);
            long total = count.mapTo(Long.class).one();
            var page = h.createQuery(SELECT + where + " ORDER BY cl.id DESC LIMIT :limit OFFSET :offset");
            binds.forEach(page::bind);
            List<ClientRecord> items = total == 0 ? List.of() : page.bind("limit", q.perPage())
                    .bind("offset", (long) (q.page() - 1) * q.perPage()).map(MAPPER).list();
            return new Page(total, items);
        });
    }

    @Override
    public Optional<ClientRecord> find(long id) {
        return db.read(h -> h.createQuery(SELECT + "WHERE cl.id = :id").bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public List<Long> chatIds(long clientId) {
        return db.read(h -> h.createQuery(CHATS + " ORDER BY id").bind("client", clientId).mapTo(Long.class).list());
    }

    @Override
    public List<String> erase(long clientId, long now) {
        return db.tx(h -> {
            List<String> media = h.createQuery("SELECT DISTINCT media_uri FROM message WHERE media_uri IS NOT NULL AND chat_id IN ("
                    + CHATS + ")").bind("client", clientId).mapTo(String.class).list();
            h.createUpdate("DELETE FROM message WHERE chat_id IN (" + CHATS + ")").bind("client", clientId).execute();
            h.createUpdate("""
                            DELETE FROM channel_peer WHERE EXISTS (SELECT 1 FROM channel_chat cc JOIN chat c ON c.id = cc.chat_id
                                WHERE c.client_id = :client AND cc.channel_id = channel_peer.channel_id AND cc.peer_id = channel_peer.peer_id)""")
                    .bind("client", clientId).execute();
            h.createUpdate("DELETE FROM channel_chat WHERE chat_id IN (" + CHATS + ")").bind("client", clientId).execute();
            h.createUpdate("UPDATE chat_rating SET comment = NULL WHERE chat_id IN (" + CHATS + ")").bind("client", clientId).execute();
            h.createUpdate("""
                            UPDATE chat SET theme = NULL, page_url = NULL, language = NULL, last_message_id = NULL, count_unread = 0
                            WHERE client_id = :client""").bind("client", clientId).execute();
            h.createUpdate("UPDATE visitor SET client_id = NULL, page_url = NULL, language = NULL, user_agent = NULL WHERE client_id = :client")
                    .bind("client", clientId).execute();
            h.createUpdate("""
                            UPDATE client SET external_id = NULL, name = NULL, phone = NULL, email = NULL, updated_at = :now,
                                erased_at = COALESCE(erased_at, :now) WHERE id = :client""")
                    .bind("client", clientId).bind("now", now).execute();
            return media;
        });
    }

    @Override
    public boolean mediaInUse(String uri) {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM message WHERE media_uri = :uri").bind("uri", uri)
                .mapTo(Integer.class).one()) > 0;
    }
}
