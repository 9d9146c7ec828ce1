/*
 * Persistence throughput of the message path WITHOUT the network: ChatHub runs in this JVM, and many virtual
 * threads call the chat service directly — ChatService.send (a company's message into an existing chat) or
 * ChatService.incoming (a client's message: client lookup + append, as POST /api/chat/incoming does after
 * parsing). Each call returns only after its group commit (and after its events were published to the bus;
 * no hub connections are open, so nobody receives them). It measures what the hub benchmark cannot separate
 * on 2 shared cores: how many messages per second the service + store + group commit persist.
 *
 *   java -cp target/chathub.jar bench/PersistLoad.java                       # SQLite in a temp dir
 *   java -cp target/chathub.jar bench/PersistLoad.java --postgres            # a fresh schema in 127.0.0.1:5432/test
 *   options: --path send|incoming|both (both) --chats 1000 --senders 256 --warmup 10 --seconds 15
 *            --webhook: a webhook of the company on message.created, to a receiver in this JVM (answers 204 at once)
 *
 * Prints messages/s, ack latency p50/p95/p99/max, mean group-commit batch, CPU per message (whole process and
 * the writer thread), and checks that the chats' lastSeq grew by exactly the number of acknowledged messages.
 * bench/persist.sh runs it with a fresh build; results in bench/RESULTS-hub.md. With --webhook it also prints, once
 * the queue has drained, how many deliveries arrived (one per message, none twice), how long after the change
 * (envelope createdAt to arrival: p50/p99/max), and the deliveries/s the sender kept up (bench/RESULTS.md).
 */

import io.chathub.ChatHub;
import io.chathub.auth.Principal;
import io.chathub.chat.ChatService;
import io.chathub.chat.ChatStore;
import io.chathub.config.Config;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

public class PersistLoad {
    static boolean postgres;
    static String path = "both";
    static int chats = 1000, senders = 256, warmup = 10, seconds = 15;
    static boolean webhook;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--postgres" -> postgres = true;
                case "--path" -> path = args[++i];
                case "--chats" -> chats = Integer.parseInt(args[++i]);
                case "--senders" -> senders = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--webhook" -> webhook = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path data = Files.createTempDirectory("chathub-persist");
        String schema = postgres ? "persistbench_" + ProcessHandle.current().pid() : null;
        Config.Builder cfg = Config.builder().host("127.0.0.1").port(0).dataDir(data).demo(true)
                .webhooks(Config.builder().build().webhooks().withAllowPrivate(true)); // the receiver is on loopback
        if (postgres) {
            try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
                c.createStatement().execute("CREATE SCHEMA " + schema);
            }
            cfg.dbUrl("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema).dbUser("postgres");
        }
        try (ChatHub hub = ChatHub.start(cfg.build())) {
            run(hub);
        } finally {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            if (postgres) {
                try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")) {
                    c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
        System.exit(0);
    }

    static void run(ChatHub hub) throws Exception {
        long companyId = hub.database().read(h -> h.createQuery("SELECT id FROM company WHERE login = 'demo'")
                .mapTo(Long.class).one());
        List<Long> orgs = hub.database().read(h -> h.createQuery("SELECT id FROM organization WHERE company_id = :c ORDER BY id")
                .bind("c", companyId).mapTo(Long.class).list());
        var company = new Principal.Company(companyId, "persist-bench", Instant.now().plusSeconds(86_400));
        ChatService service = hub.chats();
        System.out.printf(Locale.ROOT, "PersistLoad: %s, %d cores, %s, chats=%d senders=%d warmup=%ds measured=%ds%n",
                postgres ? "PostgreSQL" : "SQLite", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"), chats, senders, warmup, seconds);

        Receiver receiver = webhook ? Receiver.start(hub) : null;
        // Setup: one chat per client, opened by its first inbound message.
        long[] chatIds = new long[chats];
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < chats; i++) {
                int c = i;
                pool.submit(() -> chatIds[c] = service.incoming(company, incoming(orgs.get(c % orgs.size()), c, "hello")).chatId());
            }
        }
        for (String p : path.equals("both") ? List.of("send", "incoming") : List.of(path)) {
            phase(hub, service, company, orgs, chatIds, p, "warm-up", warmup);
            phase(hub, service, company, orgs, chatIds, p, "measured", seconds);
        }
        if (receiver != null) receiver.report(sumLastSeq(hub));
    }

    /** The integrator's endpoint: records each delivery's id and how long after its change it arrived. */
    static final class Receiver {
        final java.util.concurrent.ConcurrentHashMap<String, Boolean> ids = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.ConcurrentLinkedQueue<Long> lagMillis = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final LongAdder requests = new LongAdder();
        final AtomicLong first = new AtomicLong(), last = new AtomicLong();

