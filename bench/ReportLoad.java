/*
 * How long a company's report takes on a big data set: ChatHub runs in this JVM on a fresh database, seeded straight
 * through JDBC with one company, 2 organizations, 20 operators, --chats chats spread evenly over --days days and
 * --messages messages among them (each chat's first operator reply, close and a rating for a third of them stored as
 * the server stores them), then GET /api/company/reports/summary for the last 30 days is timed over HTTP, --runs times
 * (after 3 warm-up calls), and the time series and operators reports once each.
 *
 *   java -cp target/chathub.jar bench/ReportLoad.java                 # SQLite in a temp dir
 *   java -cp target/chathub.jar bench/ReportLoad.java --postgres      # a fresh schema in 127.0.0.1:5432/test
 *   options: --messages 1000000 --chats 100000 --days 90 --runs 20, --keep (leave the data dir or schema behind)
 *
 * bench/reports.sh runs it with a fresh build; results in bench/RESULTS.md.
 */

import io.chathub.ChatHub;
import io.chathub.auth.Jwts;
import io.chathub.config.Config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

public class ReportLoad {
    static boolean postgres, keep;
    static int messages = 1_000_000, chats = 100_000, days = 90, runs = 20;
    static final String SECRET = "report-bench-secret-0123456789abcdef";

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--postgres" -> postgres = true;
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--chats" -> chats = Integer.parseInt(args[++i]);
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path data = Files.createTempDirectory("chathub-reports");
        String schema = postgres ? "reportbench_" + ProcessHandle.current().pid() : null;
        Config.Builder cfg = Config.builder().host("127.0.0.1").port(0).dataDir(data).jwtSecret(SECRET);
        if (postgres) {
            try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
                c.createStatement().execute("CREATE SCHEMA " + schema);
            }
            cfg.dbUrl("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema).dbUser("postgres");
        }
        try (ChatHub hub = ChatHub.start(cfg.build())) {
            run(hub, data);
        } finally {
            if (keep) {
                System.out.println("kept: " + (postgres ? "schema " + schema + " of 127.0.0.1:5432/test" : data.toString()));
                return;
            }
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            if (postgres) {
                try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
                    c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    static Connection connect(ChatHub hub, Path data) throws Exception {
        if (postgres) {
            return DriverManager.getConnection(hub.config().dbUrl(), "postgres", "");
        }
        return DriverManager.getConnection(hub.config().effectiveDbUrl());
    }

    static void run(ChatHub hub, Path data) throws Exception {
        long now = System.currentTimeMillis();
        long span = Duration.ofDays(days).toMillis();
        long company;
        long seedStarted = System.nanoTime();
        try (Connection c = connect(hub, data)) {
            c.setAutoCommit(false);
            if (!postgres) c.createStatement().execute("PRAGMA busy_timeout = 10000");
            company = one(c, "INSERT INTO company (login, password_hash, name, created_at) VALUES ('bench', 'x', 'Bench', 0) RETURNING id");
            long[] orgs = new long[2];
            for (int o = 0; o < 2; o++) {
                orgs[o] = one(c, "INSERT INTO organization (company_id, name, widget_guid, created_at, updated_at) VALUES ("
                        + company + ", 'Org " + o + "', 'guid-bench-" + o + "', 0, 0) RETURNING id");
            }
            long[] ops = new long[20];
            for (int o = 0; o < 20; o++) {
                ops[o] = one(c, "INSERT INTO operator (organization_id, name, created_at, updated_at) VALUES (" + orgs[o % 2]
                        + ", 'Operator " + o + "', 0, 0) RETURNING id");
            }
            long firstClient = one(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM client");
            long firstChat = one(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM chat");
            Random rnd = new Random(42);
            int perChat = Math.max(1, messages / chats);
            try (PreparedStatement client = c.prepareStatement("INSERT INTO client (id, organization_id, source, external_id, name, "
                    + "created_at, updated_at) VALUES (?, ?, 9, ?, ?, ?, ?)");
                 PreparedStatement chat = c.prepareStatement("INSERT INTO chat (id, company_id, organization_id, client_id, source, "
                         + "status, operator_id, last_seq, last_public_seq, offline, created_at, updated_at, first_response_at, closed_at) "
                         + "VALUES (?, ?, ?, ?, 9, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement message = c.prepareStatement("INSERT INTO message (chat_id, seq, author, text, status, operator_id, "
                         + "created_at) VALUES (?, ?, ?, ?, 1, ?, ?)");
                 PreparedStatement rating = c.prepareStatement("INSERT INTO chat_rating (chat_id, score, created_at) VALUES (?, ?, ?)")) {
                int written = 0;
                for (int i = 0; i < chats; i++) {
                    long chatId = firstChat + i, clientId = firstClient + i;
                    int o = i % 2;
                    long created = now - span + (long) ((double) i / chats * span);
                    boolean answered = rnd.nextInt(10) != 0;
                    long operator = answered ? ops[rnd.nextInt(10) * 2 + o] : 0;
                    long first = answered ? created + 5_000 + rnd.nextInt(300_000) : 0;
                    boolean closed = rnd.nextInt(10) < 8;
                    long close = closed ? created + 60_000 + rnd.nextInt(3_600_000) : 0;
                    int n = i == chats - 1 ? messages - written : perChat;
                    client.setLong(1, clientId);
                    client.setLong(2, orgs[o]);
                    client.setString(3, "c" + i);
                    client.setString(4, "Client " + i);
                    client.setLong(5, created);
                    client.setLong(6, created);
                    client.addBatch();
                    chat.setLong(1, chatId);
                    chat.setLong(2, company);
                    chat.setLong(3, orgs[o]);
                    chat.setLong(4, clientId);
                    chat.setInt(5, closed ? 4 : 1);
                    if (operator == 0) chat.setNull(6, java.sql.Types.BIGINT); else chat.setLong(6, operator);
                    chat.setLong(7, n);
                    chat.setLong(8, n);
                    chat.setInt(9, answered ? 0 : rnd.nextInt(3) == 0 ? 1 : 0);
                    chat.setLong(10, created);
                    chat.setLong(11, created);
                    if (first == 0) chat.setNull(12, java.sql.Types.BIGINT); else chat.setLong(12, first);
                    if (close == 0) chat.setNull(13, java.sql.Types.BIGINT); else chat.setLong(13, close);
                    chat.addBatch();
                    for (int s = 1; s <= n; s++) {
                        boolean fromOperator = answered && s % 2 == 0;
                        message.setLong(1, chatId);
                        message.setLong(2, s);
                        message.setInt(3, fromOperator ? 0 : 1);
                        // every 1,000th message carries a word of its own, for the search timings below
                        message.setString(4, "message " + s + " of chat " + i + ((written + s) % 1000 == 0 ? " voucher" : ""));
                        if (fromOperator) message.setLong(5, operator); else message.setNull(5, java.sql.Types.BIGINT);
                        message.setLong(6, created + s * 1000L);
                        message.addBatch();
                    }
                    written += n;
                    if (closed && i % 3 == 0) {
                        rating.setLong(1, chatId);
                        rating.setInt(2, 1 + rnd.nextInt(5));
                        rating.setLong(3, close);
                        rating.addBatch();
                    }
                    if (i % 2000 == 1999) {
                        client.executeBatch();
                        chat.executeBatch();
                        message.executeBatch();
                        rating.executeBatch();
                    }
                }
                client.executeBatch();
                chat.executeBatch();
                message.executeBatch();
                rating.executeBatch();
            }
            c.commit();
            if (postgres) {
                c.setAutoCommit(true);
                c.createStatement().execute("ANALYZE");
            } else {
                c.createStatement().execute("ANALYZE");
                c.commit();
            }
        }
        System.out.printf("seeded %,d chats and %,d messages over %d days in %.1f s (%s)%n", chats, messages, days,
                (System.nanoTime() - seedStarted) / 1e9, postgres ? "PostgreSQL" : "SQLite");

        String token = new Jwts(io.chathub.auth.Secrets.jwtSecret(hub.config()), Clock.systemUTC()).issue(Jwts.Kind.COMPANY, company, 0, company,
                Instant.now().plus(Duration.ofHours(1))).token();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + hub.port();
        String from = Instant.ofEpochMilli(now - Duration.ofDays(30).toMillis()).toString();
        String summary = base + "/api/company/reports/summary?from=" + from;
        for (int i = 0; i < 3; i++) get(http, summary, token);
        double[] ms = new double[runs];
        String body = null;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            body = get(http, summary, token);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("30-day summary over HTTP: p50 %.1f ms, p90 %.1f ms, max %.1f ms (%d runs)%n", ms[runs / 2],
                ms[(int) Math.ceil(runs * 0.9) - 1], ms[runs - 1], runs);
        System.out.println("summary: " + body);
        long t = System.nanoTime();
        get(http, base + "/api/company/reports/timeseries?metric=firstResponse&interval=day&from=" + from, token);
        System.out.printf("30-day daily firstResponse series: %.1f ms%n", (System.nanoTime() - t) / 1e6);
        t = System.nanoTime();
        get(http, base + "/api/company/reports/operators?from=" + from, token);
        System.out.printf("30-day operators table: %.1f ms%n", (System.nanoTime() - t) / 1e6);

        // message search (GET /api/chat/chats?search=) over the 1,000,000 messages: a word in 1 of 1,000 messages, a
        // word of one chat, and a word in every message (the worst case: the newest page of all chats)
        for (String word : new String[] {"voucher", String.valueOf(chats / 2), "message"}) {
            String url = base + "/api/chat/chats?search=" + word + "&limit=50";
            for (int i = 0; i < 3; i++) get(http, url, token);
            double[] sm = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                get(http, url, token);
                sm[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(sm);
            System.out.printf("search '%s' (first page of 50 chats): p50 %.1f ms, p90 %.1f ms, max %.1f ms (%d runs)%n", word,
                    sm[runs / 2], sm[(int) Math.ceil(runs * 0.9) - 1], sm[runs - 1], runs);
        }
    }

    static long one(Connection c, String sql) throws Exception {
        try (var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String get(HttpClient http, String url, String token) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
        return r.body();
    }
}
