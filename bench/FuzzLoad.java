import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hostile input for a running ChatHub, while the server's RSS is sampled every second: how far memory grows under
 * abuse, and whether it comes back. Single file, JDK only.
 *
 * <pre>
 *   java bench/FuzzLoad.java --port 8080 --server-pid 1234 --seconds 60
 * </pre>
 *
 * At once, until the deadline, each kind on its own virtual threads:
 * <ul>
 *   <li><b>malformed</b>: broken JSON (truncated, garbage bytes, invalid UTF-8, 100,000-deep nesting, wrong types,
 *   200 KB strings) to every kind of endpoint, with and without a valid company token;</li>
 *   <li><b>logins</b>: wrong passwords from 32 loopback addresses (127.0.1.x), so the per-IP limit does not stop
 *   them: Argon2 checks at the rate the throttle lets through;</li>
 *   <li><b>big</b>: bodies up to the limits — 1 MiB JSON (Content-Length), chunked bodies past 1 MiB (413), and
 *   13 MiB base64 media (just under the media limit; garbage bytes, so 400 after decoding) with a valid token;</li>
 *   <li><b>connections</b>: up to {@code --idle} idle TCP connections (half of them a request line and no more),
 *   reopened when the server closes them;</li>
 *   <li><b>hub</b>: WebSockets to /chathub with an operator token sending garbage: no handshake, a bad handshake,
 *   records of garbage JSON, unknown and malformed invocations, binary frames with invalid UTF-8, records growing
 *   to several MB without a separator;</li>
 *   <li><b>tokens</b>: forged, truncated, alg-none, 8 KB and random tokens at REST, negotiate and the upgrade.</li>
 * </ul>
 * Then it waits {@code --settle} seconds without load. It prints one RSS line every 5 s, counts of answers by
 * status class, and at the end {@code RESULT peak_rss_mb=… final_rss_mb=… settled_rss_mb=… 5xx=… ready=…} (the
 * last line, for scripts). Options (defaults): --host 127.0.0.1 --port 8080 --server-pid (none: no RSS) --seconds 60
 * --settle 15 --idle 1000 --login demo --password demo.
 */
public final class FuzzLoad {
    static String host = "127.0.0.1";
    static int port = 8080;
    static long serverPid = -1;
    static int seconds = 60;
    static int settle = 15;
    static int idle = 1000;
    static String login = "demo";
    static String password = "demo";