        static Receiver start(ChatHub hub) throws Exception {
            Receiver r = new Receiver();
            var http = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 256);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.createContext("/", ex -> {
                try (ex) {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    long now = System.currentTimeMillis();
                    r.first.compareAndSet(0, now);
                    r.last.set(now);
                    r.requests.increment();
                    r.ids.put(ex.getRequestHeaders().getFirst("X-ChatHub-Delivery"), Boolean.TRUE);
                    String json = new String(body, java.nio.charset.StandardCharsets.UTF_8);
                    int at = json.indexOf("\"createdAt\":\"") + 13;
                    r.lagMillis.add(now - Instant.parse(json.substring(at, json.indexOf('"', at))).toEpochMilli());
                    ex.sendResponseHeaders(204, -1);
                }
            });
            http.start();
            var client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + hub.port();
            String token = client.send(HttpRequest.newBuilder(URI.create(base + "/api/company/get-token")).header("Accept", "text/plain")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"demo\",\"password\":\"demo\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            var made = client.send(HttpRequest.newBuilder(URI.create(base + "/api/company/webhooks")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"url\":\"http://127.0.0.1:" + http.getAddress().getPort() + "/hooks\",\"events\":[\"message.created\"]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (made.statusCode() != 201) throw new IllegalStateException("creating the webhook: " + made.body());
            return r;
        }

        /** Waits for one delivery per message stored since the webhook was made (at most 5 minutes), then prints. */
        void report(long messages) throws InterruptedException {
            long t0 = System.nanoTime();
            int atLoadEnd = ids.size();
            while (ids.size() < messages && System.nanoTime() - t0 < 300_000_000_000L) Thread.sleep(50);
            double drain = (System.nanoTime() - t0) / 1e9;
            long[] lag = lagMillis.stream().mapToLong(Long::longValue).sorted().toArray();
            double span = Math.max(1, last.get() - first.get()) / 1e3;
            System.out.printf(Locale.ROOT, "webhook  %,d messages, %,d deliveries (%,d requests: %,d repeated), drained %.1f s after the load"
                            + " (%,.0f deliveries/s with no load); change to arrival p50 %d  p99 %d  max %d ms; %,.0f deliveries/s in all%n",
                    messages, ids.size(), requests.sum(), requests.sum() - ids.size(), drain, (ids.size() - atLoadEnd) / Math.max(drain, 1e-3),
                    lag.length == 0 ? 0 : lag[(int) (lag.length * 0.5)], lag.length == 0 ? 0 : lag[(int) Math.min(lag.length - 1, lag.length * 0.99)],
                    lag.length == 0 ? 0 : lag[lag.length - 1], ids.size() / span);
        }
    }

    static ChatService.Incoming incoming(long org, int client, String text) {
        return new ChatService.Incoming(org, 9, new ChatStore.ClientInput(9, "persist-" + client, "Client " + client, null, null),
                text, null, null, null);
    }

    static void phase(ChatHub hub, ChatService service, Principal.Company company, List<Long> orgs, long[] chatIds,
                      String p, String label, int secs) throws Exception {
        long seqBefore = sumLastSeq(hub);
        double[] batchBefore = batch(hub);
        var threads = ManagementFactory.getThreadMXBean();
        long writerTid = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("chathub-message-writer")).findFirst().orElseThrow().threadId();
        long writerCpu0 = threads.getThreadCpuTime(writerTid);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        LongAdder acked = new LongAdder();
        AtomicLong failures = new AtomicLong();
        long[][] samples = new long[senders][];
        long start = System.nanoTime(), end = start + secs * 1_000_000_000L;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < senders; s++) {
                int sender = s;
                pool.submit(() -> {
                    long[] lat = new long[1024];
                    int n = 0;
                    for (int k = sender; System.nanoTime() < end; k += senders) {
                        int c = k % chatIds.length;
                        long t0 = System.nanoTime();
                        try {
                            if (p.equals("send")) {
                                service.send(company, chatIds[c], new ChatService.Outgoing("m " + k, 0, null, null));
                            } else {
                                service.incoming(company, incoming(orgs.get(c % orgs.size()), c, "m " + k));
                            }
                        } catch (RuntimeException e) {
                            if (failures.getAndIncrement() < 3) e.printStackTrace();
                            continue;
                        }
                        if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                        lat[n++] = System.nanoTime() - t0;
                        acked.increment();
                    }
                    samples[sender] = Arrays.copyOf(lat, n);
                });
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = os.getProcessCpuTime() - cpu0;
        long writerCpu = threads.getThreadCpuTime(writerTid) - writerCpu0;
        long seqAfter = sumLastSeq(hub);
        double[] batchAfter = batch(hub);
        long n = acked.sum();
        long[] all = Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
        double meanBatch = (batchAfter[1] - batchBefore[1]) / Math.max(1, batchAfter[0] - batchBefore[0]);
        System.out.printf(Locale.ROOT, "%-8s %-8s %,9.0f msg/s  ack p50 %6.2f  p95 %6.2f  p99 %6.2f  max %7.2f ms  batch %5.1f"
                        + "  CPU/msg: process %4.0f µs, writer %4.0f µs  failures %d  persisted=acked: %s (%d vs %d)%n",
                p, label, n / elapsed, pct(all, 50), pct(all, 95), pct(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                meanBatch, cpu / 1e3 / Math.max(1, n), writerCpu / 1e3 / Math.max(1, n), failures.get(),
                seqAfter - seqBefore == n ? "yes" : "NO", seqAfter - seqBefore, n);
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    static long sumLastSeq(ChatHub hub) {
        return hub.database().read(h -> h.createQuery("SELECT COALESCE(SUM(last_seq), 0) FROM chat").mapTo(Long.class).one());
    }

    /** {count, sum} of the group-commit batch sizes, from /metrics. */
    static double[] batch(ChatHub hub) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double count = 0, sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("chathub_message_writer_batch_count")) count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("chathub_message_writer_batch_sum")) sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return new double[] {count, sum};
    }
}
