/*
 * Messenger channels under load, against the local Telegram Bot API double (src/test/java/.../TelegramDouble.java):
 *
 *   inbound   Telegram updates POSTed to a bot's webhook at --rate updates/s (each a new text of one of --users
 *             customers); latency from the POST to the ReceiveMessage on every operator hub connection of the
 *             organization (raw WebSocket, SignalR JSON protocol; same JVM, same clock).
 *   outbound  replies sent (ChatService.send, in this JVM) at --rate msg/s over --bots bots x --users customers while
 *             the double answers every call after --latency ms; delivered msg/s on the double, send -> delivery
 *             latency, and every chat's order checked on the double's side.
 *   crash     a server in a child process gets replies over REST while it is killed (SIGKILL) and started again,
 *             --cycles times; then exact reconciliation on the double: every reply the server stored reached
 *             Telegram (lost = 0), each chat in order, duplicates counted (Telegram's sendMessage has no idempotency).
 *
 *   bench/channels.sh [--postgres] [--mode inbound|outbound|crash|all] [-- options]
 *   options: --rate --seconds --warmup --users --bots --latency --connections --cycles
 *
 * Runs ChatHub in this JVM (inbound, outbound) or as child processes (crash) with the class path
 * target/chathub.jar:target/test-classes. Prints one RESULT line per mode.
 */

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.ChatHub;
import io.chathub.auth.Principal;
import io.chathub.chat.ChatService;
import io.chathub.config.Config;
import io.chathub.testing.Api;
import io.chathub.testing.ChildServer;
import io.chathub.testing.messengers.TelegramDouble;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