    static volatile boolean running = true;
    static final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    static final AtomicLong peakRssKb = new AtomicLong();
    static String companyToken;
    static String operatorToken;
    static long organizationId;
    static long chatId = 1;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--server-pid" -> serverPid = Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--settle" -> settle = Integer.parseInt(args[++i]);
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--login" -> login = args[++i];
                case "--password" -> password = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) throw new IllegalArgumentException("loopback only");
        setUp();
        long idleRss = rssKb();
        System.out.printf("before load: rss %d MB%n", idleRss / 1024);

        Thread sampler = Thread.ofPlatform().daemon().start(FuzzLoad::sample);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 6; i++) workers.add(worker("malformed", FuzzLoad::malformed));
        for (int i = 0; i < 32; i++) {
            InetAddress from = InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) (i + 2)});
            workers.add(worker("logins", () -> wrongLogins(from)));
        }
        for (int i = 0; i < 2; i++) workers.add(worker("big", FuzzLoad::bigJson));
        workers.add(worker("big", FuzzLoad::chunked));
        for (int i = 0; i < 2; i++) workers.add(worker("big", FuzzLoad::bigMedia));
        workers.add(worker("connections", FuzzLoad::idleConnections));
        for (int i = 0; i < 8; i++) workers.add(worker("hub", FuzzLoad::hubGarbage));
        for (int i = 0; i < 4; i++) workers.add(worker("tokens", FuzzLoad::badTokens));

        Thread.sleep(seconds * 1000L);
        running = false;
        long endRss = rssKb();
        for (Thread t : workers) t.join(30_000);
        closeIdle();
        System.out.printf("load over: rss %d MB; settling %d s%n", endRss / 1024, settle);
        Thread.sleep(settle * 1000L);
        long settledRss = rssKb();
        sampler.interrupt();

        int ready = status(HttpRequest.newBuilder(uri("/health/ready")).GET().build());
        String metrics = text(HttpRequest.newBuilder(uri("/metrics")).GET().build());
        System.out.println("answers by kind and status: " + new TreeMap<>(counts));
        System.out.printf("jvm after settling: heap used %d MB of %d MB committed (max %s), non-heap used %d MB, direct buffers %d MB%n",
                metric(metrics, "jvm_memory_used_bytes\\{area=\"heap\"") >> 20, metric(metrics, "jvm_memory_committed_bytes\\{area=\"heap\"") >> 20,
                maxHeap(metrics), metric(metrics, "jvm_memory_used_bytes\\{area=\"nonheap\"") >> 20,
                metric(metrics, "jvm_buffer_memory_used_bytes\\{id=\"direct\"") >> 20);
        long fivexx = counts.entrySet().stream().filter(e -> e.getKey().endsWith(" 5xx")).mapToLong(e -> e.getValue().sum()).sum();
        System.out.printf("RESULT idle_rss_mb=%d peak_rss_mb=%d final_rss_mb=%d settled_rss_mb=%d 5xx=%d ready=%d%n",
                idleRss / 1024, peakRssKb.get() / 1024, endRss / 1024, settledRss / 1024, fivexx, ready);
        System.exit(0);
    }

    // ---- setup ----

    static void setUp() throws Exception {
        companyToken = unquote(text(post("/api/company/get-token", "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}", null)));
        Matcher org = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(text(get("/api/company/organization", companyToken)));
        if (!org.find()) throw new IllegalStateException("no organization");
        organizationId = Long.parseLong(org.group(1));
        Matcher op = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(text(get("/api/operator?organizationId=" + organizationId, companyToken)));
        if (!op.find()) throw new IllegalStateException("no operator");
        String expires = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        operatorToken = unquote(text(post("/api/operator/get-token", "{\"id\":" + op.group(1) + ",\"expiresAt\":\"" + expires + "\"}", companyToken)));
        String incoming = text(post("/api/chat/incoming", "{\"organizationId\":" + organizationId
                + ",\"client\":{\"externalId\":\"fuzz-1\",\"name\":\"Fuzz\"},\"textMessage\":\"hello\"}", companyToken));
        Matcher chat = Pattern.compile("\"chatId\"\\s*:\\s*(\\d+)").matcher(incoming);
        if (chat.find()) chatId = Long.parseLong(chat.group(1));
        System.out.printf("setup: organization %d, chat %d, tokens ok%n", organizationId, chatId);
    }

    // ---- the kinds of abuse ----

    static final String[] JSON_ENDPOINTS = {"/api/company/get-token", "/api/chat/incoming", "/api/operator/synchronize",
            "/api/operator/get-token", "/api/operator/status", "/api/operator/validate-token", "/api/chat/%d/message",
            "/api/chat/%d/assign", "/api/chat/%d/read", "/api/company/organization", "/chathub/negotiate"};

    static void malformed() throws Exception {
        HttpClient http = client(null);
        while (running) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String path = JSON_ENDPOINTS[r.nextInt(JSON_ENDPOINTS.length)].formatted(chatId);
            byte[] body = switch (r.nextInt(8)) {
                case 0 -> "{\"login\":\"a\",\"password\":".getBytes(StandardCharsets.UTF_8); // truncated
                case 1 -> randomBytes(r.nextInt(1, 4096));
                case 2 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'}; // bad UTF-8
                case 3 -> ("[".repeat(100_000)).getBytes(StandardCharsets.US_ASCII); // deep nesting
                case 4 -> "{\"organizationId\":\"x\",\"client\":[],\"textMessage\":{\"a\":1e999999}}".getBytes(StandardCharsets.UTF_8);
                case 5 -> ("{\"textMessage\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
                case 6 -> "[{\"organizationId\":1,\"name\":null},{},[],1,\"\"]".getBytes(StandardCharsets.UTF_8);
                default -> "{\"id\":-1,\"expiresAt\":\"not a date\",\"status\":99,\"seq\":1e308}".getBytes(StandardCharsets.UTF_8);
            };
            String token = r.nextBoolean() ? companyToken : null;
            send(http, "malformed", HttpRequest.newBuilder(uri(path)).method(r.nextInt(10) == 0 ? "PUT" : "POST",
                    HttpRequest.BodyPublishers.ofByteArray(body)), token, "application/json");
        }
    }

    static void wrongLogins(InetAddress from) throws Exception {
        HttpClient http = client(from);
        while (running) {
            String who = ThreadLocalRandom.current().nextInt(4) == 0 ? login : "nobody-" + ThreadLocalRandom.current().nextInt(1000);
            send(http, "logins", HttpRequest.newBuilder(uri("/api/company/get-token")).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"login\":\"" + who + "\",\"password\":\"guess-" + System.nanoTime() + "\"}")), null, "application/json");
        }
    }

    static void bigJson() throws Exception {
        HttpClient http = client(null);
        String body = "{\"organizationId\":\"" + "9".repeat(1_048_576 - 40) + "\"}"; // just under 1 MiB
        while (running) {
            send(http, "big", HttpRequest.newBuilder(uri("/api/operator/synchronize")).POST(HttpRequest.BodyPublishers.ofString(body)),
                    companyToken, "application/json");
        }
    }

    /** Chunked bodies (no Content-Length) of 1.5 MiB: the server must stop reading at its limit. */
    static void chunked() throws Exception {
        HttpClient http = client(null);
        byte[] part = "[1,2,3,4,5,6,7,8,9,10,".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        while (running) {
            var body = HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                long left = 1_572_864;
                int pos;

                @Override
                public int read() {
                    if (left-- <= 0) return -1;
                    return part[pos++ % part.length];
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left <= 0) return -1;
                    int n = (int) Math.min(len, left);
                    for (int i = 0; i < n; i++) b[off + i] = part[pos++ % part.length];
                    left -= n;
                    return n;
                }
            });
            String path = ThreadLocalRandom.current().nextBoolean() ? "/api/operator/synchronize" : "/api/chat/" + chatId + "/message";
            send(http, "big", HttpRequest.newBuilder(uri(path)).POST(body), companyToken, "application/json");
        }
    }

    /** 13 MiB of base64 (just under the media limit) that decodes to garbage: parsed, decoded, refused with 400. */
    static void bigMedia() throws Exception {
        HttpClient http = client(null);
        String data = Base64.getEncoder().encodeToString(randomBytes(10 * 1024 * 1024 - 4096));
        String body = "{\"textMessage\":\"file\",\"media\":{\"name\":\"x.bin\",\"format\":\"bin\",\"type\":4,\"dataBase64\":\"" + data + "\"}}";
        data = null;
        while (running) {
            String path = ThreadLocalRandom.current().nextBoolean() ? "/api/chat/" + chatId + "/message" : "/api/chat/incoming";
            send(http, "big", HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)), companyToken, "application/json");
        }
    }

    static final List<Socket> idleSockets = new ArrayList<>();

    static void idleConnections() throws Exception {
        while (running) {
            synchronized (idleSockets) {
                idleSockets.removeIf(Socket::isClosed);
            }
            int have;
            synchronized (idleSockets) {
                have = idleSockets.size();
            }
            for (int i = have; i < idle && running; i++) {
                try {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(host, port), 5_000);
                    if (i % 2 == 0) s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                    synchronized (idleSockets) {
                        idleSockets.add(s);
                    }
                    count("connections", "opened");
                    // a reader that notices the server closing it
                    Thread.ofVirtual().start(() -> {
                        try (InputStream in = s.getInputStream()) {
                            while (in.read(new byte[1024]) >= 0) { /* discard */ }
                        } catch (IOException ignored) {
                            // closed
                        }
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // closed
                        }
                        count("connections", "closed by server");
                    });
                } catch (IOException e) {
                    count("connections", "connect failed");
                }
            }
            Thread.sleep(1000);
        }
    }

    static void closeIdle() {
        synchronized (idleSockets) {
            for (Socket s : idleSockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            idleSockets.clear();
        }
    }

    static final char RS = '\u001e';

    static void hubGarbage() throws Exception {
        HttpClient http = client(null);
        while (running) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            var closed = new CompletableFuture<Integer>();
            WebSocket ws;
            try {
                ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(URI.create("ws://" + host + ":" + port + "/chathub?access_token=" + operatorToken), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                w.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                                closed.complete(status);
                                return null;
                            }

                            @Override
                            public void onError(WebSocket w, Throwable error) {
                                closed.complete(-1);
                            }
                        }).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                count("hub", "connect failed (" + cause.getClass().getSimpleName() + ")");
                Thread.sleep(100);
                continue;
            }
            count("hub", "connected");
            try {
                switch (r.nextInt(7)) {
                    case 0 -> ws.sendText("{\"protocol\":\"messagepack\",\"version\":99}" + RS, true).get(10, TimeUnit.SECONDS);
                    case 1 -> ws.sendText("not json at all" + RS, true).get(10, TimeUnit.SECONDS);
                    case 2 -> { // handshake, then garbage records
                        ws.sendText("{\"protocol\":\"json\",\"version\":1}" + RS, true).get(10, TimeUnit.SECONDS);
                        for (int i = 0; i < 200 && running && !closed.isDone(); i++) {
                            String rec = switch (i % 5) {
                                case 0 -> "{\"type\":1,\"target\":\"NoSuchMethod\",\"arguments\":[]}";
                                case 1 -> "{\"type\":1,\"invocationId\":\"" + i + "\",\"target\":\"SendMessage\",\"arguments\":[\"x\",{}]}";
                                case 2 -> "{\"type\":42}";
                                case 3 -> "[" + "[".repeat(5000);
                                default -> "{\"type\":1,\"invocationId\":\"" + i + "\",\"target\":\"Typing\",\"arguments\":[" + chatId + "]}";
                            };
                            ws.sendText(rec + RS, true).get(10, TimeUnit.SECONDS);
                        }
                    }
                    case 3 -> { // a record that grows past the limit without a separator
                        ws.sendText("{\"protocol\":\"json\",\"version\":1}" + RS, true).get(10, TimeUnit.SECONDS);
                        String chunk = "a".repeat(256 * 1024);
                        for (int i = 0; i < 64 && running && !closed.isDone(); i++) ws.sendText(chunk, true).get(10, TimeUnit.SECONDS);
                    }
                    case 4 -> ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE}), true).get(10, TimeUnit.SECONDS);
                    case 5 -> { // many small invocations as fast as it can
                        ws.sendText("{\"protocol\":\"json\",\"version\":1}" + RS, true).get(10, TimeUnit.SECONDS);
                        StringBuilder burst = new StringBuilder();
                        for (int i = 0; i < 500; i++) burst.append("{\"type\":1,\"target\":\"Typing\",\"arguments\":[").append(chatId).append("]}").append(RS);
                        for (int i = 0; i < 10 && running && !closed.isDone(); i++) ws.sendText(burst, true).get(10, TimeUnit.SECONDS);
                    }
                    default -> { // half a frame of text, then silence
                        ws.sendText("{\"protocol\":\"json\",", false).get(10, TimeUnit.SECONDS);
                        Thread.sleep(r.nextInt(200, 2000));
                    }
                }
            } catch (Exception e) {
                count("hub", "send failed");
            }
            try {
                Integer status = closed.get(2, TimeUnit.SECONDS);
                count("hub", "closed by server " + status);
            } catch (Exception e) {
                ws.abort();
                count("hub", "aborted by us");
            }
        }
    }

    static void badTokens() throws Exception {
        HttpClient http = client(null);
        String[] parts = companyToken.split("\\.");
        Random r = new Random();
        while (running) {
            String token = switch (r.nextInt(6)) {
                case 0 -> Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + ".";
                case 1 -> parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
                case 2 -> "x".repeat(8192);
                case 3 -> companyToken.substring(0, companyToken.length() / 2);
                case 4 -> Base64.getUrlEncoder().encodeToString(randomBytes(r.nextInt(1, 600)));
                default -> "\"" + parts[0] + ".." + "\"";
            };
            switch (r.nextInt(3)) {
                case 0 -> send(http, "tokens", HttpRequest.newBuilder(uri("/api/chat/chats?per_page=100")).GET(), token, null);
                case 1 -> send(http, "tokens", HttpRequest.newBuilder(uri("/chathub/negotiate?negotiateVersion=1"))
                        .POST(HttpRequest.BodyPublishers.noBody()), token, null);
                default -> {
                    try {
                        http.newWebSocketBuilder().buildAsync(URI.create("ws://" + host + ":" + port + "/chathub?access_token="
                                + URLEncoder.encode(token, StandardCharsets.UTF_8)), new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS).abort();
                        count("tokens", "upgrade ACCEPTED");
                    } catch (Exception e) {
                        count("tokens", "upgrade refused");
                    }
                }
            }
        }
    }

    // ---- plumbing ----

    interface Work {
        void run() throws Exception;
    }

    static Thread worker(String name, Work work) {
        return Thread.ofVirtual().name("fuzz-" + name).start(() -> {
            while (running) {
                try {
                    work.run();
                } catch (Exception e) {
                    count(name, "error " + e.getClass().getSimpleName());
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
    }

    static HttpClient client(InetAddress localAddress) {
        var b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (localAddress != null) b.localAddress(localAddress);
        return b.build();
    }

    static void send(HttpClient http, String kind, HttpRequest.Builder request, String token, String contentType) {
        if (token != null) request.header("Authorization", "Bearer " + token);
        if (contentType != null) request.header("Content-Type", contentType);
        request.timeout(Duration.ofSeconds(30));
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            count(kind, (response.statusCode() / 100) + "xx");
            if (response.statusCode() >= 500) count(kind, "status " + response.statusCode());
        } catch (IOException e) {
            count(kind, "io error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void count(String kind, String what) {
        counts.computeIfAbsent(kind + " " + what, k -> new LongAdder()).increment();
    }

    static URI uri(String path) {
        return URI.create("http://" + host + ":" + port + path);
    }

    static HttpRequest post(String path, String json, String token) {
        var b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b.build();
    }

    static HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(uri(path)).GET().header("Authorization", "Bearer " + token).build();
    }

    static String text(HttpRequest request) throws IOException, InterruptedException {
        try (HttpClient http = client(null)) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) throw new IllegalStateException(request.uri() + " -> " + r.statusCode() + " " + r.body());
            return r.body();
        }
    }

    static int status(HttpRequest request) throws IOException, InterruptedException {
        try (HttpClient http = client(null)) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    static String unquote(String s) {
        String t = s.strip();
        return t.startsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static long metric(String metrics, String prefix) {
        long sum = 0;
        Matcher m = Pattern.compile("^" + prefix + "[^}]*}\\s+([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(metrics);
        while (m.find()) sum += (long) Double.parseDouble(m.group(1));
        return sum;
    }

    static String maxHeap(String metrics) {
        long max = metric(metrics, "jvm_memory_max_bytes\\{area=\"heap\"");
        return max <= 0 ? "?" : (max >> 20) + " MB";
    }

    /** The server's resident set in KB (VmRSS), or 0 without --server-pid. */
    static long rssKb() {
        if (serverPid < 0) return 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + serverPid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    static void sample() {
        long started = System.nanoTime();
        int tick = 0;
        while (true) {
            long rss = rssKb();
            peakRssKb.accumulateAndGet(rss, Math::max);
            if (tick % 5 == 0) {
                System.out.printf("t=%3ds rss %4d MB (peak %4d MB)%s%n", (System.nanoTime() - started) / 1_000_000_000L, rss / 1024,
                        peakRssKb.get() / 1024, running ? "" : " settling");
            }
            tick++;
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
