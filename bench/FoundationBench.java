import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;

/**
 * Load client of bench/foundation.sh: operator get-token + validate-token on ONE connection.
 *
 * <pre>java bench/FoundationBench.java BASE_URL [seconds=10] [warmupPairs=20000] [operatorId=1]</pre>
 *
 * Logs in as the demo company (demo/demo), warms up (the given number of pairs, at most 120 s: the
 * JIT compiles by invocation counts, and on a busy 2-core machine that takes long), then for the
 * given seconds loops strictly
 * sequentially: POST /api/operator/get-token {id, expiresAt: now + 1 h}, then
 * POST /api/operator/validate-token {token} with the company token. One HttpClient forced to
 * HTTP/1.1 and sending one request at a time keeps one keep-alive connection (foundation.sh checks
 * the connection count with ss). No dependencies; the loop is bounded in time and count.
 *
 * <p>With {@code -Dbench.serverPid=PID} (and {@code -Dbench.clkTck}, default 100) it also reports the
 * CPU time the server process and this client used in the measured window, read from /proc: less
 * sensitive than throughput to other work on the machine.
 */
public final class FoundationBench {
    private static final long MAX_PAIRS = 5_000_000;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java bench/FoundationBench.java BASE_URL [seconds=10] [warmupPairs=20000] [operatorId=1]");
            System.exit(2);
        }
        String base = args[0].replaceAll("/+$", "");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long warmupPairs = args.length > 2 ? Long.parseLong(args[2]) : 20_000;
        long operatorId = args.length > 3 ? Long.parseLong(args[3]) : 1;

        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        var bench = new FoundationBench(http, base, operatorId);
        bench.companyToken = bench.login();

        long warmupStart = System.nanoTime();
        long warmedUp = bench.run(Duration.ofSeconds(120), warmupPairs, null, null);
        double warmupSeconds = (System.nanoTime() - warmupStart) / 1e9;
        var getToken = new Samples();
        var validate = new Samples();
        long serverPid = Long.getLong("bench.serverPid", -1);
        long serverCpu0 = serverCpuMillis(serverPid);
        long clientCpu0 = clientCpuMillis();
        long started = System.nanoTime();
        long pairs = bench.run(Duration.ofSeconds(seconds), MAX_PAIRS, getToken, validate);
        double elapsed = (System.nanoTime() - started) / 1e9;
        long serverCpu = serverCpuMillis(serverPid) - serverCpu0;
        long clientCpu = clientCpuMillis() - clientCpu0;

        double pairsPerSec = pairs / elapsed;
        System.out.printf(Locale.ROOT, "bench: %s, HTTP/1.1, one request at a time, %d s measured after a warm-up of %d pairs in %.1f s%n",
                base, seconds, warmedUp, warmupSeconds);
        System.out.printf(Locale.ROOT, "pairs (get-token + validate-token): %d in %.2f s = %.1f pairs/s%n", pairs, elapsed, pairsPerSec);
        System.out.printf(Locale.ROOT, "requests: %d = %.1f requests/s%n", 2 * pairs, 2 * pairsPerSec);
        System.out.printf(Locale.ROOT, "pairs per second, second by second: %s%n",
                Arrays.toString(Arrays.copyOf(bench.perSecond, seconds)));
        getToken.print("get-token     ");
        validate.print("validate-token");
        if (serverPid > 0) {
            System.out.printf(Locale.ROOT, "server CPU: %.0f%% of one core, %.3f ms per request%n",
                    serverCpu / 10.0 / elapsed, serverCpu / (2.0 * pairs));
        }
        System.out.printf(Locale.ROOT, "client CPU: %.0f%% of one core, %.3f ms per request%n",
                clientCpu / 10.0 / elapsed, clientCpu / (2.0 * pairs));
        System.out.printf(Locale.ROOT, "errors: %d%n", bench.errors);
        // Baseline: the trivial GET /health/live on the same connection, to tell the cost of the HTTP
        // round trip (client, Jetty, Javalin) from the cost of the token work.
        var live = new Samples();
        long liveCount = bench.baseline(Duration.ofSeconds(3), live);
        System.out.printf(Locale.ROOT, "baseline GET /health/live: %.1f requests/s%n", liveCount / 3.0);
        live.print("health/live   ");
        System.out.printf(Locale.ROOT,
                "RESULT pairs_per_s=%.1f requests_per_s=%.1f get_token_p50_ms=%.3f get_token_p99_ms=%.3f validate_p50_ms=%.3f validate_p99_ms=%.3f server_cpu_ms_per_request=%s live_requests_per_s=%.1f errors=%d%n",
                pairsPerSec, 2 * pairsPerSec, getToken.percentileMs(50), getToken.percentileMs(99),
                validate.percentileMs(50), validate.percentileMs(99),
                serverPid > 0 ? String.format(Locale.ROOT, "%.3f", serverCpu / (2.0 * pairs)) : "n/a", liveCount / 3.0, bench.errors);
        if (bench.errors > 0) System.exit(1);
    }

    /** utime + stime of a process from /proc/PID/stat, in ms; 0 when unknown. */
    private static long serverCpuMillis(long pid) {
        if (pid <= 0) return 0;
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / Long.getLong("bench.clkTck", 100);
        } catch (Exception e) {
            return 0;
        }
    }

    private static long clientCpuMillis() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1_000_000 : 0;
    }

    private final HttpClient http;
    private final String base;
    private final long operatorId;
    private String companyToken;
    private long errors;
    private long[] perSecond;

    private FoundationBench(HttpClient http, String base, long operatorId) {
        this.http = http;
        this.base = base;
        this.operatorId = operatorId;
    }

    private String login() throws Exception {
        HttpResponse<String> res = post("/api/company/get-token", "{\"login\":\"demo\",\"password\":\"demo\"}", null);
        if (res.statusCode() != 200) throw new IllegalStateException("login failed: " + res.statusCode() + " " + res.body());
        return unquote(res.body());
    }

    /** Runs pairs until {@code duration} has passed or {@code maxPairs} are done; records latencies when given sample sets. */
    private long run(Duration duration, long maxPairs, Samples getToken, Samples validate) throws Exception {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long pairs = 0;
        perSecond = new long[(int) duration.toSeconds() + 1];
        while (pairs < maxPairs && System.nanoTime() < deadline) {
            String expiresAt = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
            long t0 = System.nanoTime();
            HttpResponse<String> issued = post("/api/operator/get-token",
                    "{\"id\":" + operatorId + ",\"expiresAt\":\"" + expiresAt + "\"}", companyToken);
            long t1 = System.nanoTime();
            if (issued.statusCode() != 200) {
                fail("get-token", issued);
                continue;
            }
            HttpResponse<String> checked = post("/api/operator/validate-token",
                    "{\"token\":\"" + unquote(issued.body()) + "\"}", companyToken);
            long t2 = System.nanoTime();
            if (checked.statusCode() != 200 || !checked.body().contains("\"isValid\":true")) {
                fail("validate-token", checked);
                continue;
            }
            if (getToken != null) {
                getToken.add(t1 - t0);
                validate.add(t2 - t1);
            }
            pairs++;
            perSecond[(int) Math.min(perSecond.length - 1, (t2 - start) / 1_000_000_000L)]++;
        }
        return pairs;
    }

    private long baseline(Duration duration, Samples samples) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        long n = 0;
        var req = HttpRequest.newBuilder(URI.create(base + "/health/live")).timeout(Duration.ofSeconds(30)).GET().build();
        while (n < MAX_PAIRS && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            samples.add(System.nanoTime() - t0);
            if (res.statusCode() != 200) fail("health/live", res);
            n++;
        }
        return n;
    }

    private void fail(String what, HttpResponse<String> res) {
        if (errors++ < 5) System.err.println(what + " failed: " + res.statusCode() + " " + res.body());
        if (errors > 1000) throw new IllegalStateException("too many errors; stopping");
    }

    private HttpResponse<String> post(String path, String json, String token) throws Exception {
        var req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) req.header("Authorization", "Bearer " + token);
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    /** Latencies in nanoseconds. */
    private static final class Samples {
        private long[] values = new long[1 << 16];
        private int size;
        private boolean sorted;

        void add(long nanos) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = nanos;
            sorted = false;
        }

        double percentileMs(double p) {
            if (size == 0) return Double.NaN;
            if (!sorted) {
                Arrays.sort(values, 0, size);
                sorted = true;
            }
            int i = (int) Math.ceil(p / 100.0 * size) - 1;
            return values[Math.max(0, Math.min(size - 1, i))] / 1e6;
        }

        void print(String name) {
            double mean = size == 0 ? Double.NaN : Arrays.stream(values, 0, size).average().orElse(0) / 1e6;
            System.out.printf(Locale.ROOT, "%s  n=%d  mean %.3f ms  p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
                    name, size, mean, percentileMs(50), percentileMs(99), percentileMs(100));
        }
    }
}