public class ChannelLoad {
    static final String PUBLIC_URL = "https://chathub.example.com";
    static boolean postgres;
    static String mode = "all";
    static boolean viaIncoming; // inbound: POST /api/chat/incoming instead of the webhook (a baseline of the same load)
    static int rate = -1, seconds = 20, warmup = 10, users = -1, bots = -1, latency = 50, connections = 4, cycles = 20;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--postgres" -> postgres = true;
                case "--mode" -> mode = args[++i];
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--bots" -> bots = Integer.parseInt(args[++i]);
                case "--latency" -> latency = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--cycles" -> cycles = Integer.parseInt(args[++i]);
                case "--via-incoming" -> viaIncoming = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "ChannelLoad: %s, %d cores, JDK %s, load average %s%n", postgres ? "PostgreSQL" : "SQLite",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                Files.readString(Path.of("/proc/loadavg")).strip());
        for (String m : mode.equals("all") ? List.of("inbound", "outbound", "crash") : List.of(mode)) {
            switch (m) {
                case "inbound" -> inProcess(ChannelLoad::inbound);
                case "outbound" -> inProcess(ChannelLoad::outbound);
                case "crash" -> crash();
                default -> throw new IllegalArgumentException("--mode inbound|outbound|crash|all");
            }
        }
        System.exit(0);
    }

    interface Bench {
        void run(ChatHub hub, TelegramDouble telegram) throws Exception;
    }

    /** A fresh server in this JVM (SQLite in a temp dir, or a fresh PostgreSQL schema) with the Telegram double. */
    static void inProcess(Bench bench) throws Exception {
        Path data = Files.createTempDirectory("chathub-channelbench");
        String schema = postgres ? "channelbench_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000 : null;
        try (var telegram = new TelegramDouble()) {
            Config.Builder cfg = Config.builder().host("127.0.0.1").port(0).dataDir(data).demo(true)
                    .publicUrl(PUBLIC_URL).telegramApiUrl(telegram.url());
            if (postgres) {
                sql("CREATE SCHEMA " + schema);
                cfg.dbUrl("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema).dbUser("postgres");
            }
            try (ChatHub hub = ChatHub.start(cfg.build())) {
                telegram.route(PUBLIC_URL, URI.create("http://127.0.0.1:" + hub.port() + "/"));
                bench.run(hub, telegram);
            }
        } finally {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            if (postgres) sql("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    static void sql(String statement) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
            c.createStatement().execute(statement);
        }
    }

    static String login(Api api) {
        return api.post("/api/company/get-token").json(Map.of("login", "demo", "password", "demo")).send().jsonString();
    }

    static String bot(Api api, String token, long org, TelegramDouble telegram, String name) {
        String botToken = telegram.newBot(name);
        var r = api.post("/api/company/organization/" + org + "/channels").bearer(token).json(Map.of("type", "telegram", "botToken", botToken)).send();
        if (r.status() != 201) throw new IllegalStateException("channel: " + r);
        return botToken;
    }

    static String update(long updateId, long user, String text) {
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + updateId + ",\"from\":{\"id\":" + user
                + ",\"is_bot\":false,\"first_name\":\"Customer\",\"last_name\":\"" + user + "\"},\"chat\":{\"id\":" + user
                + ",\"type\":\"private\"},\"date\":" + Instant.now().getEpochSecond() + ",\"text\":\"" + text + "\"}}";
    }

    // ---- inbound: webhook -> operator hub

    static void inbound(ChatHub hub, TelegramDouble telegram) throws Exception {
        int r = rate > 0 ? rate : 500, u = users > 0 ? users : 200;
        URI base = URI.create("http://127.0.0.1:" + hub.port() + "/");
        Api api = new Api(base);
        String token = login(api);
        long org = 1;
        String botToken = bot(api, token, org, telegram, "Inbound Bot");
        var bot = telegram.bot(botToken);
        URI webhook = base.resolve(bot.webhookUrl.substring(PUBLIC_URL.length()));
        JsonNode operators = api.get("/api/operator?organizationId=" + org).bearer(token).send().json();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong measuringFrom = new AtomicLong(Long.MAX_VALUE);
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            long operator = operators.get(i % operators.size()).get("id").longValue();
            String opToken = api.post("/api/operator/get-token").bearer(token)
                    .json(Map.of("id", operator, "expiresAt", Instant.now().plusSeconds(3600).toString())).send().jsonString();
            sockets.add(hubConnection(base, opToken, latencies, measuringFrom));
        }
        HttpClient[] clients = new HttpClient[2];
        for (int i = 0; i < clients.length; i++) clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong updateIds = new AtomicLong(1);
        AtomicInteger failed = new AtomicInteger();
        List<Long> webhookAnswers = java.util.Collections.synchronizedList(new ArrayList<>());
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        long interval = 1_000_000_000L / r;
        long start = System.nanoTime(), measured = start + warmup * 1_000_000_000L, end = measured + seconds * 1_000_000_000L;
        measuringFrom.set(measured);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = 0;
        long sent = 0, next = start;
        // Open loop at the offered rate, at most 128 requests in flight; a latency counts from the update's scheduled
        // time, so a stall of the server is not hidden by a generator that waits for it (no coordinated omission).
        var inFlight = new java.util.concurrent.Semaphore(128);
        while (next < end) {
            if (cpu0 == 0 && next >= measured) cpu0 = os.getProcessCpuTime();
            LockSupport.parkNanos(next - System.nanoTime());
            long id = updateIds.getAndIncrement();
            long user = 900_000 + id % u;
            HttpClient client = clients[(int) (id % clients.length)];
            long t0 = next;
            inFlight.acquireUninterruptibly();
            pool.submit(() -> {
                var req = viaIncoming
                        ? HttpRequest.newBuilder(base.resolve("/api/chat/incoming")).header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"organizationId\":" + org + ",\"source\":2,\"client\":{\"externalId\":\""
                                        + user + "\",\"name\":\"Customer\"},\"textMessage\":\"t:" + t0 + "\"}")).build()
                        : HttpRequest.newBuilder(webhook).header("Content-Type", "application/json")
                                .header("X-Telegram-Bot-Api-Secret-Token", bot.secretToken)
                                .POST(HttpRequest.BodyPublishers.ofString(update(id, user, "t:" + t0))).build();
                try {
                    var res = client.send(req, HttpResponse.BodyHandlers.ofString());
                    if (res.statusCode() != 200) {
                        if (failed.incrementAndGet() <= 3) System.out.println("         webhook answered " + res.statusCode() + " " + res.body());
                    } else if (t0 >= measured) webhookAnswers.add(System.nanoTime() - t0);
                } catch (Exception e) {
                    if (failed.incrementAndGet() <= 3) System.out.println("         webhook failed: " + e);
                } finally {
                    inFlight.release();
                }
            });
            if (next >= measured) sent++;
            next += interval;
        }
        long cpu = os.getProcessCpuTime() - cpu0;
        Thread.sleep(2000);
        long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] wh = webhookAnswers.stream().mapToLong(Long::longValue).sorted().toArray();
        long chats = hub.database().read(h -> h.createQuery("SELECT COUNT(*) FROM chat").mapTo(Long.class).one());
        System.out.printf(Locale.ROOT, (viaIncoming ? "baseline (POST /api/chat/incoming instead of the webhook)%n" : "") + "inbound  %d updates/s offered for %d s (after %d s warm-up), %d customers, %d operator connections:%n"
                        + "         webhook -> hub delivery p50 %.2f  p95 %.2f  p99 %.2f  max %.2f ms over %d deliveries (expected %d)%n"
                        + "         webhook answer p50 %.2f  p99 %.2f ms; failures %d; chats %d; CPU (server + generator) %.0f µs per update%n",
                r, seconds, warmup, u, connections, pct(lat, 50), pct(lat, 95), pct(lat, 99), max(lat), lat.length, sent * connections,
                pct(wh, 50), pct(wh, 99), failed.get(), chats, cpu / 1e3 / Math.max(1, sent));
        System.out.printf(Locale.ROOT, "RESULT mode=inbound db=%s rate=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f deliveries=%d expected=%d failures=%d%n",
                postgres ? "postgres" : "sqlite", r, pct(lat, 50), pct(lat, 99), max(lat), lat.length, sent * connections, failed.get());
        for (WebSocket ws : sockets) ws.abort();
        pool.shutdownNow();
        api.close();
    }

    /** A raw SignalR JSON-protocol connection (skipNegotiation) that records ReceiveMessage latencies of "t:<nanos>" texts. */
    static WebSocket hubConnection(URI base, String token, List<Long> latencies, AtomicLong measuringFrom) {
        URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/chathub?access_token=" + token);
        var listener = new WebSocket.Listener() {
            final StringBuilder buffer = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                long now = System.nanoTime();
                buffer.append(data);
                int sep;
                while ((sep = buffer.indexOf("\u001e")) >= 0) {
                    String record = buffer.substring(0, sep);
                    buffer.delete(0, sep + 1);
                    int at = record.indexOf("\"t:");
                    if (at >= 0 && record.contains("\"ReceiveMessage\"")) {
                        int endQuote = record.indexOf('"', at + 3);
                        long t0 = Long.parseLong(record.substring(at + 3, endQuote));
                        if (t0 >= measuringFrom.get()) latencies.add(now - t0);
                    }
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, listener).join();
        ws.sendText("{\"protocol\":\"json\",\"version\":1}\u001e", true).join();
        Thread.ofVirtual().start(() -> {
            while (!ws.isOutputClosed()) {
                try {
                    Thread.sleep(10_000);
                    ws.sendText("{\"type\":6}\u001e", true);
                } catch (Exception e) {
                    return;
                }
            }
        });
        return ws;
    }

    // ---- outbound: outbox -> double at --latency ms

    static void outbound(ChatHub hub, TelegramDouble telegram) throws Exception {
        int r = rate > 0 ? rate : 600, b = bots > 0 ? bots : 30, u = users > 0 ? users : 8;
        telegram.latency(Duration.ofMillis(latency));
        URI base = URI.create("http://127.0.0.1:" + hub.port() + "/");
        Api api = new Api(base);
        String token = login(api);
        long companyId = hub.database().read(h -> h.createQuery("SELECT id FROM company WHERE login = 'demo'").mapTo(Long.class).one());
        var company = new Principal.Company(companyId, "channel-bench", Instant.now().plusSeconds(86_400));
        List<Long> chatIds = new ArrayList<>();
        Map<Long, String> peerOf = new HashMap<>();
        long update = 1;
        for (int i = 0; i < b; i++) {
            String botToken = bot(api, token, 1 + i % 2, telegram, "Bot " + i);
            for (int k = 0; k < u; k++) {
                long user = 2_000_000L + i * 1000L + k;
                telegram.deliver(botToken, update(update++, user, "hello"));
                long chat = api.get("/api/chat/chats?tg_user_id=" + user).bearer(token).send().json().get("items").get(0).get("id").longValue();
                chatIds.add(chat);
                peerOf.put(chat, String.valueOf(user));
            }
        }
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        AtomicLong seq = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        long interval = 1_000_000_000L / r;
        long start = System.nanoTime(), end = start + (warmup + seconds) * 1_000_000_000L;
        long next = start, offered = 0;
        // per chat, replies are sent one after the other by one sender per chat (so each chat's order is the send order)
        Map<Long, java.util.concurrent.locks.ReentrantLock> chatLocks = new ConcurrentHashMap<>();
        while (next < end) {
            LockSupport.parkNanos(next - System.nanoTime());
            long n = seq.incrementAndGet();
            long chat = chatIds.get((int) (n % chatIds.size()));
            pool.submit(() -> {
                var lock = chatLocks.computeIfAbsent(chat, c -> new java.util.concurrent.locks.ReentrantLock(true));
                lock.lock();
                try {
                    String text = "o:" + n;
                    sentAt.put(text, System.nanoTime());
                    hub.chats().send(company, chat, new ChatService.Outgoing(text, 0, null, null));
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                } finally {
                    lock.unlock();
                }
            });
            offered++;
            next += interval;
        }
        long offeredUntil = System.nanoTime();
        long deadline = offeredUntil + 120_000_000_000L;
        while (telegram.sent().stream().filter(s -> s.text().startsWith("o:")).count() < offered - failures.get() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long drained = System.nanoTime();
        var sent = telegram.sent().stream().filter(s -> s.text().startsWith("o:")).toList();
        long measuredFrom = start + warmup * 1_000_000_000L;
        long inWindow = sent.stream().filter(s -> s.at() >= measuredFrom && s.at() < end).count();
        long[] lat = sent.stream().filter(s -> s.at() >= measuredFrom).mapToLong(s -> s.at() - sentAt.getOrDefault(s.text(), s.at())).sorted().toArray();
        // order: every chat's texts arrive in increasing n (each chat's sends were serialized above)
        Map<String, Long> lastOfPeer = new HashMap<>();
        int outOfOrder = 0;
        Map<String, Integer> copies = new HashMap<>();
        for (var s : sent) {
            long n = Long.parseLong(s.text().substring(2));
            Long last = lastOfPeer.put(s.chatId(), n);
            if (last != null && last >= n) outOfOrder++;
            copies.merge(s.text(), 1, Integer::sum);
        }
        long dup = copies.values().stream().filter(c -> c > 1).count();
        double rateDelivered = inWindow / (double) seconds;
        System.out.printf(Locale.ROOT, "outbound %d msg/s offered for %d s (+%d s warm-up) over %d bots x %d customers, double latency %d ms:%n"
                        + "         delivered %.0f msg/s in the measured window; all %d of %d delivered %.1f s after the last send%n"
                        + "         send -> delivery p50 %.1f  p99 %.1f  max %.1f ms; out of order %d; duplicates %d; send failures %d%n",
                r, seconds, warmup, b, u, latency, rateDelivered, sent.size(), offered, (drained - offeredUntil) / 1e9,
                pct(lat, 50), pct(lat, 99), max(lat), outOfOrder, dup, failures.get());
        System.out.printf(Locale.ROOT, "RESULT mode=outbound db=%s offered=%d delivered_per_s=%.0f p99_ms=%.1f out_of_order=%d duplicates=%d%n",
                postgres ? "postgres" : "sqlite", r, rateDelivered, pct(lat, 99), outOfOrder, dup);
        pool.shutdownNow();
        api.close();
    }

    // ---- crash: kill -9 cycles, then reconciliation

    static void crash() throws Exception {
        int chats = users > 0 ? users : 16;
        Path data = Files.createTempDirectory("chathub-crashbench");
        String schema = postgres ? "crashbench_" + ProcessHandle.current().pid() : null;
        try (var telegram = new TelegramDouble()) {
            telegram.latency(Duration.ofMillis(latency));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("CHATHUB_DATA_DIR", data.toString());
            env.put("CHATHUB_DEMO", "true");
            env.put("CHATHUB_PUBLIC_URL", PUBLIC_URL);
            env.put("CHATHUB_TELEGRAM_API_URL", telegram.url());
            env.put("CHATHUB_LOG_LEVEL", "WARN");
            if (postgres) {
                sql("CREATE SCHEMA " + schema);
                env.put("CHATHUB_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema);
                env.put("CHATHUB_DB_USER", "postgres");
            }
            Path log = data.resolve("server.log");
            ChildServer server = ChildServer.start(env, log);
            telegram.route(PUBLIC_URL, server.base());
            Api api = new Api(server.base());
            String token = login(api);
            String botToken = bot(api, token, 1, telegram, "Crash Bot");
            List<Long> chatIds = new ArrayList<>();
            for (int i = 0; i < chats; i++) {
                long user = 3_000_000L + i;
                telegram.deliver(botToken, update(i + 1, user, "hello"));
                chatIds.add(api.get("/api/chat/chats?tg_user_id=" + user).bearer(token).send().json().get("items").get(0).get("id").longValue());
            }
            Map<Long, String> acknowledged = new ConcurrentHashMap<>();
            AtomicLong n = new AtomicLong();
            long started = System.nanoTime();
            for (int cycle = 1; cycle <= cycles; cycle++) {
                Api a = api;
                var traffic = Thread.ofVirtual().start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        long k = n.incrementAndGet();
                        long chat = chatIds.get((int) (k % chatIds.size()));
                        try {
                            var r = a.post("/api/chat/" + chat + "/message").bearer(token).json(Map.of("textMessage", "c:" + k)).send();
                            if (r.status() == 200) acknowledged.put(r.json().get("id").longValue(), "c:" + k);
                            Thread.sleep(5);
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                Thread.sleep(1500 + ThreadLocalRandom.current().nextInt(2500));
                server.kill();
                traffic.join();
                api.close();
                server = ChildServer.start(env, log);
                telegram.route(PUBLIC_URL, server.base());
                api = new Api(server.base());
                System.out.printf(Locale.ROOT, "crash    cycle %2d: killed and restarted; %d replies acknowledged so far, %d on Telegram%n",
                        cycle, acknowledged.size(), telegram.sent().size());
            }
            // drain
            long deadline = System.nanoTime() + 180_000_000_000L;
            List<JsonNode> stored = new ArrayList<>();
            while (true) {
                stored.clear();
                for (long chat : chatIds) {
                    for (JsonNode m : api.get("/api/chat/" + chat + "/messages?after=0&limit=1000").bearer(token).send().json()) {
                        if (m.get("author").intValue() != 1) stored.add(m);
                    }
                }
                if (stored.stream().allMatch(m -> m.get("status").intValue() != 0) || System.nanoTime() > deadline) break;
                Thread.sleep(200);
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            Map<String, Integer> copies = new HashMap<>();
            for (var s : telegram.sent()) copies.merge(s.text(), 1, Integer::sum);
            long lost = stored.stream().filter(m -> !copies.containsKey(m.get("message").asText())).count();
            long notStored = acknowledged.keySet().stream().filter(id -> stored.stream().noneMatch(m -> m.get("id").longValue() == id)).count();
            long undelivered = stored.stream().filter(m -> m.get("status").intValue() != 1).count();
            int duplicates = copies.values().stream().mapToInt(c -> c - 1).sum();
            long extra = copies.keySet().stream().filter(t -> stored.stream().noneMatch(m -> m.get("message").asText().equals(t))).count();
            int outOfOrder = 0;
            for (int i = 0; i < chats; i++) {
                long chat = chatIds.get(i);
                List<String> firsts = telegram.sentTo(String.valueOf(3_000_000L + i)).stream().map(TelegramDouble.Sent::text).distinct().toList();
                List<String> inSeq = stored.stream().filter(m -> m.get("chatId").longValue() == chat).map(m -> m.get("message").asText()).toList();
                if (!firsts.equals(inSeq)) outOfOrder++;
            }
            System.out.printf(Locale.ROOT, "crash    %d kill -9 cycles in %.0f s: %d replies stored (%d acknowledged), %d sends on Telegram;%n"
                            + "         lost %d, acknowledged but not stored %d, not Success %d, sent but never stored %d, chats out of order %d, duplicates %d%n",
                    cycles, elapsed, stored.size(), acknowledged.size(), telegram.sent().size(), lost, notStored, undelivered, extra, outOfOrder, duplicates);
            System.out.printf(Locale.ROOT, "RESULT mode=crash db=%s cycles=%d stored=%d lost=%d duplicates=%d out_of_order_chats=%d%n",
                    postgres ? "postgres" : "sqlite", cycles, stored.size(), lost, duplicates, outOfOrder);
            api.close();
            server.close();
        } finally {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            if (postgres) sql("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    static double max(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6;
    }
}
