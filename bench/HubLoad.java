import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Real-time load generator for ChatHub's hub (/chathub): chat-shaped load, delivery latency, throughput and
 * server RSS per idle socket. Single file, JDK only (java.net.http HttpClient and its WebSocket).
 *
 * <pre>
 *   java bench/HubLoad.java --port 8080 --server-pid 1234 --chats 1000 --idle 1000 --send rest
 * </pre>
 *
 * Shape: one organization per {@code --ops-per-org} operators, each operator holding {@code --chats-per-op}
 * chats; every operator has one hub connection and receives every message of its organization (SPEC §3).
 * Each chat is a client: it opens with a first message through POST /api/chat/incoming, then sends either
 * through the same inbound REST API ({@code --send rest}, a few keep-alive HttpClients) or through the hub
 * ({@code --send hub}: SendMessage invoked on "gateway" hub connections, one operator per organization with
 * maxChats 0 that is never routed chats). Each text carries System.nanoTime() of its send; latency is measured
 * where the operator connections receive ReceiveMessage (same JVM, same clock).
 *
 * {@code --send visitor}: each chat is a website visitor of the customer chat widget instead: a session
 * (POST /api/widget/{guid}/session) gives it a visitor token, and its first and later messages go through
 * POST /api/widget/{guid}/messages with that token. {@code --idle-visitors N} adds N visitor sessions, each with a
 * hub connection on its visitor token, in an organization of their own (RSS per visitor session). The server needs
 * the widget's per-address limits raised (bench/hub.sh does it), since every visitor comes from 127.0.0.1.
 *
 * Phases: setup → idle sockets + RSS → warm-up → fixed rate (--rate msg/s) → max throughput (bounded
 * in-flight) → persistence check (sum of the chats' lastSeq vs. acknowledged sends). Everything is bounded in
 * count and time; a watchdog ends the process after --deadline seconds whatever happens.
 *
 * Options (defaults): --host 127.0.0.1 (loopback only) --port 8080 --server-pid (for RSS/CPU; none) --jcmd (path,
 * to force GCs and read the heap; none) --label --chats 100 --ops-per-org 10 --chats-per-op 5 --idle 0
 * --idle-ops 100 (operators the idle sockets are spread over) --send rest|hub --gateways-per-org 2 --rate 1000
 * --warmup 20 --fixed 15 --max 15 (seconds) --max-inflight 64 --http-clients 4 --ws-clients 4 --deadline 900
 * --hold 0 (keep everything open after the idle phase, for inspecting the server) --login demo --password demo.
 * The last line of output is {@code RESULT key=value …} for scripts; the exit status is 0 when every acknowledged
 * message was found persisted.
 */
public final class HubLoad {
    static final char RS = '\u001e';

    // ---- options ----
    static String host = "127.0.0.1";
    static int port = 8080;
    static long serverPid = -1;
    static String jcmd = null;
    static String label = "";
    static int chats = 100;
    static int opsPerOrg = 10;
    static int chatsPerOp = 5;
    static int idle = 0;
    static int idleOps = 100;
    static int rate = 1000;
    static int warmupSeconds = 20;
    static int fixedSeconds = 15;
    static int maxSeconds = 15;
    static int maxInflight = 64;
    static String sendMode = "rest";
    static int gatewaysPerOrg = 2;
    static int httpClients = 4;
    static int wsClients = 4;
    static int deadlineSeconds = 900;
    static int holdSeconds = 0;
    static String login = "demo", password = "demo";
    static int idleVisitors = 0;

    static String base;
    static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    // ---- state ----
    static HttpClient[] http;
    static HttpClient[] wsHttp;
    static final AtomicInteger rr = new AtomicInteger();
    static String companyToken;
    static long[] chatIds;         // chat index → chat id
    static long[] chatOrg;         // chat index → organization id
    static long[] chatOperator;    // chat index → assigned operator id
    static int[] chatOrgIndex;     // chat index → organization index
    static String[] chatClient;    // chat index → client externalId
    static String[] chatGuid;      // chat index → widget guid (--send visitor)
    static String[] chatVisitor;   // chat index → visitor token (--send visitor)
    static final List<Conn> operatorConns = new ArrayList<>();
    static final List<Conn> idleConns = new ArrayList<>();
    static final List<List<Conn>> gatewayConns = new ArrayList<>(); // per organization index
    static final List<Conn> allConns = new CopyOnWriteList();
    static final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    static final AtomicLong invocationIds = new AtomicLong();
    static final AtomicLong errorsPrinted = new AtomicLong();
    static volatile Phase[] phases = new Phase[8];

    public static void main(String[] args) throws Exception {
        parse(args);
        base = "http://" + host + ":" + port;
        runMain(deadlineSeconds, HubLoad::run);
    }

    /** Runs {@code run} and halts with its status; a watchdog halts the process after {@code deadlineSeconds} whatever happens. */
    static void runMain(int deadlineSeconds, java.util.concurrent.Callable<Integer> run) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(deadlineSeconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("WATCHDOG: deadline of " + deadlineSeconds + " s reached, exiting");
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        int rc = 1;
        try {
            rc = run.call();
        } catch (Throwable t) {
            t.printStackTrace(System.out);
        } finally {
            System.out.flush();
            Runtime.getRuntime().halt(rc);
        }
    }

    static void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--host" -> { host = v; i++; }
                case "--port" -> { port = Integer.parseInt(v); i++; }
                case "--server-pid" -> { serverPid = Long.parseLong(v); i++; }
                case "--jcmd" -> { jcmd = v; i++; }
                case "--label" -> { label = v; i++; }
                case "--chats" -> { chats = Integer.parseInt(v); i++; }
                case "--ops-per-org" -> { opsPerOrg = Integer.parseInt(v); i++; }
                case "--chats-per-op" -> { chatsPerOp = Integer.parseInt(v); i++; }
                case "--idle" -> { idle = Integer.parseInt(v); i++; }
                case "--idle-ops" -> { idleOps = Integer.parseInt(v); i++; }
                case "--rate" -> { rate = Integer.parseInt(v); i++; }
                case "--warmup" -> { warmupSeconds = Integer.parseInt(v); i++; }
                case "--fixed" -> { fixedSeconds = Integer.parseInt(v); i++; }
                case "--max" -> { maxSeconds = Integer.parseInt(v); i++; }
                case "--max-inflight" -> { maxInflight = Integer.parseInt(v); i++; }
                case "--send" -> { sendMode = v; i++; }
                case "--gateways-per-org" -> { gatewaysPerOrg = Integer.parseInt(v); i++; }
                case "--http-clients" -> { httpClients = Integer.parseInt(v); i++; }
                case "--ws-clients" -> { wsClients = Integer.parseInt(v); i++; }
                case "--deadline" -> { deadlineSeconds = Integer.parseInt(v); i++; }
                case "--hold" -> { holdSeconds = Integer.parseInt(v); i++; }
                case "--login" -> { login = v; i++; }
                case "--password" -> { password = v; i++; }
                case "--idle-visitors" -> { idleVisitors = Integer.parseInt(v); i++; }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException("loopback only: --host must be 127.0.0.1, localhost or ::1");
        }
        if (!List.of("rest", "hub", "visitor").contains(sendMode)) throw new IllegalArgumentException("--send rest|hub|visitor");
    }

    // =====================================================================================================
    // the run
    // =====================================================================================================

    static int run() throws Exception {
        http = new HttpClient[httpClients];
        for (int i = 0; i < httpClients; i++) {
            http[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }
        wsHttp = new HttpClient[wsClients];
        for (int i = 0; i < wsClients; i++) {
            wsHttp[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }
        int orgs = (chats + opsPerOrg * chatsPerOp - 1) / (opsPerOrg * chatsPerOp);
        log("HubLoad %s: chats=%d orgs=%d ops/org=%d chats/op=%d idle=%d send=%s rate=%d/s fixed=%ds max=%ds inflight=%d%s",
                label, chats, orgs, opsPerOrg, chatsPerOp, idle, sendMode, rate, fixedSeconds, maxSeconds, maxInflight,
                sendMode.equals("hub") ? " gateways/org=" + gatewaysPerOrg : "");
        Map<String, String> result = new LinkedHashMap<>();
        result.put("label", label);
        result.put("send", sendMode);
        result.put("chats", Integer.toString(chats));
        result.put("idle", Integer.toString(idle));
        long rssStart = rssKb();
        result.put("rss_start_kb", Long.toString(rssStart));

        // ---- setup ----
        long t0 = System.nanoTime();
        companyToken = unquote(postJson("/api/company/get-token", "{\"login\":" + q(login) + ",\"password\":" + q(password) + "}", null).body());
        long[] orgIds = new long[orgs];
        for (int o = 0; o < orgs; o++) orgIds[o] = createOrganization("bench-" + RUN + "-org-" + o);
        // operators: opsPerOrg per organization (+ gateways with maxChats 0 for --send hub)
        List<long[]> operators = new ArrayList<>(); // {operatorId, orgIndex}
        List<long[]> gateways = new ArrayList<>();
        StringBuilder sync = new StringBuilder("[");
        for (int o = 0; o < orgs; o++) {
            for (int k = 0; k < opsPerOrg; k++) {
                if (sync.length() > 1) sync.append(',');
                sync.append("{\"organizationId\":").append(orgIds[o]).append(",\"name\":\"op-").append(o).append('-').append(k)
                        .append("\",\"externalId\":\"bench-").append(RUN).append("-op-").append(o).append('-').append(k)
                        .append("\",\"maxChats\":").append(Math.min(1000, chatsPerOp * 2)).append('}');
            }
            if (sendMode.equals("hub")) {
                sync.append(",{\"organizationId\":").append(orgIds[o]).append(",\"name\":\"gateway-").append(o)
                        .append("\",\"externalId\":\"bench-").append(RUN).append("-gw-").append(o).append("\",\"maxChats\":0}");
            }
        }
        sync.append(']');
        List<Object> synced = orgs == 0 ? List.of()
                : asList(Json.parse(postJson("/api/operator/synchronize", sync.toString(), companyToken).body()));
        int idx = 0;
        for (int o = 0; o < orgs; o++) {
            for (int k = 0; k < opsPerOrg; k++) operators.add(new long[] {num(asMap(synced.get(idx++)).get("id")), o});
            if (sendMode.equals("hub")) gateways.add(new long[] {num(asMap(synced.get(idx++)).get("id")), o});
        }
        Map<Long, String> tokens = mintTokens(concat(operators, gateways));
        // operator connections (with negotiation, as the official clients do)
        List<CompletableFuture<Conn>> opening = new ArrayList<>();
        Semaphore openLimit = new Semaphore(32);
        for (long[] op : operators) opening.add(open(Kind.OPERATOR, op[0], (int) op[1], tokens.get(op[0]), true, openLimit));
        for (int o = 0; o < orgs; o++) gatewayConns.add(new ArrayList<>());
        for (long[] gw : gateways) {
            for (int g = 0; g < gatewaysPerOrg; g++) opening.add(open(Kind.GATEWAY, gw[0], (int) gw[1], tokens.get(gw[0]), true, openLimit));
        }
        for (CompletableFuture<Conn> f : opening) {
            Conn c = f.get(60, TimeUnit.SECONDS);
            if (c.kind == Kind.OPERATOR) operatorConns.add(c);
            else gatewayConns.get(c.orgIndex).add(c);
        }
        startPinger();
        // chats: the first message of each through the inbound API opens it; the router assigns it to an operator
        chatIds = new long[chats];
        chatOrg = new long[chats];
        chatOrgIndex = new int[chats];
        chatOperator = new long[chats];
        chatClient = new String[chats];
        chatGuid = new String[chats];
        chatVisitor = new String[chats];
        String[] guids = new String[orgs];
        if (sendMode.equals("visitor")) for (int o = 0; o < orgs; o++) guids[o] = widgetGuid(orgIds[o]);
        int chatsPerOrg = opsPerOrg * chatsPerOp;
        Semaphore limit = new Semaphore(16);
        List<CompletableFuture<Void>> created = new ArrayList<>();
        for (int i = 0; i < chats; i++) {
            int ci = i;
            chatOrgIndex[i] = i / chatsPerOrg;
            chatOrg[i] = orgIds[chatOrgIndex[i]];
            chatClient[i] = "bench-" + RUN + "-client-" + i;
            limit.acquire();
            if (sendMode.equals("visitor")) {
                chatGuid[i] = guids[chatOrgIndex[i]];
                created.add(openVisitor(chatGuid[i]).thenCompose(token -> {
                    chatVisitor[ci] = token;
                    return http().sendAsync(post("/api/widget/" + chatGuid[ci] + "/messages", "{\"textMessage\":\"hello\"}", token),
                            HttpResponse.BodyHandlers.ofString());
                }).thenAccept(r -> {
                    check(r, "visitor message");
                    chatIds[ci] = num(asMap(Json.parse(r.body())).get("chatId"));
                }).whenComplete((v, e) -> limit.release()));
                continue;
            }
            String body = "{\"organizationId\":" + chatOrg[i] + ",\"client\":{\"externalId\":" + q(chatClient[i])
                    + ",\"name\":\"Client " + i + "\"},\"textMessage\":\"hello\"}";
            created.add(http().sendAsync(post("/api/chat/incoming", body, companyToken), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(r -> {
                        check(r, "incoming");
                        chatIds[ci] = num(asMap(Json.parse(r.body())).get("chatId"));
                    }).whenComplete((v, e) -> limit.release()));
        }
        for (CompletableFuture<Void> f : created) f.get(60, TimeUnit.SECONDS);
        waitForAssignments(orgIds);
        long setupMs = (System.nanoTime() - t0) / 1_000_000;
        long rssActive = rssKb();
        log("setup: %d orgs, %d operator + %d gateway connections, %d chats opened and assigned in %d ms; server RSS %s",
                orgs, operatorConns.size(), gateways.size() * gatewaysPerOrg, chats, setupMs, kb(rssActive));
        result.put("setup_ms", Long.toString(setupMs));
        result.put("operator_conns", Integer.toString(operatorConns.size()));
        result.put("rss_active_kb", Long.toString(rssActive));

        // ---- idle sockets ----
        if (idle > 0) idlePhase(result);
        if (idleVisitors > 0) idleVisitorPhase(result);
        if (holdSeconds > 0) { // for inspecting the server (heap histograms, NMT) with everything connected
            log("holding the connections for %d s", holdSeconds);
            Thread.sleep(holdSeconds * 1000L);
        }
        if (chats == 0) {
            for (Conn c : allConns) c.abort();
            return 0;
        }

        // ---- load ----
        long seqBefore = sumLastSeq(orgIds);
        Phase warm = maxThroughput(1, "warm-up (closed loop, for the JIT)", warmupSeconds);
        Phase fixed = fixedRate(2, "fixed", fixedSeconds);
        fixed.report(result, "fixed");
        Map<String, Double> m0 = metrics();
        Phase max = maxThroughput(3, "max", maxSeconds);
        Map<String, Double> m1 = metrics();
        max.report(result, "max");
        double batches = m1.getOrDefault("chathub_message_writer_batch_count", 0.0) - m0.getOrDefault("chathub_message_writer_batch_count", 0.0);
        double batched = m1.getOrDefault("chathub_message_writer_batch_sum", 0.0) - m0.getOrDefault("chathub_message_writer_batch_sum", 0.0);
        if (batches > 0) {
            log("  max: message-writer batches %.0f, mean batch %.1f messages, largest (recent) %.0f",
                    batches, batched / batches, m1.getOrDefault("chathub_message_writer_batch_max", 0.0));
            result.put("max_mean_batch", String.format(Locale.ROOT, "%.1f", batched / batches));
        }

        // ---- persistence check ----
        long seqAfter = sumLastSeq(orgIds);
        long acked = warm.acked.get() + fixed.acked.get() + max.acked.get();
        long unknown = warm.unknown.get() + fixed.unknown.get() + max.unknown.get();
        long persisted = seqAfter - seqBefore;
        boolean persistOk = persisted >= acked && persisted <= acked + unknown;
        log("persisted: sum of chats' lastSeq grew by %d; acknowledged sends %d; failed sends %d (%d of them with unknown outcome) -> %s",
                persisted, acked, warm.failed.get() + fixed.failed.get() + max.failed.get(), unknown,
                persistOk ? "every acknowledged message is stored" : "MISMATCH");
        result.put("persisted", Long.toString(persisted));
        result.put("acked", Long.toString(acked));
        result.put("persist_ok", Boolean.toString(persistOk));
        long rssEnd = rssKb();
        result.put("rss_end_kb", Long.toString(rssEnd));
        int dropped = 0;
        for (Conn c : allConns) if (c.closed) dropped++;
        result.put("conns_closed", Integer.toString(dropped));
        log("server RSS at the end %s; connections closed by the server or failed during the run: %d", kb(rssEnd), dropped);
        Map<String, Double> m2 = metrics();
        log("server meters: frames sent %.0f, dropped %.0f, slow-consumer closes %.0f, hub connections %.0f",
                m2.getOrDefault("chathub_hub_frames_sent_total", -1.0), m2.getOrDefault("chathub_hub_frames_dropped_total", -1.0),
                m2.getOrDefault("chathub_hub_slow_consumer_closes_total", -1.0), m2.getOrDefault("chathub_hub_connections", -1.0));
        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        for (Conn c : allConns) c.abort();
        return persistOk ? 0 : 2;
    }

    // ---- phases ----

    /** Opens --idle connections in an organization of their own (it has no chats: they receive nothing but Pings). */
    static void idlePhase(Map<String, String> result) throws Exception {
        long org = createOrganization("bench-" + RUN + "-idle");
        int n = Math.min(idleOps, idle);
        StringBuilder sync = new StringBuilder("[");
        for (int k = 0; k < n; k++) {
            if (k > 0) sync.append(',');
            sync.append("{\"organizationId\":").append(org).append(",\"name\":\"idle-").append(k)
                    .append("\",\"externalId\":\"bench-").append(RUN).append("-idle-").append(k).append("\"}");
        }
        sync.append(']');
        List<Object> synced = asList(Json.parse(postJson("/api/operator/synchronize", sync.toString(), companyToken).body()));
        List<long[]> ops = new ArrayList<>();
        for (Object o : synced) ops.add(new long[] {num(asMap(o).get("id")), -1});
        Map<Long, String> tokens = mintTokens(ops);
        gc();
        long before = rssKb();
        long heapBefore = heapUsedKb();
        long t0 = System.nanoTime();
        Semaphore openLimit = new Semaphore(64);
        List<CompletableFuture<Conn>> opening = new ArrayList<>(idle);
        for (int i = 0; i < idle; i++) {
            long op = ops.get(i % ops.size())[0];
            opening.add(open(Kind.IDLE, op, -1, tokens.get(op), false, openLimit));
        }
        int failed = 0;
        for (CompletableFuture<Conn> f : opening) {
            try {
                idleConns.add(f.get(120, TimeUnit.SECONDS));
            } catch (Exception e) {
                if (failed++ < 3) log("idle connection failed: %s", e);
            }
        }
        long openMs = (System.nanoTime() - t0) / 1_000_000;
        long raw = rssKb();
        Thread.sleep(5_000); // let the server settle (buffers released, first keep-alive Pings not yet due)
        long settled = rssKb();
        gc();
        long after = rssKb();
        long heapAfter = heapUsedKb();
        Map<String, Double> m = metrics();
        int opened = idleConns.size();
        double perRaw = opened == 0 ? 0 : (settled - before) / (double) opened;
        double perGc = opened == 0 ? 0 : (after - before) / (double) opened;
        log("idle: %d/%d connections opened in %d ms (server counts %.0f hub connections); server RSS %s -> %s (settled %s, after GC %s)",
                opened, idle, openMs, m.getOrDefault("chathub_hub_connections", -1.0), kb(before), kb(raw), kb(settled), kb(after));
        double perHeap = opened == 0 || heapBefore < 0 || heapAfter < 0 ? -1 : (heapAfter - heapBefore) / (double) opened;
        log("idle: %.1f KB RSS per idle socket (settled), %.1f KB after a full GC%s; live Java heap %.1f KB per socket",
                perRaw, perGc, jcmd == null ? " (no --jcmd: no GC was forced)" : "", perHeap);
        result.put("idle_opened", Integer.toString(opened));
        result.put("idle_open_ms", Long.toString(openMs));
        result.put("idle_rss_before_kb", Long.toString(before));
        result.put("idle_rss_after_kb", Long.toString(settled));
        result.put("idle_rss_after_gc_kb", Long.toString(after));
        result.put("idle_kb_per_socket", String.format(Locale.ROOT, "%.1f", perRaw));
        result.put("idle_kb_per_socket_gc", String.format(Locale.ROOT, "%.1f", perGc));
        result.put("idle_heap_kb_per_socket", String.format(Locale.ROOT, "%.1f", perHeap));
    }

    /** Open loop: message i leaves at t0 + i/rate, chats in turn; the in-flight bound only guards against a stall. */
    static Phase fixedRate(int id, String name, int seconds) throws Exception {
        Phase p = new Phase(id, name);
        phases[id] = p;
        if (seconds <= 0) return p;
        long total = (long) rate * seconds;
        long interval = 1_000_000_000L / rate;
        Semaphore inflight = new Semaphore(4 * maxInflight); // far above what 1,000 msg/s needs at a few ms each
        CpuMark cpu = CpuMark.now();
        long start = System.nanoTime();
        p.start = start;
        long maxLag = 0;
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long now;
            while ((now = System.nanoTime()) < due) LockSupport.parkNanos(Math.min(due - now, 200_000));
            maxLag = Math.max(maxLag, now - due);
            if (!inflight.tryAcquire(5, TimeUnit.SECONDS)) {
                p.stalled.incrementAndGet();
                break;
            }
            send(p, (int) (i % chats), inflight);
            if (System.nanoTime() - start > seconds * 3_000_000_000L) { p.stalled.incrementAndGet(); break; } // way behind
        }
        p.sendEnd = System.nanoTime();
        drain(p);
        p.cpu = cpu.since();
        p.scheduleLagNs = maxLag;
        p.print();
        return p;
    }

    /** Closed loop: as fast as the server answers, with at most --max-inflight sends outstanding. */
    static Phase maxThroughput(int id, String name, int seconds) throws Exception {
        Phase p = new Phase(id, name);
        phases[id] = p;
        if (seconds <= 0) return p;
        Semaphore inflight = new Semaphore(maxInflight);
        CpuMark cpu = CpuMark.now();
        long start = System.nanoTime();
        p.start = start;
        long end = start + seconds * 1_000_000_000L;
        int i = 0;
        while (System.nanoTime() < end) {
            if (!inflight.tryAcquire(5, TimeUnit.SECONDS)) {
                p.stalled.incrementAndGet();
                break;
            }
            send(p, i, inflight);
            i = (i + 1) % chats;
        }
        p.sendEnd = System.nanoTime();
        drain(p);
        p.cpu = cpu.since();
        p.print();
        return p;
    }

    /** Waits (bounded) for the phase's acknowledgements and its deliveries to the assigned operators. */
    static void drain(Phase p) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            long done = p.acked.get() + p.failed.get();
            if (done >= p.sent.get() && p.assigned.count() >= p.acked.get()) break;
            Thread.sleep(20);
        }
        p.ackEnd = p.lastAck.get() == 0 ? System.nanoTime() : p.lastAck.get();
        Thread.sleep(200); // stragglers to the other operators of the organization
    }

    static void send(Phase p, int chat, Semaphore inflight) {
        p.sent.incrementAndGet();
        long now = System.nanoTime();
        String text = "hb " + p.id + " " + now + " " + chat;
        if (sendMode.equals("visitor")) {
            http().sendAsync(post("/api/widget/" + chatGuid[chat] + "/messages", "{\"textMessage\":\"" + text + "\"}",
                            chatVisitor[chat]), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> acked(p, inflight, now, r, e));
        } else if (sendMode.equals("rest")) {
            String body = "{\"organizationId\":" + chatOrg[chat] + ",\"client\":{\"externalId\":\"" + chatClient[chat]
                    + "\"},\"textMessage\":\"" + text + "\"}";
            http().sendAsync(post("/api/chat/incoming", body, companyToken), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        inflight.release();
                        if (e == null && r.statusCode() == 200) {
                            p.ack(System.nanoTime() - now);
                        } else {
                            p.failed.incrementAndGet();
                            if (e != null) p.unknown.incrementAndGet(); // the request may have been processed
                            error("send failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
                        }
                    });
        } else {
            List<Conn> gws = gatewayConns.get(chatOrgIndex[chat]);
            Conn c = gws.get(chat % gws.size());
            // the server runs one connection's invocations one at a time and closes a client with more than 256
            // waiting: keep a window per connection
            try {
                if (c.closed || !c.window.tryAcquire(10, TimeUnit.SECONDS)) {
                    inflight.release();
                    p.failed.incrementAndGet();
                    p.stalled.incrementAndGet();
                    return;
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            long invocation = invocationIds.incrementAndGet();
            pending.put(invocation, new Pending(p, now, inflight, c));
            c.send("{\"type\":1,\"invocationId\":\"" + invocation + "\",\"target\":\"SendMessage\",\"arguments\":["
                    + chatIds[chat] + ",\"" + text + "\"]}" + RS);
        }
    }

    static void acked(Phase p, Semaphore inflight, long sentNanos, HttpResponse<String> r, Throwable e) {
        inflight.release();
        if (e == null && r.statusCode() == 200) {
            p.ack(System.nanoTime() - sentNanos);
        } else {
            p.failed.incrementAndGet();
            if (e != null) p.unknown.incrementAndGet(); // the request may have been processed
            error("send failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
        }
    }

    /** A new visitor session of the widget with this guid: its visitor token. */
    static CompletableFuture<String> openVisitor(String guid) {
        return http().sendAsync(post("/api/widget/" + guid + "/session", "{}", null), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> {
                    check(r, "visitor session");
                    return (String) asMap(Json.parse(r.body())).get("visitorToken");
                });
    }

    static String widgetGuid(long orgId) throws Exception {
        var r = http().send(HttpRequest.newBuilder(URI.create(base + "/api/company/organization/" + orgId))
                .header("Authorization", "Bearer " + companyToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        check(r, "organization");
        return (String) asMap(Json.parse(r.body())).get("widgetGuid");
    }

    /** --idle-visitors sessions of the widget of an organization of their own, each with a hub connection. */
    static void idleVisitorPhase(Map<String, String> result) throws Exception {
        String guid = widgetGuid(createOrganization("bench-" + RUN + "-visitors"));
        gc();
        long before = rssKb();
        long t0 = System.nanoTime();
        Semaphore limit = new Semaphore(32);
        Semaphore wsLimit = new Semaphore(64);
        List<CompletableFuture<Conn>> opening = new ArrayList<>(idleVisitors);
        for (int i = 0; i < idleVisitors; i++) {
            limit.acquire();
            opening.add(openVisitor(guid).thenCompose(token -> open(Kind.IDLE, -1, -1, token, false, wsLimit))
                    .whenComplete((c, e) -> limit.release()));
        }
        int failed = 0;
        List<Conn> visitors = new ArrayList<>();
        for (CompletableFuture<Conn> f : opening) {
            try {
                visitors.add(f.get(120, TimeUnit.SECONDS));
            } catch (Exception e) {
                if (failed++ < 3) log("visitor session failed: %s", e);
            }
        }
        long openMs = (System.nanoTime() - t0) / 1_000_000;
        Thread.sleep(5_000);
        long settled = rssKb();
        gc();
        long after = rssKb();
        int n = visitors.size();
        idleConns.addAll(visitors);
        log("idle visitors: %d/%d sessions with a hub connection each in %d ms; server RSS %s -> %s (after GC %s): "
                        + "%.1f KB per visitor session (%.1f after GC)", n, idleVisitors, openMs, kb(before), kb(settled), kb(after),
                n == 0 ? 0 : (settled - before) / (double) n, n == 0 ? 0 : (after - before) / (double) n);
        result.put("visitors_opened", Integer.toString(n));
        result.put("visitors_open_ms", Long.toString(openMs));
        result.put("visitor_kb_per_session", String.format(Locale.ROOT, "%.1f", n == 0 ? 0 : (settled - before) / (double) n));
        result.put("visitor_kb_per_session_gc", String.format(Locale.ROOT, "%.1f", n == 0 ? 0 : (after - before) / (double) n));
    }

    record Pending(Phase phase, long sentNanos, Semaphore inflight, Conn conn) {}

    /** A connection is gone: its unanswered invocations fail (their messages may or may not be stored). */
    static void failPending(Conn c) {
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().conn() != c || !pending.remove(e.getKey(), e.getValue())) continue;
            e.getValue().inflight().release();
            e.getValue().phase().failed.incrementAndGet();
            e.getValue().phase().unknown.incrementAndGet();
        }
    }

    static void completion(String record) {
        // {"type":3,"invocationId":"17","result":{…}} or {"type":3,"invocationId":"17","error":"…"}
        int i = record.indexOf("\"invocationId\":\"");
        if (i < 0) return;
        int s = i + 16, e = record.indexOf('"', s);
        Pending pd = pending.remove(Long.parseLong(record, s, e, 10));
        if (pd == null) return;
        pd.inflight.release();
        pd.conn.window.release();
        if (record.indexOf("\"error\":", e) >= 0) {
            pd.phase.failed.incrementAndGet();
            error("SendMessage failed: " + record);
        } else {
            pd.phase.ack(System.nanoTime() - pd.sentNanos);
        }
    }

    /** A ReceiveMessage of ours at an operator connection: "hb <phase> <sendNanos> <chat>". */
    static void delivered(Conn c, String record, long now) {
        int i = record.indexOf("\"message\":\"hb ");
        if (i < 0) return;
        int s = i + 14;
        int sp1 = record.indexOf(' ', s), sp2 = record.indexOf(' ', sp1 + 1), end = record.indexOf('"', sp2 + 1);
        int phaseId = Integer.parseInt(record, s, sp1, 10);
        long sent = Long.parseLong(record, sp1 + 1, sp2, 10);
        int chat = Integer.parseInt(record, sp2 + 1, end, 10);
        Phase p = phases[phaseId];
        if (p == null) return;
        long latency = now - sent;
        p.all.record(latency);
        p.delivered.incrementAndGet();
        if (chatOperator[chat] == c.operatorId) p.assigned.record(latency);
    }

    // ---- results ----

    static final class Phase {
        final int id;
        final String name;
        final Histo assigned = new Histo(), all = new Histo(), ack = new Histo();
        final AtomicLong sent = new AtomicLong(), acked = new AtomicLong(), failed = new AtomicLong(),
                delivered = new AtomicLong(), stalled = new AtomicLong(), lastAck = new AtomicLong(),
                unknown = new AtomicLong();
        volatile long start, sendEnd, ackEnd, scheduleLagNs;
        double[] cpu;

        Phase(int id, String name) {
            this.id = id;
            this.name = name;
        }

        void ack(long latency) {
            ack.record(latency);
            acked.incrementAndGet();
            lastAck.accumulateAndGet(System.nanoTime(), Math::max);
        }

        double seconds() {
            return Math.max(1, ackEnd - start) / 1e9;
        }

        void print() {
            double secs = seconds();
            log("%s: sent %d in %.1f s, acknowledged %d (%.0f msg/s persisted), failed %d%s",
                    name, sent.get(), (sendEnd - start) / 1e9, acked.get(), acked.get() / secs, failed.get(),
                    stalled.get() > 0 ? ", STALLED" : "");
            log("  delivery to the chat's operator: %s", assigned.summary());
            log("  delivery to every org connection: %s; %d deliveries, %.0f deliveries/s", all.summary(), delivered.get(),
                    delivered.get() / secs);
            log("  send -> ack (%s): %s", sendMode.equals("rest") ? "HTTP 200" : "Completion", ack.summary());
            if (scheduleLagNs > 0) log("  largest lag of the send schedule: %.2f ms", scheduleLagNs / 1e6);
            if (cpu != null) {
                log("  CPU: server %.2f cores (message writer %.2f, JIT %.2f, GC %.2f), load generator %.2f,%s other processes %.2f (of %d)",
                        cpu[0], cpu[2], cpu[3], cpu[4], cpu[1], cpu[7] >= 0.01 ? String.format(Locale.ROOT, " PostgreSQL %.2f,", cpu[7]) : "",
                        cpu[6], Runtime.getRuntime().availableProcessors());
                if (acked.get() > 0) log("  server CPU per message: %.0f us in all, %.0f us in the message writer thread",
                        cpu[0] * cpu[5] / acked.get() * 1e6, cpu[2] * cpu[5] / acked.get() * 1e6);
            }
        }

        void report(Map<String, String> r, String k) {
            double secs = seconds();
            r.put(k + "_sent", Long.toString(sent.get()));
            r.put(k + "_acked", Long.toString(acked.get()));
            r.put(k + "_failed", Long.toString(failed.get()));
            r.put(k + "_msgs_per_s", String.format(Locale.ROOT, "%.0f", acked.get() / secs));
            r.put(k + "_deliveries_per_s", String.format(Locale.ROOT, "%.0f", delivered.get() / secs));
            r.put(k + "_p50_ms", ms(assigned.percentile(50)));
            r.put(k + "_p95_ms", ms(assigned.percentile(95)));
            r.put(k + "_p99_ms", ms(assigned.percentile(99)));
            r.put(k + "_max_ms", ms(assigned.max()));
            r.put(k + "_all_p99_ms", ms(all.percentile(99)));
            r.put(k + "_ack_p50_ms", ms(ack.percentile(50)));
            r.put(k + "_ack_p99_ms", ms(ack.percentile(99)));
            if (cpu != null) {
                r.put(k + "_server_cores", String.format(Locale.ROOT, "%.2f", cpu[0]));
                r.put(k + "_client_cores", String.format(Locale.ROOT, "%.2f", cpu[1]));
                r.put(k + "_writer_cores", String.format(Locale.ROOT, "%.2f", cpu[2]));
                r.put(k + "_jit_cores", String.format(Locale.ROOT, "%.2f", cpu[3]));
                r.put(k + "_gc_cores", String.format(Locale.ROOT, "%.2f", cpu[4]));
                r.put(k + "_other_cores", String.format(Locale.ROOT, "%.2f", cpu[6]));
                r.put(k + "_postgres_cores", String.format(Locale.ROOT, "%.2f", cpu[7]));
                if (acked.get() > 0) {
                    r.put(k + "_server_us_per_msg", String.format(Locale.ROOT, "%.0f", cpu[0] * cpu[5] / acked.get() * 1e6));
                    r.put(k + "_writer_us_per_msg", String.format(Locale.ROOT, "%.0f", cpu[2] * cpu[5] / acked.get() * 1e6));
                }
            }
        }
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    /** Log-linear histogram of nanoseconds: exact below 256 ns, then 128 sub-buckets per power of two (< 0.8 % error). */
    static final class Histo {
        final AtomicLongArray counts = new AtomicLongArray(64 * 128);
        final AtomicLong max = new AtomicLong(), n = new AtomicLong();

        static int index(long v) {
            if (v < 256) return (int) Math.max(0, v);
            int exp = 63 - Long.numberOfLeadingZeros(v);
            int shift = exp - 7;
            return 256 + (shift - 1) * 128 + (int) ((v >>> shift) - 128);
        }

        static long value(int idx) { // the upper end of the bucket
            if (idx < 256) return idx;
            int shift = (idx - 256) / 128 + 1;
            long mantissa = 128 + (idx - 256) % 128;
            return ((mantissa + 1) << shift) - 1;
        }

        void record(long v) {
            counts.incrementAndGet(index(v));
            n.incrementAndGet();
            max.accumulateAndGet(v, Math::max);
        }

        long count() {
            return n.get();
        }

        long max() {
            return max.get();
        }

        long percentile(double p) {
            long total = n.get();
            if (total == 0) return 0;
            long rank = (long) Math.ceil(total * p / 100.0);
            long seen = 0;
            for (int i = 0; i < counts.length(); i++) {
                seen += counts.get(i);
                if (seen >= rank) return Math.min(value(i), max.get());
            }
            return max.get();
        }

        String summary() {
            if (n.get() == 0) return "no samples";
            return String.format(Locale.ROOT, "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)",
                    percentile(50) / 1e6, percentile(95) / 1e6, percentile(99) / 1e6, max() / 1e6, n.get());
        }
    }

    // =====================================================================================================
    // hub connections
    // =====================================================================================================

    enum Kind { OPERATOR, GATEWAY, IDLE }

    /**
     * A hub connection's WebSocket listener: chains sends (WebSocket allows one outstanding), joins partial frames,
     * splits them into records, completes {@link #handshake} on the protocol's {@code {}}; subclasses get the records
     * that follow ({@link #record}) and hear when the connection is gone ({@link #closed}).
     */
    abstract static class Socket implements WebSocket.Listener {
        final CompletableFuture<Socket> handshake = new CompletableFuture<>();
        final ReentrantLock sendLock = new ReentrantLock();
        CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
        StringBuilder partial;
        volatile WebSocket ws;
        volatile RawWs raw;
        volatile boolean open, closed;

        /** A record after the handshake, received at {@code now} (System.nanoTime()). */
        abstract void record(String record, long now);

        /** The connection is gone (closed, failed, or a send failed); may be called more than once. */
        void closed(Throwable cause) {
            closed = true;
            handshake.completeExceptionally(cause);
        }

        void send(String text) {
            RawWs r = raw;
            if (r != null) {
                r.sendText(text);
                return;
            }
            sendLock.lock();
            try {
                WebSocket w = ws;
                sendChain = sendChain.thenCompose(x -> w.sendText(text, true)).exceptionally(e -> {
                    closed(e);
                    return null;
                });
            } finally {
                sendLock.unlock();
            }
        }

        void abort() {
            closed = true;
            RawWs r = raw;
            if (r != null) r.close();
            WebSocket w = ws;
            if (w != null) w.abort();
        }

        /** A whole text message, received at {@code now}: its records, split at the record separator. */
        void text(String s, long now) {
            int from = 0;
            while (from < s.length()) {
                int end = s.indexOf(RS, from);
                if (end < 0) end = s.length();
                if (end > from) handle(s.substring(from, end), now);
                from = end + 1;
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            this.ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!last || partial != null) {
                if (partial == null) partial = new StringBuilder();
                partial.append(data);
                if (!last) {
                    webSocket.request(1);
                    return null;
                }
                data = partial;
                partial = null;
            }
            text(data.toString(), System.nanoTime());
            webSocket.request(1);
            return null;
        }

        private void handle(String r, long now) {
            if (open) {
                record(r, now);
            } else if (r.equals("{}")) {
                open = true;
                handshake.complete(this);
            } else {
                handshake.completeExceptionally(new IOException("handshake refused: " + r));
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed(new IOException("closed " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed(error);
        }
    }

    /**
     * Negotiates (optionally) at {@code http://host:port}, opens the WebSocket with {@code socket} as its listener and
     * completes the protocol handshake (60 s at most).
     */
    static <S extends Socket> CompletableFuture<S> connect(HttpClient client, String host, int port, String token, boolean negotiate, S socket) {
        return negotiated(client, host, port, token, negotiate).thenCompose(idParam -> client.newWebSocketBuilder()
                        .connectTimeout(Duration.ofSeconds(20))
                        .buildAsync(URI.create("ws://" + host + ":" + port + "/chathub?access_token="
                                + URLEncoder.encode(token, StandardCharsets.UTF_8) + idParam), socket))
                .thenCompose(ws -> {
                    socket.ws = ws;
                    socket.send("{\"protocol\":\"json\",\"version\":1}" + RS);
                    return socket.handshake;
                })
                .thenApply(x -> socket)
                .orTimeout(60, TimeUnit.SECONDS);
    }

    /** The {@code &id=} query parameter of a negotiated connection, or "" without negotiation. */
    static CompletableFuture<String> negotiated(HttpClient client, String host, int port, String token, boolean negotiate) {
        if (!negotiate) return CompletableFuture.completedFuture("");
        return client.sendAsync(request("http://" + host + ":" + port + "/chathub/negotiate?negotiateVersion=1", "", token),
                        HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> {
                    check(r, "negotiate");
                    Object connectionToken = asMap(Json.parse(r.body())).get("connectionToken");
                    return "&id=" + URLEncoder.encode(String.valueOf(connectionToken), StandardCharsets.UTF_8);
                });
    }

    /**
     * Like {@link #connect}, but the WebSocket is this file's own small client ({@link RawWs}: a blocking socket read by
     * a virtual thread) instead of the JDK's, which costs the generator about 0.8 ms of CPU per connection opened and
     * more per message received: on 2 shared cores the load generator's weight is taken from the servers.
     */
    static <S extends Socket> CompletableFuture<S> connectRaw(HttpClient client, String host, int port, String token, boolean negotiate, S socket) {
        return negotiated(client, host, port, token, negotiate).thenCompose(idParam -> {
                    Thread.ofVirtual().name("raw-ws").start(() -> RawWs.run(host, port,
                            "/chathub?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + idParam, socket));
                    return socket.handshake;
                })
                .thenApply(x -> socket)
                .orTimeout(60, TimeUnit.SECONDS);
    }

    /**
     * A minimal WebSocket client for the load generator (RFC 6455, text frames, no extensions): the upgrade request, the
     * protocol handshake, then a read loop that hands each whole text message to the socket; Pings answered. Client
     * frames are masked with a zero key (valid for a server; the payload needs no XOR), which is fine for a benchmark
     * on loopback and nothing else.
     */
    static final class RawWs {
        private final java.net.Socket s;
        private final java.io.OutputStream out;
        private final ReentrantLock lock = new ReentrantLock();

        private RawWs(java.net.Socket s) throws IOException {
            this.s = s;
            this.out = s.getOutputStream();
        }

        static void run(String host, int port, String path, Socket socket) {
            RawWs ws = null;
            try {
                var sock = new java.net.Socket();
                sock.setTcpNoDelay(true);
                sock.connect(new java.net.InetSocketAddress(host, port), 20_000);
                ws = new RawWs(sock);
                var in = new java.io.BufferedInputStream(sock.getInputStream(), 8192);
                String key = java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
                ws.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), null);
                String status = readHead(in);
                if (!status.startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + status);
                socket.raw = ws;
                ws.sendText("{\"protocol\":\"json\",\"version\":1}" + RS);
                java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
                while (true) {
                    int b0 = in.read(), b1 = in.read();
                    if (b0 < 0 || b1 < 0) throw new IOException("closed by the server");
                    long len = b1 & 0x7F;
                    if (len == 126) len = (in.read() << 8) | in.read();
                    else if (len == 127) len = new java.io.DataInputStream(in).readLong();
                    byte[] payload = in.readNBytes((int) len);
                    int opcode = b0 & 0x0F;
                    if (opcode == 9) ws.frame(0x8A, payload);
                    else if (opcode == 8) throw new IOException("WebSocket Close from the server");
                    else if (opcode == 1 || opcode == 0) {
                        if ((b0 & 0x80) != 0 && message.size() == 0) socket.text(new String(payload, StandardCharsets.UTF_8), System.nanoTime());
                        else {
                            message.write(payload);
                            if ((b0 & 0x80) != 0) {
                                socket.text(message.toString(StandardCharsets.UTF_8), System.nanoTime());
                                message.reset();
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (ws != null) ws.close();
                socket.closed(e);
            }
        }

        private static String readHead(java.io.InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int c, crlf = 0;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                crlf = (c == '\r' || c == '\n') ? crlf + 1 : 0;
                if (crlf == 4) return head.toString();
            }
            throw new IOException("closed during the upgrade");
        }

        void sendText(String text) {
            try {
                frame(0x81, text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                close();
            }
        }

        private void frame(int first, byte[] payload) throws IOException {
            int n = payload.length;
            byte[] head = n < 126 ? new byte[] {(byte) first, (byte) (0x80 | n), 0, 0, 0, 0}
                    : n < 65536 ? new byte[] {(byte) first, (byte) (0x80 | 126), (byte) (n >> 8), (byte) n, 0, 0, 0, 0}
                    : java.nio.ByteBuffer.allocate(14).put((byte) first).put((byte) (0x80 | 127)).putLong(n).putInt(0).array();
            write(head, payload);
        }

        private void write(byte[] a, byte[] b) throws IOException {
            lock.lock();
            try {
                if (b == null || a.length + b.length > 1400) {
                    out.write(a);
                    if (b != null) out.write(b);
                } else {
                    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
                    System.arraycopy(b, 0, both, a.length, b.length);
                    out.write(both);
                }
            } finally {
                lock.unlock();
            }
        }

        void close() {
            try {
                s.close();
            } catch (IOException e) {
                // closed
            }
        }
    }

    static final class Conn extends Socket {
        final Kind kind;
        final long operatorId;
        final int orgIndex;
        final Semaphore window = new Semaphore(128);

        Conn(Kind kind, long operatorId, int orgIndex) {
            this.kind = kind;
            this.operatorId = operatorId;
            this.orgIndex = orgIndex;
        }

        @Override
        void record(String r, long now) {
            if (r.startsWith("{\"type\":1,")) {
                if (kind == Kind.OPERATOR && r.startsWith("{\"type\":1,\"target\":\"ReceiveMessage\"")) delivered(this, r, now);
            } else if (r.startsWith("{\"type\":3,")) {
                completion(r);
            } else if (r.startsWith("{\"type\":7")) {
                closed = true;
                error(kind + " connection of operator " + operatorId + " closed by the server: " + r);
                failPending(this);
            }
        }

        @Override
        void closed(Throwable cause) {
            if (!closed && cause instanceof java.util.concurrent.CompletionException) error("send on " + kind + " connection failed: " + cause);
            super.closed(cause);
            failPending(this);
        }
    }

    /** Opens a connection (see {@link #connect}) with at most {@code limit}'s permits of handshakes in flight. */
    static CompletableFuture<Conn> open(Kind kind, long operatorId, int orgIndex, String token, boolean negotiate, Semaphore limit) {
        try {
            limit.acquire();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Conn c = new Conn(kind, operatorId, orgIndex);
        CompletableFuture<Conn> result = connect(wsHttp[Math.floorMod(rr.getAndIncrement(), wsHttp.length)], host, port, token, negotiate, c);
        result.whenComplete((v, e) -> {
            limit.release();
            if (e == null) allConns.add(c);
        });
        return result;
    }

    /** Every connection sends a Ping every 10 s (the server closes a client silent for 30 s), spread over time. */
    static void startPinger() {
        startPinger(((CopyOnWriteList) allConns)::snapshot);
    }

    /** A Ping every 10 s on each of the sockets {@code snapshot} gives at the time, spread over 50 ticks of 200 ms. */
    static void startPinger(java.util.function.Supplier<Object[]> snapshot) {
        Thread t = new Thread(() -> {
            long tick = 0;
            while (true) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                tick++;
                int slot = (int) (tick % 50);
                Object[] conns = snapshot.get();
                for (int i = slot; i < conns.length; i += 50) {
                    Socket c = (Socket) conns[i];
                    if (c.open && !c.closed) c.send("{\"type\":6}" + RS);
                }
            }
        }, "pinger");
        t.setDaemon(true);
        t.start();
    }

    /** A list that appends cheaply and hands out array snapshots (the pinger walks it every 200 ms). */
    static final class CopyOnWriteList extends java.util.AbstractList<Conn> {
        private Object[] items = new Object[0];
        private int size;

        @Override
        public synchronized boolean add(Conn c) {
            if (size == items.length) items = Arrays.copyOf(items, Math.max(16, size * 2));
            items[size++] = c;
            return true;
        }

        synchronized Object[] snapshot() {
            return Arrays.copyOf(items, size);
        }

        @Override
        public synchronized Conn get(int i) {
            return (Conn) items[i];
        }

        @Override
        public synchronized int size() {
            return size;
        }

        @Override
        public java.util.Iterator<Conn> iterator() {
            return Arrays.asList(snapshot()).stream().map(o -> (Conn) o).iterator();
        }
    }

    // =====================================================================================================
    // REST helpers
    // =====================================================================================================

    static HttpClient http() {
        return http[Math.floorMod(rr.getAndIncrement(), http.length)];
    }

    static HttpRequest post(String path, String body, String token) {
        return request(base + path, body, token);
    }

    /** A JSON POST to {@code url} (30 s timeout), with the bearer token if there is one. */
    static HttpRequest request(String url, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b.build();
    }

    static HttpResponse<String> postJson(String path, String body, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = http[0].send(post(path, body, token), HttpResponse.BodyHandlers.ofString());
        check(r, path);
        return r;
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + companyToken).GET().build();
        HttpResponse<String> r = http[0].send(req, HttpResponse.BodyHandlers.ofString());
        check(r, path);
        return r;
    }

    static void check(HttpResponse<String> r, String what) {
        if (r.statusCode() / 100 != 2) throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
    }

    static long createOrganization(String name) throws Exception {
        return num(asMap(Json.parse(postJson("/api/company/organization", "{\"name\":" + q(name) + "}", companyToken).body())).get("id"));
    }

    static Map<Long, String> mintTokens(List<long[]> operators) throws Exception {
        return mintTokens(HubLoad::http, base, companyToken, operators.stream().map(op -> op[0]).toList());
    }

    /** Operator tokens valid for 23 hours from {@code base}'s get-token, 16 requests at a time: operator id → token. */
    static Map<Long, String> mintTokens(java.util.function.Supplier<HttpClient> http, String base, String companyToken, List<Long> ids)
            throws Exception {
        Map<Long, String> tokens = new ConcurrentHashMap<>();
        String expires = Instant.now().plus(23, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        Semaphore limit = new Semaphore(16);
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (long id : ids) {
            limit.acquire();
            fs.add(http.get().sendAsync(request(base + "/api/operator/get-token", "{\"id\":" + id + ",\"expiresAt\":\"" + expires + "\"}",
                            companyToken), HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                        check(r, "get-token");
                        tokens.put(id, unquote(r.body()));
                    }).whenComplete((v, e) -> limit.release()));
        }
        for (CompletableFuture<Void> f : fs) f.get(60, TimeUnit.SECONDS);
        return tokens;
    }

    /** Reads every chat of our organizations; fills chatOperator; returns how many are still unassigned. */
    static int readChats(long[] orgIds, long[] lastSeqOut) throws Exception {
        Map<Long, Integer> byId = new HashMap<>();
        for (int i = 0; i < chats; i++) byId.put(chatIds[i], i);
        int unassigned = 0;
        long seq = 0;
        for (long org : orgIds) {
            for (int page = 1; page < 1000; page++) {
                Map<String, Object> res = asMap(Json.parse(get("/api/chat/chats?organizationId=" + org + "&per_page=100&page=" + page).body()));
                List<Object> items = asList(res.get("items"));
                for (Object o : items) {
                    Map<String, Object> chat = asMap(o);
                    Integer i = byId.get(num(chat.get("id")));
                    if (i == null) continue;
                    Object op = chat.get("operator");
                    if (op == null) unassigned++;
                    else chatOperator[i] = num(asMap(op).get("id"));
                    seq += num(chat.get("lastSeq"));
                }
                if (items.size() < 100) break;
            }
        }
        if (lastSeqOut != null) lastSeqOut[0] = seq;
        return unassigned;
    }

    static void waitForAssignments(long[] orgIds) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        int unassigned;
        while ((unassigned = readChats(orgIds, null)) > 0 && System.nanoTime() < deadline) Thread.sleep(250);
        if (unassigned > 0) throw new IllegalStateException(unassigned + " chats were not assigned to an operator within 30 s");
    }

    static long sumLastSeq(long[] orgIds) throws Exception {
        long[] out = new long[1];
        readChats(orgIds, out);
        return out[0];
    }

    /** The server's Prometheus meters we care about: name (with its labels stripped) → value, summed. */
    static Map<String, Double> metrics() {
        Map<String, Double> m = new HashMap<>();
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(30)).GET().build();
            String body = http[0].send(req, HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith("chathub_")) continue;
                int sp = line.lastIndexOf(' ');
                String name = line.substring(0, sp);
                int brace = name.indexOf('{');
                if (brace >= 0) name = name.substring(0, brace);
                try {
                    m.merge(name, Double.parseDouble(line.substring(sp + 1)), Double::sum);
                } catch (NumberFormatException ignored) {
                    // NaN and the like
                }
            }
        } catch (Exception e) {
            error("metrics: " + e);
        }
        return m;
    }

    // =====================================================================================================
    // server process: RSS, CPU, GC
    // =====================================================================================================

    static long rssKb() {
        if (serverPid <= 0) return -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + serverPid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            error("cannot read the server's RSS: " + e);
        }
        return -1;
    }

    static String kb(long kb) {
        return kb < 0 ? "?" : String.format(Locale.ROOT, "%.1f MB", kb / 1024.0);
    }

    /** A full GC in the server (jcmd GC.run) so that heap garbage does not count as per-socket memory. */
    static void gc() throws Exception {
        if (jcmd == null || serverPid <= 0) return;
        Process p = new ProcessBuilder(jcmd, Long.toString(serverPid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        Thread.sleep(1_000);
    }

    /** The server's used Java heap (jcmd GC.heap_info), meaningful right after gc(); -1 when unknown. */
    static long heapUsedKb() {
        if (jcmd == null || serverPid <= 0) return -1;
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(serverPid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /**
     * CPU seconds of the server (from /proc) and of this process, to tell which side the two cores went to; and
     * of the server's threads by kind: the message writer (the one thread every message goes through), the JIT
     * compilers, the garbage collector.
     */
    record CpuMark(long wall, double server, double self, double[] kinds, double machine, double postgres) {
        static CpuMark now() {
            return new CpuMark(System.nanoTime(), serverCpuSeconds(), selfCpuSeconds(), serverThreadCpu(), machineCpuSeconds(),
                    postgresCpuSeconds());
        }

        /**
         * {server cores, generator cores, writer cores, jit cores, gc cores, seconds, cores used by every other process
         * on the machine (other people's work: a run is only clean when this is near 0), PostgreSQL cores} since the mark.
         */
        double[] since() {
            double secs = (System.nanoTime() - wall) / 1e9;
            double[] k = serverThreadCpu();
            double serverCores = (serverCpuSeconds() - server) / secs, selfCores = (selfCpuSeconds() - self) / secs;
            double machineCores = (machineCpuSeconds() - machine) / secs;
            double pgCores = (postgresCpuSeconds() - postgres) / secs;
            return new double[] {serverCores, selfCores, (k[0] - kinds[0]) / secs, (k[1] - kinds[1]) / secs,
                    (k[2] - kinds[2]) / secs, secs, Math.max(0, machineCores - serverCores - selfCores - pgCores), pgCores};
        }

        /** CPU seconds of the PostgreSQL processes (the database server, when the benchmark uses it). */
        static double postgresCpuSeconds() {
            double total = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) continue;
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        if (!stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals("postgres")) continue;
                        total += cpuSeconds(stat);
                    } catch (IOException | RuntimeException e) {
                        // gone
                    }
                }
            } catch (IOException e) {
                // no /proc
            }
            return total;
        }

        /** Busy CPU seconds of the whole machine (/proc/stat: everything but idle and iowait). */
        static double machineCpuSeconds() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < f.length && i <= 8; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
                return busy / 100.0;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        static double[] serverThreadCpu() {
            double[] k = new double[3];
            if (serverPid <= 0) return k;
            try (var tasks = Files.list(Path.of("/proc/" + serverPid + "/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(t.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        int kind = comm.startsWith("chathub-message") ? 0
                                : comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? 1
                                : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? 2 : -1;
                        if (kind < 0) continue;
                        k[kind] += cpuSeconds(stat);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended
                    }
                }
            } catch (IOException e) {
                // no /proc
            }
            return k;
        }

        static double serverCpuSeconds() {
            return serverPid <= 0 ? 0 : Math.max(0, processCpuSeconds(serverPid));
        }

        /** CPU seconds of process {@code pid}, or -1 when it is gone. */
        static double processCpuSeconds(long pid) {
            try {
                return cpuSeconds(Files.readString(Path.of("/proc/" + pid + "/stat")));
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** utime + stime of a /proc/…/stat line, in seconds (USER_HZ = 100). */
        static double cpuSeconds(String stat) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        }

        static double selfCpuSeconds() {
            var os = ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : 0;
        }
    }

    // =====================================================================================================
    // small things
    // =====================================================================================================

    static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static void error(String message) {
        if (errorsPrinted.incrementAndGet() <= 10) log("ERROR %s", message);
    }

    static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    static List<long[]> concat(List<long[]> a, List<long[]> b) {
        List<long[]> r = new ArrayList<>(a);
        r.addAll(b);
        return r;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o) {
        return (List<Object>) o;
    }

    static long num(Object o) {
        return ((Number) o).longValue();
    }

    /** A minimal JSON reader for the setup's answers: objects, arrays, strings, numbers, literals. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            Json j = new Json(s);
            Object v = j.value();
            j.ws();
            if (j.i != s.length()) throw new IllegalArgumentException("trailing JSON at " + j.i);
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    i++;
                    ws();
                    if (s.charAt(i) == '}') { i++; return m; }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        i++; // :
                        m.put(k, value());
                        ws();
                        if (s.charAt(i++) == '}') return m;
                    }
                }
                case '[' -> {
                    List<Object> l = new ArrayList<>();
                    i++;
                    ws();
                    if (s.charAt(i) == ']') { i++; return l; }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i++) == ']') return l;
                    }
                }
                case '"' -> { return string(); }
                case 't' -> { i += 4; return Boolean.TRUE; }
                case 'f' -> { i += 5; return Boolean.FALSE; }
                case 'n' -> { i += 4; return null; }
                default -> {
                    int st = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                    String n = s.substring(st, i);
                    if (n.contains(".") || n.contains("e") || n.contains("E")) return Double.parseDouble(n);
                    return Long.parseLong(n);
                }
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++; // "
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }
    }
}
