package io.chathub.chat;

import io.chathub.db.Database;
import io.chathub.web.ApiException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class JdbiChatStore implements ChatStore {
    private static final String MESSAGE_COLUMNS = """
            m.id AS m_id, m.chat_id AS m_chat_id, m.seq AS m_seq, m.author AS m_author, m.text AS m_text,
            m.media_uri AS m_media_uri, m.media_name AS m_media_name, m.media_format AS m_media_format,
            m.media_type AS m_media_type, m.media_size AS m_media_size, m.media_width AS m_media_width,
            m.media_height AS m_media_height, m.status AS m_status, m.operator_id AS m_operator_id,
            mo.name AS m_operator_name, m.created_at AS m_created_at, m.status_reason AS m_status_reason, m.is_note AS m_is_note""";
    private static final String SELECT_MESSAGE = "SELECT " + MESSAGE_COLUMNS + ", mcl.phone AS m_phone"
            + " FROM message m LEFT JOIN operator mo ON mo.id = m.operator_id"
            + " JOIN chat mc ON mc.id = m.chat_id JOIN client mcl ON mcl.id = mc.client_id ";
    private static final String CHAT_FROM = """
            FROM chat c
            JOIN client cl ON cl.id = c.client_id
            LEFT JOIN operator op ON op.id = c.operator_id
            LEFT JOIN message m ON m.chat_id = c.id AND m.seq = c.last_public_seq
            LEFT JOIN operator mo ON mo.id = m.operator_id
            LEFT JOIN chat_rating r ON r.chat_id = c.id
            LEFT JOIN channel_chat cc ON cc.chat_id = c.id
            LEFT JOIN channel ch ON ch.id = cc.channel_id
            """;
    private static final String SELECT_CHAT = """
            SELECT c.*, cl.name AS client_name, cl.phone AS client_phone, cl.email AS client_email, cl.phone AS m_phone,
                   op.name AS operator_name, op.photo AS operator_photo,
                   r.score AS rating_score, r.comment AS rating_comment, r.created_at AS rating_at,
                   ch.id AS channel_id, ch.type AS channel_type, ch.name AS channel_name,
            """ + MESSAGE_COLUMNS + "\n" + CHAT_FROM;

    private static final RowMapper<Message> MESSAGE = (rs, ctx) -> message(rs);
    private static final RowMapper<Chat> CHAT = (rs, ctx) -> new Chat(
            rs.getLong("id"), rs.getString("theme"), rs.getLong("organization_id"), rs.getInt("source"),
            new Chat.ClientRef(rs.getLong("client_id"), rs.getString("client_name"), rs.getString("client_phone"),
                    rs.getString("client_email")),
            rs.getObject("operator_id") == null ? null
                    : new Chat.OperatorRef(rs.getLong("operator_id"), rs.getString("operator_name"), rs.getString("operator_photo")),
            rs.getInt("status"), rs.getInt("count_unread"), time(rs.getLong("created_at")), time(rs.getLong("updated_at")),
            rs.getObject("m_id") == null ? null : message(rs),
            rs.getLong("last_seq"), rs.getLong("operator_read_seq"), rs.getLong("client_read_seq"),
            rs.getString("page_url"), rs.getString("language"), rs.getInt("offline") != 0,
            rs.getObject("rating_score") == null ? null
                    : new Chat.Rating(rs.getInt("rating_score"), rs.getString("rating_comment"), time(rs.getLong("rating_at"))),
            rs.getObject("channel_id") == null ? null
                    : new Chat.ChannelRef(rs.getLong("channel_id"), rs.getString("channel_type"), rs.getString("channel_name")),
            rs.getLong("company_id"));

    private final Database db;

    public JdbiChatStore(Database db) {
        this.db = db;
    }

    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static Message message(ResultSet rs) throws SQLException {
        Message.Media media = rs.getString("m_media_uri") == null ? null : new Message.Media(
                rs.getString("m_media_uri"), rs.getString("m_media_name"), rs.getString("m_media_format"),
                rs.getInt("m_media_type"), (Long) nullable(rs.getLong("m_media_size"), rs),
                (Integer) nullable(rs.getInt("m_media_width"), rs), (Integer) nullable(rs.getInt("m_media_height"), rs));
        Message.OperatorRef operator = rs.getObject("m_operator_id") == null ? null
                : new Message.OperatorRef(rs.getLong("m_operator_id"), rs.getString("m_operator_name"));
        return new Message(rs.getLong("m_id"), rs.getLong("m_chat_id"), rs.getLong("m_seq"), rs.getInt("m_author"),
                rs.getString("m_text"), media, rs.getInt("m_status"), operator, time(rs.getLong("m_created_at")),
                rs.getString("m_phone"), rs.getString("m_status_reason"), rs.getInt("m_is_note") != 0);
    }

    private static Object nullable(Object value, ResultSet rs) throws SQLException {
        return rs.wasNull() ? null : value;
    }

    private static final String FIND_CLIENT = """
            SELECT id, name, phone, email,
                (SELECT MAX(ch.id) FROM chat ch WHERE ch.client_id = client.id AND ch.status <> 4) AS current_chat
            FROM client WHERE organization_id = ? AND source = ? AND external_id = ?""";

    /** On the path of every inbound message: plain JDBC on a statement kept prepared, like the append. */
    @Override
    public ClientState upsertClient(long organizationId, ClientInput c) {
        return db.tx(h -> {
            long now = System.currentTimeMillis();
            ClientState state;
            boolean changed;
            try {
                PreparedStatement find = db.prepared(h, FIND_CLIENT);
                find.setLong(1, organizationId);
                find.setInt(2, c.source());
                find.setString(3, c.externalId());
                try (ResultSet rs = find.executeQuery()) {
                    if (!rs.next()) return insertClient(h, organizationId, c, now);
                    long chat = rs.getLong(5);
                    Long current = rs.wasNull() ? null : chat;
                    state = new ClientState(rs.getLong(1), current);
                    changed = changes(c.name(), rs.getString(2)) || changes(c.phone(), rs.getString(3))
                            || changes(c.email(), rs.getString(4));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read client " + c.externalId(), e);
            }
            if (changed) {
                h.createUpdate("""
                                UPDATE client SET name = COALESCE(:name, name), phone = COALESCE(:phone, phone),
                                    email = COALESCE(:email, email), updated_at = :now WHERE id = :id""")
                        .bind("name", c.name()).bind("phone", c.phone()).bind("email", c.email())
                        .bind("now", now).bind("id", state.clientId()).execute();
            }
            return state;
        });
    }

    private static ClientState insertClient(Handle h, long organizationId, ClientInput c, long now) {
        long id = h.createQuery("""
                        INSERT INTO client (organization_id, source, external_id, name, phone, email, created_at, updated_at)
                        VALUES (:org, :source, :ext, :name, :phone, :email, :now, :now) RETURNING id""")
                .bind("org", organizationId).bind("source", c.source()).bind("ext", c.externalId())
                .bind("name", c.name()).bind("phone", c.phone()).bind("email", c.email()).bind("now", now)
                .mapTo(Long.class).one();
        return new ClientState(id, null);
    }

    /** A contact field given (not null) and different from the stored one. */
    private static boolean changes(String given, String stored) {
        return given != null && !given.equals(stored);
    }

    @Override
    public long createChat(NewChat c) {
        long now = System.currentTimeMillis();
        return db.tx(h -> h.createQuery("""
                        INSERT INTO chat (company_id, organization_id, client_id, source, theme, status, page_url, language,
                            offline, created_at, updated_at)
                        VALUES (:company, :org, :client, :source, :theme, 0, :pageUrl, :language, :offline, :now, :now)
                        RETURNING id""")
                .bind("company", c.companyId()).bind("org", c.organizationId()).bind("client", c.clientId())
                .bind("source", c.source()).bind("theme", c.theme()).bind("pageUrl", c.pageUrl())
                .bind("language", c.language()).bind("offline", c.offline() ? 1 : 0).bind("now", now)
                .mapTo(Long.class).one());
    }

    @Override
    public void updateClientContact(long clientId, String name, String phone, String email) {
        db.tx(h -> h.createUpdate("""
                        UPDATE client SET name = COALESCE(:name, name), phone = COALESCE(:phone, phone),
                            email = COALESCE(:email, email), updated_at = :now WHERE id = :id""")
                .bind("name", name).bind("phone", phone).bind("email", email)
                .bind("now", System.currentTimeMillis()).bind("id", clientId).execute());
    }

    @Override
    public Optional<Long> currentChatOf(long clientId) {
        return db.read(h -> h.createQuery("SELECT MAX(id) FROM chat WHERE client_id = :client AND status <> 4")
                .bind("client", clientId).mapTo(Long.class).findOne());
    }

    @Override
    public Optional<Chat> latestChatOf(long clientId) {
        return db.read(h -> h.createQuery(SELECT_CHAT + "WHERE c.id = (SELECT MAX(id) FROM chat WHERE client_id = :client)")
                .bind("client", clientId).map(CHAT).findOne());
    }

    @Override
    public boolean rate(long chatId, int score, String comment) {
        return db.tx(h -> h.createUpdate("""
                        INSERT INTO chat_rating (chat_id, score, comment, created_at) VALUES (:chat, :score, :comment, :now)
                        ON CONFLICT (chat_id) DO NOTHING""")
                .bind("chat", chatId).bind("score", score).bind("comment", comment).bind("now", System.currentTimeMillis())
                .execute()) > 0;
    }

    @Override
    public Optional<Chat> findChat(long id) {
        return db.read(h -> h.createQuery(SELECT_CHAT + "WHERE c.id = :id").bind("id", id).map(CHAT).findOne());
    }

    @Override
    public Optional<Scope> findScope(long chatId) {
        return db.read(h -> h.createQuery("SELECT company_id, organization_id FROM chat WHERE id = :id")
                .bind("id", chatId)
                .map((rs, ctx) -> new Scope(chatId, rs.getLong(1), rs.getLong(2)))
                .findOne());
    }

    @Override
    public Page listChats(ChatQuery q) {
        StringBuilder where = new StringBuilder("WHERE c.company_id = :company");
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("company", q.companyId());
        if (q.organizationId() != null) { where.append(" AND c.organization_id = :org"); binds.put("org", q.organizationId()); }
        if (q.operatorId() != null) { where.append(" AND c.operator_id = :operator"); binds.put("operator", q.operatorId()); }
        if (q.status() != null) { where.append(" AND c.status = :status"); binds.put("status", q.status()); }
        if (q.source() != null) { where.append(" AND c.source = :source"); binds.put("source", q.source()); }
        if (q.dateFrom() != null) { where.append(" AND c.created_at >= :dateFrom"); binds.put("dateFrom", q.dateFrom()); }
        if (q.dateTo() != null) { where.append(" AND c.created_at < :dateTo"); binds.put("dateTo", q.dateTo()); }
        if (q.phone() != null) { where.append(" AND cl.phone LIKE :phone ESCAPE '!'"); binds.put("phone", like(q.phone())); }
        if (q.telegramUserId() != null) {
            where.append(" AND cl.source = :tgSource AND cl.external_id = :tgUser");
            binds.put("tgSource", Enums.Source.TELEGRAM);
            binds.put("tgUser", q.telegramUserId());
        }
        if (q.search() != null) return search(q, where.toString(), binds);
        // the count needs only the rows' filters: the LEFT JOINs of the page (last message, operator, rating, channel)
        // match at most one row each and would be paid for every chat of the company
        String count = "SELECT COUNT(*) FROM chat c\nJOIN client cl ON cl.id = c.client_id\n" + where;
        String page = SELECT_CHAT + where + " ORDER BY c.updated_at DESC, c.id DESC LIMIT :limit OFFSET :offset";
        return db.read(h -> {
            long total = bindAll(h.createQuery(count), binds).mapTo(Long.class).one();
            List<Chat> items = total == 0 ? List.of() : bindAll(h.createQuery(page), binds)
                    .bind("limit", q.perPage()).bind("offset", (long) (q.page() - 1) * q.perPage())
                    .map(CHAT).list();
            return new Page(total, items, Map.of());
        });
    }

    /**
     * How many of the newest matching messages (and, apart, of the newest chats matching by client or theme) a search
     * looks at: a word in more messages than this finds the chats of the newest ones, and the total counts those, so
     * that a common word costs what a rare one does.
     */
    static final int SEARCH_HITS = 10_000;

    /** A chat a search found: when it was last updated (the list's order) and the newest message that matched (or 0). */
    private record Found(long updatedAt, long matchId) {}

    /**
     * The search: its candidates come from indexes only, never from a walk over the company's chats. One query takes
     * the chats of the newest {@link #SEARCH_HITS} messages holding every word (FTS5; PostgreSQL's GIN tsvector index),
     * another the chats whose client's name, phone or email or whose theme holds the text (trigram indexes), both
     * under the list's filters; the union is ordered here, and only the page's chats are read in full.
     */
    private Page search(ChatQuery q, String where, Map<String, Object> binds) {
        String words = db.kind() == Database.Kind.SQLITE ? ftsQuery(q.search()) : q.search().isBlank() ? null : q.search();
        String hits = db.kind() == Database.Kind.SQLITE
                ? "SELECT c.id, c.updated_at, fm.id FROM message_fts JOIN message fm ON fm.id = message_fts.rowid"
                        + " JOIN chat c ON c.id = fm.chat_id JOIN client cl ON cl.id = c.client_id\n" + where
                        + " AND message_fts MATCH :words ORDER BY message_fts.rowid DESC LIMIT " + SEARCH_HITS
                : "SELECT c.id, c.updated_at, fm.id FROM message fm JOIN chat c ON c.id = fm.chat_id"
                        + " JOIN client cl ON cl.id = c.client_id\n" + where
                        + " AND fm.text_search @@ plainto_tsquery('simple', :words)"
                        + " ORDER BY fm.id DESC LIMIT " + SEARCH_HITS;
        Map<String, Object> peopleBinds = new LinkedHashMap<>(binds);
        String people = "SELECT c.id, c.updated_at, 0 FROM chat c JOIN client cl ON cl.id = c.client_id\n" + where
                + " AND c.id IN (" + peopleCandidates(q.search(), peopleBinds) + ")"
                + " ORDER BY c.updated_at DESC, c.id DESC LIMIT " + SEARCH_HITS;
        return db.read(h -> {
            Map<Long, Found> found = new java.util.HashMap<>();
            org.jdbi.v3.core.mapper.RowMapper<long[]> row = (rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            java.util.function.Consumer<long[]> collect = r -> found.merge(r[0], new Found(r[1], r[2]),
                    (a, b) -> new Found(a.updatedAt(), Math.max(a.matchId(), b.matchId())));
            if (words != null) bindAll(h.createQuery(hits), binds).bind("words", words).map(row).forEach(collect);
            bindAll(h.createQuery(people), peopleBinds).map(row).forEach(collect);
            List<Long> order = new ArrayList<>(found.keySet());
            order.sort(java.util.Comparator.comparingLong((Long id) -> found.get(id).updatedAt()).reversed()
                    .thenComparing(java.util.Comparator.reverseOrder()));
            int from = (int) Math.min(order.size(), (long) (q.page() - 1) * q.perPage());
            List<Long> pageIds = order.subList(from, Math.min(order.size(), from + q.perPage()));
            if (pageIds.isEmpty()) return new Page(order.size(), List.of(), Map.of());
            Map<Long, Chat> chats = new java.util.HashMap<>();
            h.createQuery(SELECT_CHAT + "WHERE c.id IN (<ids>)").bindList("ids", pageIds).map(CHAT)
                    .forEach(chat -> chats.put(chat.id(), chat));
            List<Long> matchIds = pageIds.stream().map(id -> found.get(id).matchId()).filter(id -> id != 0).toList();
            Map<Long, Match> matches = new LinkedHashMap<>();
            if (!matchIds.isEmpty()) {
                Map<Long, Match> byMessage = new java.util.HashMap<>();
                h.createQuery("SELECT id, seq, text FROM message WHERE id IN (<ids>)").bindList("ids", matchIds)
                        .map((rs, ctx) -> new Match(rs.getLong(1), rs.getLong(2), rs.getString(3)))
                        .forEach(m -> byMessage.put(m.messageId(), m));
                for (long id : pageIds) {
                    Match m = byMessage.get(found.get(id).matchId());
                    if (m != null) matches.put(id, m);
                }
            }
            List<Chat> items = pageIds.stream().map(chats::get).filter(java.util.Objects::nonNull).toList();
            return new Page(order.size(), items, matches);
        });
    }

    /**
     * The ids of the company's chats whose client's name, phone or email or whose theme holds {@code text} (a
     * substring, in any case): on SQLite through the trigram tables when the text has three characters or more (the
     * shortest a trigram index serves), else, and on PostgreSQL, as {@code LIKE}s that pg_trgm's indexes serve when
     * present.
     */
    private String peopleCandidates(String text, Map<String, Object> binds) {
        if (db.kind() == Database.Kind.SQLITE && text.codePointCount(0, text.length()) >= 3) {
            binds.put("phrase", "\"" + text.replace("\"", "\"\"") + "\"");
            return "SELECT id FROM chat WHERE company_id = :company AND client_id IN"
                    + " (SELECT rowid FROM client_search WHERE client_search MATCH :phrase)"
                    + " UNION SELECT rowid FROM chat_theme_search WHERE chat_theme_search MATCH :phrase";
        }
        binds.put("search", like(text.toLowerCase()));
        return "SELECT id FROM chat WHERE company_id = :company AND client_id IN (SELECT id FROM client"
                + " WHERE LOWER(name) LIKE :search ESCAPE '!' OR phone LIKE :search ESCAPE '!' OR LOWER(email) LIKE :search ESCAPE '!')"
                + " UNION SELECT id FROM chat WHERE company_id = :company AND LOWER(theme) LIKE :search ESCAPE '!'";
    }

    /**
     * An FTS5 query matching messages that hold every word of {@code text} (each word a quoted string, so nothing in
     * it is FTS5 syntax); null when it has no word.
     */
    static String ftsQuery(String text) {
        StringBuilder out = new StringBuilder();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            int c = i < text.length() ? text.codePointAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                word.appendCodePoint(c);
            } else if (!word.isEmpty()) {
                if (!out.isEmpty()) out.append(' ');
                out.append('"').append(word).append('"');
                word.setLength(0);
            }
            if (c > 0xFFFF) i++;
        }
        return out.isEmpty() ? null : out.toString();
    }

    private static String like(String text) {
        return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    private static Query bindAll(Query query, Map<String, Object> binds) {
        binds.forEach(query::bind);
        return query;
    }

    /**
     * One statement takes the chat's row (PostgreSQL locks it until commit), gives the next seq, the chat's
     * current state and the sending operator's name: the message write needs no other read.
     */
    private static final String NEXT_SEQ = """
            UPDATE chat SET last_seq = last_seq + 1, updated_at = ?, count_unread = count_unread + ?,
                last_public_seq = CASE WHEN ? = 1 THEN last_public_seq ELSE last_seq + 1 END,
                first_response_at = CASE WHEN ? = 1 AND first_response_at IS NULL THEN ? ELSE first_response_at END
            WHERE id = ?
            RETURNING last_seq, company_id, organization_id, status, operator_id,
                (SELECT name FROM operator WHERE id = ?) AS sender_name,
                (SELECT phone FROM client WHERE client.id = chat.client_id) AS client_phone, client_id, source""";
    private static final String INSERT_MESSAGE = """
            INSERT INTO message (chat_id, seq, author, text, media_uri, media_name, media_format, media_type,
                media_size, media_width, media_height, status, operator_id, client_key, created_at, is_note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""";

    /**
     * PostgreSQL: the seq UPDATE and the INSERT in one statement (a data-modifying CTE), so that a message costs the
     * single message writer one round trip to the server instead of two. The first status by the chat's source is
     * a CASE over the sources' codes, bound from the same function the two-statement path applies in Java. SQLite
     * (no data-modifying CTEs, and no round trips: it runs in the process) keeps the two statements.
     */
    private static final String APPEND_PG = """
            WITH s AS (
                UPDATE chat SET last_seq = last_seq + 1, updated_at = ?, count_unread = count_unread + ?,
                    last_public_seq = CASE WHEN ? = 1 THEN last_public_seq ELSE last_seq + 1 END,
                    first_response_at = CASE WHEN ? = 1 AND first_response_at IS NULL THEN ? ELSE first_response_at END
                WHERE id = ?
                RETURNING id, last_seq, company_id, organization_id, status, operator_id, client_id, source),
            m AS (
                INSERT INTO message (chat_id, seq, author, text, media_uri, media_name, media_format, media_type,
                    media_size, media_width, media_height, status, operator_id, client_key, created_at, is_note)
                SELECT s.id, s.last_seq, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE s.source %s END, ?, ?, ?, ? FROM s
                RETURNING id, status)
            SELECT s.last_seq, s.company_id, s.organization_id, s.status, s.operator_id,
                (SELECT name FROM operator WHERE id = ?) AS sender_name,
                (SELECT phone FROM client WHERE client.id = s.client_id) AS client_phone, s.client_id, s.source, m.id, m.status
            FROM s, m""".formatted(java.util.stream.IntStream.rangeClosed(0, Enums.Source.MAX)
            .mapToObj(source -> "WHEN " + source + " THEN ?").collect(java.util.stream.Collectors.joining(" ")) + " ELSE ?");

    /** The hot path of every message: plain JDBC on statements kept prepared (see {@link Database#prepared}). */
    @Override
    public Optional<Appended> appendMessage(NewMessage m) {
        return appendMessage(m, source -> Enums.MessageStatus.SUCCESS);
    }

    @Override
    public Optional<Appended> appendMessage(NewMessage m, java.util.function.IntUnaryOperator statusBySource) {
        return db.tx(h -> {
            try {
                return append(h, m, statusBySource);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot append a message to chat " + m.chatId(), e);
            }
        });
    }

    private Optional<Appended> append(Handle h, NewMessage m, java.util.function.IntUnaryOperator statusBySource) throws SQLException {
        if (db.kind() == Database.Kind.POSTGRES) return appendInOne(h, m, statusBySource);
        long now = System.currentTimeMillis();
        PreparedStatement next = db.prepared(h, NEXT_SEQ);
        int i = bindSeqUpdate(next, 0, m, now);
        setLong(next, ++i, m.operatorId());
        SeqRow row;
        try (ResultSet rs = next.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            row = SeqRow.read(rs);
        }
        PreparedStatement insert = db.prepared(h, INSERT_MESSAGE);
        insert.setLong(1, m.chatId());
        insert.setLong(2, row.seq());
        i = bindContent(insert, 2, m);
        int status0 = statusBySource.applyAsInt(row.source());
        insert.setInt(++i, status0);
        bindRest(insert, i, m, now);
        long id;
        try (ResultSet rs = insert.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        }
        return Optional.of(row.appended(m, id, status0, now));
    }

    /** {@link #APPEND_PG}: the same binds as the two statements, in one. */
    private Optional<Appended> appendInOne(Handle h, NewMessage m, java.util.function.IntUnaryOperator statusBySource) throws SQLException {
        long now = System.currentTimeMillis();
        PreparedStatement ps = db.prepared(h, APPEND_PG);
        int i = bindContent(ps, bindSeqUpdate(ps, 0, m, now), m);
        for (int source = 0; source <= Enums.Source.MAX; source++) ps.setInt(++i, statusBySource.applyAsInt(source));
        ps.setInt(++i, statusBySource.applyAsInt(-1));
        i = bindRest(ps, i, m, now);
        setLong(ps, ++i, m.operatorId());
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            return Optional.of(SeqRow.read(rs).appended(m, rs.getLong(10), rs.getInt(11), now));
        }
    }

    /** The seq UPDATE's six parameters after index {@code i}; returns the last index bound. */
    private static int bindSeqUpdate(PreparedStatement ps, int i, NewMessage m, long now) throws SQLException {
        ps.setLong(++i, now);
        ps.setInt(++i, m.author() == Enums.Author.CLIENT ? 1 : 0);
        ps.setInt(++i, m.note() ? 1 : 0);
        ps.setInt(++i, m.author() == Enums.Author.OPERATOR && !m.note() ? 1 : 0); // the first operator reply (reports)
        ps.setLong(++i, now);
        ps.setLong(++i, m.chatId());
        return i;
    }

    /** The message's author, text and media columns after index {@code i}; returns the last index bound. */
    private static int bindContent(PreparedStatement ps, int i, NewMessage m) throws SQLException {
        Message.Media media = m.media();
        ps.setInt(++i, m.author());
        ps.setString(++i, m.text());
        ps.setString(++i, media == null ? null : media.uri());
        ps.setString(++i, media == null ? null : media.name());
        ps.setString(++i, media == null ? null : media.format());
        setLong(ps, ++i, media == null ? null : (long) media.type());
        setLong(ps, ++i, media == null ? null : media.size());
        setLong(ps, ++i, media == null || media.width() == null ? null : (long) media.width());
        setLong(ps, ++i, media == null || media.height() == null ? null : (long) media.height());
        return i;
    }

    /** The message's operator, client key, time and note flag after index {@code i}; returns the last index bound. */
    private static int bindRest(PreparedStatement ps, int i, NewMessage m, long now) throws SQLException {
        setLong(ps, ++i, m.operatorId());
        ps.setString(++i, m.clientKey());
        ps.setLong(++i, now);
        ps.setInt(++i, m.note() ? 1 : 0);
        return i;
    }

    /** What the seq UPDATE returns (columns 1-9 of both append statements). */
    private record SeqRow(long seq, long companyId, long organizationId, int status, Long operatorId, String senderName,
                          String clientPhone, long clientId, int source) {
        static SeqRow read(ResultSet rs) throws SQLException {
            long op = rs.getLong(5);
            Long operatorId = rs.wasNull() ? null : op;
            return new SeqRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), operatorId, rs.getString(6),
                    rs.getString(7), rs.getLong(8), rs.getInt(9));
        }

        Appended appended(NewMessage m, long id, int messageStatus, long now) {
            Message message = new Message(id, m.chatId(), seq, m.author(), m.text(), m.media(), messageStatus,
                    m.operatorId() == null ? null : new Message.OperatorRef(m.operatorId(), senderName), time(now), clientPhone,
                    null, m.note());
            return new Appended(message, companyId, organizationId, clientId, status, operatorId, source);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, value);
    }

    @Override
    public Optional<Message> findMessageByClientKey(long chatId, String clientKey) {
        return db.read(h -> h.createQuery(SELECT_MESSAGE + "WHERE m.chat_id = :chat AND m.client_key = :key")
                .bind("chat", chatId).bind("key", clientKey).map(MESSAGE).findOne());
    }

    private static final String CLIENT_KEY = "SELECT m.id FROM message m JOIN chat c ON c.id = m.chat_id"
            + " WHERE c.client_id = ? AND m.client_key = ?";

    /** On the path of every messenger message (almost never found): plain JDBC on a statement kept prepared. */
    @Override
    public Optional<Message> findClientMessageByKey(long clientId, String clientKey) {
        return db.read(h -> {
            long id;
            try {
                PreparedStatement find = db.prepared(h, CLIENT_KEY);
                find.setLong(1, clientId);
                find.setString(2, clientKey);
                try (ResultSet rs = find.executeQuery()) {
                    if (!rs.next()) return Optional.<Message>empty();
                    id = rs.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot look up client key " + clientKey, e);
            }
            return h.createQuery(SELECT_MESSAGE + "WHERE m.id = :id").bind("id", id).map(MESSAGE).findOne();
        });
    }

    @Override
    public Optional<StatusChange> setMessageStatus(long messageId, int status, String reason, int... from) {
        if (from.length == 0) return Optional.empty();
        StringBuilder in = new StringBuilder();
        for (int f : from) in.append(in.isEmpty() ? "" : ", ").append(f);
        String sql = "UPDATE message SET status = ?, status_reason = ? WHERE id = ? AND status IN (" + in + ")"
                + " RETURNING chat_id, (SELECT company_id FROM chat WHERE chat.id = message.chat_id),"
                + " (SELECT organization_id FROM chat WHERE chat.id = message.chat_id),"
                + " (SELECT client_id FROM chat WHERE chat.id = message.chat_id)";
        return db.tx(h -> {
            try {
                PreparedStatement update = db.prepared(h, sql);
                update.setInt(1, status);
                update.setString(2, reason);
                update.setLong(3, messageId);
                try (ResultSet rs = update.executeQuery()) {
                    if (!rs.next()) return Optional.<StatusChange>empty();
                    return Optional.of(new StatusChange(messageId, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot set the status of message " + messageId, e);
            }
        });
    }

    private static final String MESSAGE_BY_ID = SELECT_MESSAGE + "WHERE m.id = ?";

    /** On the path of every message a messenger channel sends: plain JDBC on a statement kept prepared. */
    @Override
    public Optional<Message> findMessage(long id) {
        return db.read(h -> {
            try {
                PreparedStatement find = db.prepared(h, MESSAGE_BY_ID);
                find.setLong(1, id);
                try (ResultSet rs = find.executeQuery()) {
                    return rs.next() ? Optional.of(message(rs)) : Optional.<Message>empty();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read message " + id, e);
            }
        });
    }

    @Override
    public List<Message> messages(long chatId, long afterSeq, int limit) {
        return messages(chatId, afterSeq, limit, true);
    }

    @Override
    public List<Message> messagesBefore(long chatId, long beforeSeq, int limit) {
        return messagesBefore(chatId, beforeSeq, limit, true);
    }

    @Override
    public List<Message> messages(long chatId, long afterSeq, int limit, boolean withNotes) {
        return db.read(h -> h.createQuery(SELECT_MESSAGE + "WHERE m.chat_id = :chat AND m.seq > :after"
                        + (withNotes ? "" : " AND m.is_note = 0") + " ORDER BY m.seq LIMIT :limit")
                .bind("chat", chatId).bind("after", afterSeq).bind("limit", limit).map(MESSAGE).list());
    }

    @Override
    public List<Message> messagesBefore(long chatId, long beforeSeq, int limit, boolean withNotes) {
        List<Message> newestFirst = db.read(h -> h.createQuery(SELECT_MESSAGE
                        + "WHERE m.chat_id = :chat AND m.seq < :before" + (withNotes ? "" : " AND m.is_note = 0")
                        + " ORDER BY m.seq DESC LIMIT :limit")
                .bind("chat", chatId).bind("before", beforeSeq).bind("limit", limit).map(MESSAGE).list());
        List<Message> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return out;
    }

    @Override
    public void setStatus(long chatId, int status) {
        db.tx(h -> h.createUpdate("""
                        UPDATE chat SET status = :status, updated_at = :now,
                            closed_at = CASE WHEN :status = 4 THEN :now ELSE closed_at END
                        WHERE id = :id""")
                .bind("status", status).bind("now", System.currentTimeMillis()).bind("id", chatId).execute());
    }

    @Override
    public void assign(long chatId, Long operatorId) {
        db.tx(h -> h.createUpdate("UPDATE chat SET operator_id = :operator, updated_at = :now WHERE id = :id")
                .bind("operator", operatorId).bind("now", System.currentTimeMillis()).bind("id", chatId).execute());
    }

    @Override
    public boolean assignIfUnassigned(long chatId, long operatorId) {
        return db.tx(h -> h.createUpdate("""
                        UPDATE chat SET operator_id = :operator, updated_at = :now
                        WHERE id = :id AND operator_id IS NULL AND status <> 4""")
                .bind("operator", operatorId).bind("now", System.currentTimeMillis()).bind("id", chatId).execute()) > 0;
    }

    @Override
    public List<Long> markReadByOperator(long chatId, long seq) {
        return markRead(chatId, seq, "operator_read_seq", Enums.Author.CLIENT, true);
    }

    @Override
    public List<Long> markReadByClient(long chatId, long seq) {
        return markRead(chatId, seq, "client_read_seq", Enums.Author.OPERATOR, false);
    }

    /** Moves a read marker forward only; marks the other side's messages up to it Read. */
    private List<Long> markRead(long chatId, long seq, String marker, int readAuthor, boolean resetsUnread) {
        return db.tx(h -> {
            long current = h.createQuery("SELECT " + marker + " FROM chat WHERE id = :id")
                    .bind("id", chatId).mapTo(Long.class).one();
            long last = h.createQuery("SELECT last_seq FROM chat WHERE id = :id").bind("id", chatId).mapTo(Long.class).one();
            long upTo = Math.min(seq, last);
            if (upTo <= current) return List.<Long>of();
            String authorFilter = readAuthor == Enums.Author.OPERATOR ? "m.author IN (0, 2, 3)" : "m.author = 1";
            List<Long> ids = h.createQuery("SELECT m.id FROM message m WHERE m.chat_id = :chat AND m.seq > :from AND m.seq <= :to AND "
                            + authorFilter + " AND m.status <> 3 ORDER BY m.seq")
                    .bind("chat", chatId).bind("from", current).bind("to", upTo).mapTo(Long.class).list();
            h.createUpdate("UPDATE message SET status = 3 WHERE chat_id = :chat AND seq > :from AND seq <= :to AND "
                            + authorFilter.replace("m.", "") + " AND status <> 3")
                    .bind("chat", chatId).bind("from", current).bind("to", upTo).execute();
            String unread = resetsUnread
                    ? ", count_unread = (SELECT COUNT(*) FROM message m WHERE m.chat_id = :chat AND m.author = 1 AND m.seq > :to)"
                    : "";
            h.createUpdate("UPDATE chat SET " + marker + " = :to" + unread + " WHERE id = :chat")
                    .bind("chat", chatId).bind("to", upTo).execute();
            return ids;
        });
    }

    @Override
    public boolean deleteChat(long chatId) {
        return db.tx(h -> h.createUpdate("DELETE FROM chat WHERE id = :id").bind("id", chatId).execute()) > 0;
    }

    @Override
    public boolean mediaVisibleTo(String uri, long companyId, Long organizationId) {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM message m JOIN chat c ON c.id = m.chat_id"
                        + " WHERE m.media_uri = :uri AND c.company_id = :company"
                        + (organizationId == null ? "" : " AND c.organization_id = :org"))
                .bind("uri", uri).bind("company", companyId).bind("org", organizationId)
                .mapTo(Integer.class).one()) > 0;
    }

    @Override
    public boolean mediaVisibleToClient(String uri, long clientId) {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM message m JOIN chat c ON c.id = m.chat_id"
                        + " WHERE m.media_uri = :uri AND c.client_id = :client")
                .bind("uri", uri).bind("client", clientId).mapTo(Integer.class).one()) > 0;
    }

    @Override
    public int activeChatCount(long operatorId) {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM chat WHERE operator_id = :op AND status <> 4")
                .bind("op", operatorId).mapTo(Integer.class).one());
    }

    @Override
    public List<Long> queuedChats(long organizationId, int limit) {
        return db.read(h -> h.createQuery("""
                        SELECT id FROM chat WHERE organization_id = :org AND operator_id IS NULL AND status <> 4
                        ORDER BY created_at, id LIMIT :limit""")
                .bind("org", organizationId).bind("limit", limit).mapTo(Long.class).list());
    }
}
