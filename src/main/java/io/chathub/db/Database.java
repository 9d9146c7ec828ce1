package io.chathub.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.chathub.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The database: connection pools, migrations and transactions.
 *
 * <p>SQLite (the embedded default) runs in WAL mode with exactly one writer connection and a pool of
 * read-only readers; PostgreSQL uses one pool for both. Stores call {@link #read} for queries and
 * {@link #tx} for changes; nested calls join the surrounding transaction (on the same thread), so a
 * service can make several store calls atomic by wrapping them in one {@code tx}. Work registered with
 * {@link #afterCommit} runs only once the outermost transaction has committed — that is where events
 * are published.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    public enum Kind { SQLITE, POSTGRES }

    private final Kind kind;
    private final HikariDataSource writerPool;
    private final HikariDataSource readerPool;
    private final Jdbi writer;
    private final WalCheckpointer checkpointer; // SQLite only
    private final Jdbi reader;
    private final ThreadLocal<Tx> current = new ThreadLocal<>();
    private final Map<Connection, Map<String, PreparedStatement>> statements = new IdentityHashMap<>();

    private record Tx(Handle handle, List<Runnable> afterCommit, int[] savepoints) {}

    private Database(Kind kind, HikariDataSource writerPool, HikariDataSource readerPool, WalCheckpointer checkpointer) {
        this.kind = kind;
        this.writerPool = writerPool;
        this.readerPool = readerPool;
        this.checkpointer = checkpointer;
        this.writer = Jdbi.create(writerPool);
        this.reader = readerPool == writerPool ? writer : Jdbi.create(readerPool);
    }

    /** Opens the pools and migrates the schema to the newest version. */
    public static Database open(Config config, MeterRegistry metrics) {
        Database db = config.usesPostgres() ? openPostgres(config) : openSqlite(config);
        try {
            db.writerPool.setMetricRegistry(metrics);
            if (db.readerPool != db.writerPool) db.readerPool.setMetricRegistry(metrics);
            db.migrate();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Database openSqlite(Config config) {
        String url = config.effectiveDbUrl();
        if (!url.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException("CHATHUB_DB_URL must start with jdbc:sqlite: or jdbc:postgresql:, got " + url);
        }
        createParentDir(url.substring("jdbc:sqlite:".length()));
        HikariConfig w = sqliteConfig(url, "chathub-sqlite-writer", 1);
        w.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        HikariDataSource writerPool = new HikariDataSource(w); // first: creates the file and switches it to WAL
        HikariConfig r = sqliteConfig(url, "chathub-sqlite-reader", Math.max(2, config.dbPoolSize()));
        r.setConnectionInitSql("PRAGMA query_only = true");
        return new Database(Kind.SQLITE, writerPool, new HikariDataSource(r), new WalCheckpointer(url, Duration.ofMillis(200)));
    }

    private static HikariConfig sqliteConfig(String url, String name, int size) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.addDataSourceProperty("journal_mode", "WAL");
        c.addDataSourceProperty("synchronous", "NORMAL");
        c.addDataSourceProperty("busy_timeout", "10000");
        c.addDataSourceProperty("foreign_keys", "true");
        c.addDataSourceProperty("date_class", "INTEGER");
        // Else sqlite-jdbc runs an extra "SELECT last_insert_rowid()" after every INSERT; ChatHub uses RETURNING.
        c.addDataSourceProperty("jdbc.get_generated_keys", "false");
        return c;
    }

    private static Database openPostgres(Config config) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("chathub-postgres");
        c.setJdbcUrl(config.dbUrl());
        if (config.dbUser() != null) c.setUsername(config.dbUser());
        if (config.dbPassword() != null) c.setPassword(config.dbPassword());
        c.setMaximumPoolSize(config.dbPoolSize());
        // While PostgreSQL is unreachable a request waits this long for a connection, then fails (503) rather than hang.
        c.setConnectionTimeout(config.dbConnectTimeout().toMillis());
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource pool = new HikariDataSource(c);
        return new Database(Kind.POSTGRES, pool, pool, null);
    }

    private static void createParentDir(String file) {
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create database directory " + parent, e);
        }
    }

    /**
     * The message search index, the one piece of schema that differs by database (migration V8): an FTS5 table kept by
     * triggers on SQLite, a GIN index of the text's tsvector ('simple': no stemming, as FTS5's unicode61) on PostgreSQL.
     */
    private static final String SQLITE_MESSAGE_SEARCH = """
            CREATE VIRTUAL TABLE message_fts USING fts5(text, content='message', content_rowid='id');
            INSERT INTO message_fts (rowid, text) SELECT id, text FROM message WHERE text IS NOT NULL;
            CREATE TRIGGER message_fts_insert AFTER INSERT ON message WHEN new.text IS NOT NULL BEGIN
                INSERT INTO message_fts (rowid, text) VALUES (new.id, new.text);
            END;
            CREATE TRIGGER message_fts_delete AFTER DELETE ON message WHEN old.text IS NOT NULL BEGIN
                INSERT INTO message_fts (message_fts, rowid, text) VALUES ('delete', old.id, old.text);
            END;
            CREATE TRIGGER message_fts_update AFTER UPDATE OF text ON message BEGIN
                INSERT INTO message_fts (message_fts, rowid, text) SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL;
                INSERT INTO message_fts (rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL;
            END""";
    private static final String POSTGRES_MESSAGE_SEARCH =
            "CREATE INDEX message_text_search ON message USING GIN (to_tsvector('simple', COALESCE(text, '')))";

    /**
     * The search indexes of migration V10, SQLite: trigram FTS5 tables over the client's contact fields and the chat's
     * theme on SQLite (they serve {@code MATCH} with a quoted phrase: a substring of three or more characters, in any
     * case), kept by triggers like the message index.
     */
    private static final String SQLITE_SEARCH_INDEXES = """
            CREATE VIRTUAL TABLE client_search USING fts5(name, phone, email, content='client', content_rowid='id',
                tokenize='trigram');
            INSERT INTO client_search (rowid, name, phone, email) SELECT id, name, phone, email FROM client;
            CREATE TRIGGER client_search_insert AFTER INSERT ON client BEGIN
                INSERT INTO client_search (rowid, name, phone, email) VALUES (new.id, new.name, new.phone, new.email);
            END;
            CREATE TRIGGER client_search_delete AFTER DELETE ON client BEGIN
                INSERT INTO client_search (client_search, rowid, name, phone, email)
                VALUES ('delete', old.id, old.name, old.phone, old.email);
            END;
            CREATE TRIGGER client_search_update AFTER UPDATE OF name, phone, email ON client BEGIN
                INSERT INTO client_search (client_search, rowid, name, phone, email)
                VALUES ('delete', old.id, old.name, old.phone, old.email);
                INSERT INTO client_search (rowid, name, phone, email) VALUES (new.id, new.name, new.phone, new.email);
            END;
            CREATE VIRTUAL TABLE chat_theme_search USING fts5(theme, content='chat', content_rowid='id', tokenize='trigram');
            INSERT INTO chat_theme_search (rowid, theme) SELECT id, theme FROM chat WHERE theme IS NOT NULL;
            CREATE TRIGGER chat_theme_search_insert AFTER INSERT ON chat WHEN new.theme IS NOT NULL BEGIN
                INSERT INTO chat_theme_search (rowid, theme) VALUES (new.id, new.theme);
            END;
            CREATE TRIGGER chat_theme_search_delete AFTER DELETE ON chat WHEN old.theme IS NOT NULL BEGIN
                INSERT INTO chat_theme_search (chat_theme_search, rowid, theme) VALUES ('delete', old.id, old.theme);
            END;
            CREATE TRIGGER chat_theme_search_update AFTER UPDATE OF theme ON chat BEGIN
                INSERT INTO chat_theme_search (chat_theme_search, rowid, theme) SELECT 'delete', old.id, old.theme
                    WHERE old.theme IS NOT NULL;
                INSERT INTO chat_theme_search (rowid, theme) SELECT new.id, new.theme WHERE new.theme IS NOT NULL;
            END""";

    /**
     * The search indexes of migration V10, PostgreSQL: the message's tsvector as a stored column under the GIN index, and
     * GIN trigram indexes (pg_trgm) of the expressions the search's {@code LIKE} compares, so that the
     * planner can serve them; the theme's is partial, so that the chats without one (most) cost the message hot path's
     * chat update nothing. The extension is created in {@code public} when it is not there yet and the database user
     * may; without it there are no such indexes and the same queries scan.
     */
    private String postgresSearchIndexes() {
        String schema = null;
        try (Connection c = writerPool.getConnection(); var st = c.createStatement()) {
            for (int attempt = 0; attempt < 2 && schema == null; attempt++) {
                try (var rs = st.executeQuery("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                        + " WHERE e.extname = 'pg_trgm'")) {
                    if (rs.next()) schema = rs.getString(1);
                }
                if (schema == null && attempt == 0) {
                    try {
                        st.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public");
                    } catch (SQLException e) {
                        // not allowed, or created at the same moment by another node: the second look decides
                        log.debug("pg_trgm: {}", e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's extensions", e);
        }
        // The message's tsvector is stored (computed once, on write, where the expression index computed it too), so
        // that a search that walks the newest matching messages tests each with a read, not a to_tsvector call.
        String messages = String.join(";\n",
                "ALTER TABLE message ADD COLUMN text_search tsvector"
                        + " GENERATED ALWAYS AS (to_tsvector('simple', COALESCE(text, ''))) STORED",
                "DROP INDEX message_text_search",
                "CREATE INDEX message_text_search ON message USING GIN (text_search)");
        if (schema == null) {
            log.info("pg_trgm is not available: the client and theme search scans instead of using trigram indexes");
            return messages;
        }
        String ops = "\"" + schema.replace("\"", "\"\"") + "\".gin_trgm_ops";
        return String.join(";\n", messages,
                "CREATE INDEX client_name_search ON client USING GIN (LOWER(name) " + ops + ")",
                "CREATE INDEX client_phone_search ON client USING GIN (phone " + ops + ")",
                "CREATE INDEX client_email_search ON client USING GIN (LOWER(email) " + ops + ")",
                "CREATE INDEX chat_theme_search ON chat USING GIN (LOWER(theme) " + ops + ") WHERE theme IS NOT NULL");
    }

    /** Whether migration {@code version} has been applied to this database (Flyway's history in the default schema). */
    private boolean applied(String version) {
        try (Connection c = writerPool.getConnection();
             var st = c.prepareStatement("SELECT COUNT(*) FROM flyway_schema_history WHERE version = ? AND success")) {
            st.setString(1, version);
            try (var rs = st.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            return false; // no history yet: a new database
        }
    }

    private void migrate() {
        Map<String, String> placeholders = switch (kind) {
            case SQLITE -> Map.of("id_pk", "INTEGER PRIMARY KEY AUTOINCREMENT", "message_search", SQLITE_MESSAGE_SEARCH,
                    "search_indexes", SQLITE_SEARCH_INDEXES);
            // V10's statements depend on the database (pg_trgm, its schema): looked up only while V10 is still to run
            case POSTGRES -> Map.of("id_pk", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                    "message_search", POSTGRES_MESSAGE_SEARCH,
                    "search_indexes", applied("10") ? "-- applied" : postgresSearchIndexes());
        };
        var result = Flyway.configure()
                .dataSource(writerPool)
                .locations("classpath:db/migration")
                .placeholders(placeholders)
                .load()
                .migrate();
        log.info("database={} migrations_applied={}", kind.name().toLowerCase(), result.migrationsExecuted);
    }

    public Kind kind() {
        return kind;
    }

    /** Runs a query: inside the current transaction if there is one, else on a reader connection. */
    public <T> T read(HandleCallback<T, RuntimeException> work) {
        Tx tx = current.get();
        return tx != null ? work.withHandle(tx.handle) : reader.withHandle(work);
    }

    /** Runs work in a transaction, joining the current one if this thread is already in one. */
    public <T> T tx(HandleCallback<T, RuntimeException> work) {
        return tx(work, Database::runAll);
    }

    /**
     * Like {@link #tx(HandleCallback)}, but hands the after-commit actions, in order, to {@code afterCommit}
     * instead of running them on this thread (which may then start its next transaction at once).
     */
    public <T> T tx(HandleCallback<T, RuntimeException> work, Consumer<List<Runnable>> afterCommit) {
        Tx outer = current.get();
        if (outer != null) return work.withHandle(outer.handle);
        List<Runnable> actions = new ArrayList<>();
        T result = writer.inTransaction(h -> {
            current.set(new Tx(h, actions, new int[1]));
            try {
                return work.withHandle(h);
            } finally {
                current.remove();
            }
        });
        if (!actions.isEmpty()) afterCommit.accept(actions);
        return result;
    }

    /** Runs after-commit actions in order; one that fails is logged and does not stop the others. */
    public static void runAll(List<Runnable> actions) {
        for (Runnable r : actions) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.error("after-commit action failed", e);
            }
        }
    }

    /**
     * Runs work inside the current transaction under a savepoint: if it throws, its changes and the
     * after-commit actions it registered are undone while the rest of the transaction goes on.
     */
    public <T> T savepoint(HandleCallback<T, RuntimeException> work) {
        Tx tx = current.get();
        if (tx == null) return tx(work);
        String name = "sp" + (++tx.savepoints[0]);
        int mark = tx.afterCommit.size();
        tx.handle.savepoint(name);
        try {
            T result = work.withHandle(tx.handle);
            tx.handle.releaseSavepoint(name);
            return result;
        } catch (RuntimeException e) {
            tx.handle.rollbackToSavepoint(name);
            tx.afterCommit.subList(mark, tx.afterCommit.size()).clear();
            throw e;
        }
    }

    /**
     * A prepared statement of {@code h}'s physical connection, kept for the life of that connection. For the
     * few statements of the message hot path only: JDBI prepares every statement anew, which on SQLite costs
     * more than running it. The caller binds every parameter, and closes the result sets it opens (which
     * resets the statement); it never closes the statement. A connection is used by one thread at a time,
     * so its statements are too.
     */
    public PreparedStatement prepared(Handle h, String sql) throws SQLException {
        Connection physical = h.getConnection().unwrap(Connection.class);
        Map<String, PreparedStatement> byConnection;
        synchronized (statements) {
            byConnection = statements.get(physical);
            if (byConnection == null) {
                statements.keySet().removeIf(Database::isClosed); // forget the pool's retired connections
                byConnection = new HashMap<>();
                statements.put(physical, byConnection);
            }
        }
        PreparedStatement ps = byConnection.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = physical.prepareStatement(sql);
            byConnection.put(sql, ps);
        }
        return ps;
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** True when this thread is inside a transaction. */
    public boolean inTransaction() {
        return current.get() != null;
    }

    /** Runs {@code action} after the current transaction commits (at once when there is none); never on rollback. */
    public void afterCommit(Runnable action) {
        Tx tx = current.get();
        if (tx == null) action.run();
        else tx.afterCommit.add(action);
    }

    /**
     * True when a trivial query answers on both the reader and the writer within {@link #READY_WAIT}: a database that
     * is gone makes readiness DOWN within that, however long the pool would wait for a connection.
     */
    public boolean isReady() {
        var check = java.util.concurrent.CompletableFuture.runAsync(() -> {
            reader.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            writer.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
        }, r -> Thread.ofVirtual().name("chathub-db-ready").start(r));
        try {
            check.get(READY_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("database not ready: no answer within {} ms", READY_WAIT.toMillis());
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("database not ready: {}", e.getCause().toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The longest a readiness check waits for the database. */
    static final Duration READY_WAIT = Duration.ofSeconds(2);

    /**
     * True when {@code e} says the database cannot be reached (no connection within the pool's timeout, a connection
     * lost or refused, the server shutting down or starting up: SQLSTATE class 08 and 57P; a commit on a connection the
     * pool already dropped as broken: HikariCP's "Connection is closed", without a SQLSTATE), as opposed to a statement
     * that failed: the request may succeed when tried again.
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) return true;
            if (!(t instanceof SQLException s)) continue;
            String state = s.getSQLState();
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) return true;
            if (state == null && "Connection is closed".equals(s.getMessage())) return true;
        }
        return false;
    }

    @Override
    public void close() {
        if (checkpointer != null) checkpointer.close();
        if (readerPool != writerPool) readerPool.close();
        writerPool.close();
    }
}
