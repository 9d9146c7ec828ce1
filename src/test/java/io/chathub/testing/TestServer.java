package io.chathub.testing;

import io.chathub.ChatHub;
import io.chathub.auth.Jwts;
import io.chathub.auth.Passwords;
import io.chathub.auth.Secrets;
import io.chathub.company.JdbiCompanyStore;
import io.chathub.config.Config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real ChatHub server on a random loopback port over a fresh {@link TestDatabases database};
 * closing it stops the server and drops the database. Test classes keep one per database kind.
 *
 * <p>Defaults differ from production: the per-IP login limit is high (all tests log in from
 * 127.0.0.1; the throttling tests set their own limits), and bodies are limited to
 * {@link #MAX_REQUEST_BYTES}.
 */
public final class TestServer implements AutoCloseable {
    /** The signing secret of every test server (tests forge tokens with it and with others). */
    public static final String JWT_SECRET = "chathub-integration-tests-secret-0123456789";
    public static final long MAX_REQUEST_BYTES = 64 * 1024;
    public static final String PASSWORD = "correct horse battery";

    private static final AtomicInteger COMPANIES = new AtomicInteger();

    private final TestDatabases.TestDatabase database;
    private final Runnable cleanup;
    private final ChatHub hub;
    private final Api api;
    private boolean restarted;

    /** {@code cleanup} runs once the server has stopped: drops the database, or a joined node's data dir. */
    private TestServer(TestDatabases.TestDatabase database, Runnable cleanup, ChatHub hub) {
        this.database = database;
        this.cleanup = cleanup;
        this.hub = hub;
        this.api = new Api(URI.create("http://127.0.0.1:" + hub.port() + "/"));
    }

    public static TestServer start(String databaseKind) {
        return start(databaseKind, b -> b);
    }

    /** A server whose config the caller adjusts, e.g. {@code b -> b.dev(true).demo(true)}. */
    public static TestServer start(String databaseKind, UnaryOperator<Config.Builder> customize) {
        return start(databaseKind, customize, Clock.systemUTC());
    }

    /** A server on a clock of the test's, e.g. a {@link TestClock} that the test moves forward. */
    public static TestServer start(String databaseKind, UnaryOperator<Config.Builder> customize, Clock clock) {
        return start(TestDatabases.create(databaseKind), customize, clock);
    }

    /** A server on this database (e.g. a {@link PrivatePostgres}'s); closing the server closes the database. */
    public static TestServer start(TestDatabases.TestDatabase database, UnaryOperator<Config.Builder> customize, Clock clock) {
        try {
            return new TestServer(database, database::close, ChatHub.start(config(database, customize), clock));
        } catch (RuntimeException | Error e) {
            database.close();
            throw e;
        }
    }

    private static Config config(TestDatabases.TestDatabase database, UnaryOperator<Config.Builder> customize) {
        // Every test talks from 127.0.0.1: the widget's per-address limits are out of the way unless a test sets them.
        var unlimited = new Config.Rate(1_000_000, java.time.Duration.ofHours(1));
        var widget = Config.builder().build().widget().withSessionsPerIp(unlimited).withChatsPerIp(unlimited)
                .withMessagesPerVisitor(unlimited);
        return customize.apply(database.config()
                .login(l -> l.withMaxFailuresPerIp(10_000))
                .maxRequestBytes(MAX_REQUEST_BYTES)
                .widget(widget)).build();
    }

    /**
     * Another node on this server's database (a cluster of two: give both the same NATS settings). Its
     * data dir is its own; closing it stops only that node, the database stays with this server.
     * PostgreSQL only: a SQLite database is a file in one node's data dir.
     */
    public TestServer join(UnaryOperator<Config.Builder> customize) {
        if (database.dbUrl() == null) throw new IllegalStateException("nodes share only a PostgreSQL database, not " + database);
        Path dataDir = TestDatabases.tempDir("chathub-node-");
        Runnable cleanup = () -> TestDatabases.deleteRecursively(dataDir);
        try {
            return new TestServer(database, cleanup, ChatHub.start(config(database, b -> customize.apply(b).dataDir(dataDir))));
        } catch (RuntimeException | Error e) {
            cleanup.run();
            throw e;
        }
    }

    /**
     * A restart: stops this server gracefully (as on SIGTERM) and starts a new one on the same database and data dir,
     * with a config adjusted by {@code customize} (the earlier adjustments are not kept). Use the returned server from
     * then on; closing it drops the database, closing this one does nothing more.
     */
    public TestServer restart(UnaryOperator<Config.Builder> customize) {
        api.close();
        hub.close();
        restarted = true;
        try {
            return new TestServer(database, cleanup, ChatHub.start(config(database, customize)));
        } catch (RuntimeException | Error e) {
            cleanup.run();
            throw e;
        }
    }

    public ChatHub hub() {
        return hub;
    }

    /**
     * The environment of another node of this server's cluster in a child process ({@link ChildServer}): the same
     * database, JWT secret and NATS (URL and subject prefix), its own data dir; add its own settings to it.
     */
    public java.util.Map<String, String> peerEnv(Path dataDir) {
        var env = new java.util.HashMap<>(database.env());
        env.put("CHATHUB_DATA_DIR", dataDir.toString());
        env.put("CHATHUB_JWT_SECRET", JWT_SECRET);
        if (hub.config().natsUrl() != null) env.put("CHATHUB_NATS_URL", hub.config().natsUrl());
        if (hub.config().natsSubjectPrefix() != null) env.put("CHATHUB_NATS_SUBJECT_PREFIX", hub.config().natsSubjectPrefix());
        return env;
    }

    public Api api() {
        return api;
    }

    /** The server's base URI, {@code http://127.0.0.1:<port>/}. */
    public URI base() {
        return api.base();
    }

    /** Connects the official SignalR client to {@code /chathub} with the token. */
    public HubClient connect(String token, String name) {
        return HubClient.connect(base(), token, name);
    }

    /** A company with password {@link #PASSWORD}, stored straight in the database, not logged in; returns its id. */
    public long createCompany(String login) {
        return new JdbiCompanyStore(hub.database()).create(login, PasswordHash.OF_PASSWORD, "Company " + login);
    }

    /** A unique login for a new company. */
    public static String uniqueLogin() {
        return "co" + COMPANIES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A new company with password {@link #PASSWORD} and a company token. Fast: the company is stored
     * with a password hash made once per JVM, and its token is issued by the server's own {@link Jwts}
     * with the server's secret and TTL, exactly as {@code get-token} would issue it (Argon2 costs
     * about 0.2 s per hash or check on this machine; the login itself is tested in CompanyTokenTest).
     */
    public TestTenant newTenant() {
        String login = uniqueLogin();
        long id = createCompany(login);
        var jwts = new Jwts(Secrets.jwtSecret(hub.config()), Clock.systemUTC());
        String token = jwts.issue(Jwts.Kind.COMPANY, id, 0, id, Instant.now().plus(hub.config().companyTokenTtl())).token();
        return new TestTenant(this, id, login, PASSWORD, token);
    }

    /** Lazily, once: an Argon2id hash of {@link #PASSWORD}. */
    private static final class PasswordHash {
        static final String OF_PASSWORD = Passwords.hash(PASSWORD);
    }

    @Override
    public void close() {
        if (restarted) return;
        try {
            api.close();
            hub.close();
        } finally {
            cleanup.run();
        }
    }
}
