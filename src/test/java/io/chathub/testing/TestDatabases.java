package io.chathub.testing;

import io.chathub.config.Config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Fresh, empty databases for tests: a SQLite file in a new temp dir, or a new schema in the local
 * PostgreSQL (127.0.0.1:5432, database {@code test}, user {@code postgres}, trust auth; host and port
 * can be moved with CHATHUB_TEST_PG_HOST / CHATHUB_TEST_PG_PORT). PostgreSQL that does not answer is
 * a test failure, never a skip: start it with {@code scripts/ensure-postgres.sh}.
 */
public final class TestDatabases {
    /** The database kinds every integration test runs on, as the {@code @ValueSource} strings name them. */
    public static final List<String> KINDS = List.of("sqlite", "postgres");

    private static final String PG_USER = "postgres";

    private TestDatabases() {}

    /** A fresh database of the given kind ("sqlite" or "postgres"); close it to delete it. */
    public static TestDatabase create(String kind) {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "sqlite" -> sqlite();
            case "postgres", "postgresql" -> postgres();
            default -> throw new IllegalArgumentException("unknown test database kind '" + kind + "'");
        };
    }

    public static TestDatabase sqlite() {
        Path dir = tempDir("chathub-sqlite-");
        return new TestDatabase("sqlite", dir, null, null, () -> deleteRecursively(dir));
    }

    public static TestDatabase postgres() {
        return postgres(env("CHATHUB_TEST_PG_HOST", "127.0.0.1"), env("CHATHUB_TEST_PG_PORT", "5432"));
    }

    /** A fresh schema in database {@code test} of the PostgreSQL server at host:port; throws when it cannot be made. */
    public static TestDatabase postgres(String host, String port) {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String server = "jdbc:postgresql://" + host + ":" + port + "/test";
        execute(server, "CREATE SCHEMA " + schema);
        Path dir = tempDir("chathub-pg-");
        return new TestDatabase("postgres", dir, server + "?currentSchema=" + schema, PG_USER, () -> {
            try {
                execute(server, "DROP SCHEMA " + schema + " CASCADE");
            } finally {
                deleteRecursively(dir);
            }
        });
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, PG_USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for the tests is not usable at " + url + " as user " + PG_USER
                    + " (" + e.getMessage() + "). The PostgreSQL tests are never skipped: start it with "
                    + "scripts/ensure-postgres.sh or point CHATHUB_TEST_PG_HOST/PORT at one.", e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One fresh database. {@link #configure} points a server config at it; {@link #env} gives the
     * same as environment variables (for the CLI).
     */
    public static final class TestDatabase implements AutoCloseable {
        private final String kind;
        private final Path dataDir;
        private final String dbUrl;
        private final String dbUser;
        private final Runnable cleanup;
        private boolean closed;

        private TestDatabase(String kind, Path dataDir, String dbUrl, String dbUser, Runnable cleanup) {
            this.kind = kind;
            this.dataDir = dataDir;
            this.dbUrl = dbUrl;
            this.dbUser = dbUser;
            this.cleanup = cleanup;
        }

        public String kind() {
            return kind;
        }

        public Path dataDir() {
            return dataDir;
        }

        /** The JDBC URL, or null for SQLite (which lives in the data dir). */
        public String dbUrl() {
            return dbUrl;
        }

        public Config.Builder configure(Config.Builder builder) {
            return builder.dataDir(dataDir).dbUrl(dbUrl).dbUser(dbUser);
        }

        /** A config on this database: random port, test JWT secret, loopback only. */
        public Config.Builder config() {
            return configure(Config.builder().host("127.0.0.1").port(0).jwtSecret(TestServer.JWT_SECRET));
        }

        public Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            env.put("CHATHUB_DATA_DIR", dataDir.toString());
            if (dbUrl != null) env.put("CHATHUB_DB_URL", dbUrl);
            if (dbUser != null) env.put("CHATHUB_DB_USER", dbUser);
            return env;
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            cleanup.run();
        }

        @Override
        public String toString() {
            return kind + (dbUrl == null ? " " + dataDir : " " + dbUrl);
        }
    }
}
