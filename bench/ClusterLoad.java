import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Chat-shaped load across the nodes of a ChatHub cluster (issue 12), with one node killed mid-run. JDK only; it
 * shares HubLoad's histogram and JSON reader (the source launcher compiles bench/HubLoad.java with it).
 *
 * <pre>
 *   java bench/ClusterLoad.java --nodes 127.0.0.1:8081,127.0.0.1:8082 --pids 111,222 --kill-node 1
 * </pre>
 *
 * Shape (as HubLoad's): one organization per {@code --ops-per-org} operators, {@code --chats-per-op} chats each;
 * operator k keeps one hub connection to node k mod n (so every organization has operators on every node) and
 * receives every message of its organization. Chat i's customer writes through {@code POST /api/chat/incoming} on
 * node i mod n, each send with its own {@code clientMessageId}; a send that fails (the node is gone, or answers an
 * error) is retried on another node with the same key, and a node that refused a connection is skipped from then on
 * (what a load balancer's health check does). Texts carry System.nanoTime() of the first attempt: delivery latency is
 * measured where the chat's assigned operator receives it (same JVM, same clock).
 *
 * Phases: setup → connect storm ({@code --storm} sockets of idle operators, spread over the nodes, opened at once with
 * at most {@code --storm-inflight} handshakes outstanding; RSS of every node per socket) → warm-up (closed loop) →
 * fixed rate ({@code --rate} msg/s, {@code --fixed} s) → kill ({@code --rate} msg/s for {@code --kill-phase} s; at
 * {@code --kill-at} s into it SIGKILL to the pid of {@code --kill-node}). The killed node's operators reconnect at once
 * to a live node and catch up with {@code GET /api/chat/{id}/messages?after=<the last seq they hold without a gap>};
 * the time from the kill until the last of them holds every message of their chats is "caught up". At the end every
 * chat is read from a live node: lost = acknowledged sends not stored, duplicated = sends stored twice (a text is
 * unique: it holds its nanoTime), strays = stored but never sent; and per chat,
 * the seqs its assigned operator never got (live or by catch-up) and the seqs it got twice live.
 *
 * Options (defaults): --nodes 127.0.0.1:8080 --pids (for RSS; none) --kill-node -1 (none) --kill-at 5 --kill-phase 20
 * --chats 200 --ops-per-org 10 --chats-per-op 5 --rate 1000 --warmup 10 --fixed 20 --storm 0 --storm-ops 100
 * --storm-inflight 256 --http-clients 4 --ws-clients 4 --deadline 900 --label --login demo --password demo --jcmd (path, to
 * force full GCs in the nodes around the storm's RSS; none) --jdk-ws (the JDK's WebSocket client for the storm's idle
 * sockets too; by default they use HubLoad.RawWs, the generator's own small client, which costs it a quarter of the
 * JDK's CPU per connection opened; the operators' connections, which receive every message, always use the JDK's,
 * whose selector thread costs less per message received than a virtual thread woken for each read).
 * The last line is {@code RESULT key=value …}; the exit status is 0 when nothing acknowledged was lost or duplicated.
 */
public final class ClusterLoad {
    static final char RS = '\u001e';

    // ---- options ----
    static List<Node> nodes = new ArrayList<>();
    static int killNode = -1;
    static boolean jdkWs = false;
    static int killAtSeconds = 5;
    static int killPhaseSeconds = 20;
    static int chats = 200;
    static int opsPerOrg = 10;
    static int chatsPerOp = 5;
    static int rate = 1000;
    static int warmupSeconds = 10;
    static int fixedSeconds = 20;
    static int storm = 0;
    static int stormOps = 100;
    static int stormInflight = 256;
    static int httpClients = 4;
    static int wsClients = 4;
    static int deadlineSeconds = 900;
    static String label = "";
    static String login = "demo", password = "demo";
    static String jcmd = null;

    static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    // ---- state ----
    static HttpClient[] http;
    static HttpClient[] wsHttp;
    static final AtomicInteger rr = new AtomicInteger();
    static final ScheduledExecutorService retries = Executors.newScheduledThreadPool(2);
    static String companyToken;
    static long[] chatIds;
    static long[] chatOrg;
    static String[] chatClient;
    static long[] chatOperator;
    static final Map<Long, Integer> chatIndex = new HashMap<>();
    static final Map<Long, Op> operators = new LinkedHashMap<>();
    static Set<Long>[] seen;      // chat index → seqs its assigned operator holds (live or caught up)
    static Set<Long>[] seenLive;  // chat index → seqs its assigned operator got live
    static final AtomicLong liveDuplicates = new AtomicLong();
    static final Set<String> acknowledged = ConcurrentHashMap.newKeySet(); // texts of acknowledged sends (unique: nanoTime)
    static final Set<String> unknown = ConcurrentHashMap.newKeySet();      // texts of sends whose outcome is unknown
    static final AtomicLong keys = new AtomicLong();
    static final List<Conn> allConns = new ArrayList<>();
    static volatile Phase[] phases = new Phase[8];
    static volatile long killedAt;

    record Node(int index, String host, int port, long pid) {
        String base() {
            return "http://" + host + ":" + port;
        }
    }

    /** A node answered with a refused connection: the "load balancer" stops sending to it. */
    static final Set<Integer> down = ConcurrentHashMap.newKeySet();

    /** An operator of the chats: its token, its connection, its chats. */
    static final class Op {
        final long id;
        final String token;
        final List<Integer> chats = new ArrayList<>();
        volatile Conn conn;
        volatile int node;
        volatile long reconnectedAt, caughtUpAt;
        volatile boolean onKilledNode;

        Op(long id, String token, int node) {
            this.id = id;
            this.token = token;
            this.node = node;
        }
    }

    public static void main(String[] args) {
        parse(args);
        HubLoad.runMain(deadlineSeconds, ClusterLoad::run);
    }

    static void parse(String[] args) {
        String nodeList = "127.0.0.1:8080", pidList = "";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--nodes" -> { nodeList = v; i++; }
                case "--pids" -> { pidList = v; i++; }
                case "--kill-node" -> { killNode = Integer.parseInt(v); i++; }
                case "--kill-at" -> { killAtSeconds = Integer.parseInt(v); i++; }
                case "--kill-phase" -> { killPhaseSeconds = Integer.parseInt(v); i++; }
                case "--chats" -> { chats = Integer.parseInt(v); i++; }
                case "--ops-per-org" -> { opsPerOrg = Integer.parseInt(v); i++; }
                case "--chats-per-op" -> { chatsPerOp = Integer.parseInt(v); i++; }
                case "--rate" -> { rate = Integer.parseInt(v); i++; }
                case "--warmup" -> { warmupSeconds = Integer.parseInt(v); i++; }
                case "--fixed" -> { fixedSeconds = Integer.parseInt(v); i++; }
                case "--storm" -> { storm = Integer.parseInt(v); i++; }
                case "--storm-ops" -> { stormOps = Integer.parseInt(v); i++; }
                case "--storm-inflight" -> { stormInflight = Integer.parseInt(v); i++; }
                case "--http-clients" -> { httpClients = Integer.parseInt(v); i++; }
                case "--ws-clients" -> { wsClients = Integer.parseInt(v); i++; }
                case "--deadline" -> { deadlineSeconds = Integer.parseInt(v); i++; }
                case "--label" -> { label = v; i++; }
                case "--login" -> { login = v; i++; }
                case "--password" -> { password = v; i++; }
                case "--jcmd" -> { jcmd = v; i++; }
                case "--jdk-ws" -> jdkWs = true;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        String[] hp = nodeList.split(",");
        String[] pids = pidList.isBlank() ? new String[0] : pidList.split(",");
        for (int i = 0; i < hp.length; i++) {
            String h = hp[i].substring(0, hp[i].lastIndexOf(':'));
            if (!h.equals("127.0.0.1") && !h.equals("localhost")) throw new IllegalArgumentException("loopback only: " + hp[i]);
            nodes.add(new Node(i, h, Integer.parseInt(hp[i].substring(hp[i].lastIndexOf(':') + 1)),
                    i < pids.length ? Long.parseLong(pids[i]) : -1));
        }
        if (killNode >= nodes.size() || (killNode >= 0 && nodes.size() < 2)) throw new IllegalArgumentException("--kill-node needs another live node");
        if (killNode >= 0 && nodes.get(killNode).pid() <= 0) throw new IllegalArgumentException("--kill-node needs its --pids entry");
    }

    // =====================================================================================================
    // the run
    // =====================================================================================================

    @SuppressWarnings("unchecked")
    static int run() throws Exception {
        http = clients(httpClients);
        wsHttp = clients(wsClients);
        int orgs = (chats + opsPerOrg * chatsPerOp - 1) / (opsPerOrg * chatsPerOp);
        log("ClusterLoad %s: nodes=%s chats=%d orgs=%d ops/org=%d chats/op=%d rate=%d/s storm=%d kill-node=%d",
                label, nodes.stream().map(n -> n.host() + ":" + n.port()).toList(), chats, orgs, opsPerOrg, chatsPerOp, rate, storm, killNode);
        Map<String, String> result = new LinkedHashMap<>();
        result.put("label", label);
        result.put("nodes", Integer.toString(nodes.size()));
        result.put("chats", Integer.toString(chats));

        // ---- setup (through node 0) ----
        long t0 = System.nanoTime();
        Node first = nodes.getFirst();
        companyToken = unquote(postJson(first, "/api/company/get-token", "{\"login\":" + q(login) + ",\"password\":" + q(password) + "}", null));
        long[] orgIds = new long[orgs];
        for (int o = 0; o < orgs; o++) orgIds[o] = createOrganization("cluster-" + RUN + "-org-" + o);
        List<Long> opIds = synchronize(orgIds, opsPerOrg, "op", Math.min(1000, chatsPerOp * 2));
        Map<Long, String> tokens = mintTokens(opIds);
        for (int k = 0; k < opIds.size(); k++) {
            long id = opIds.get(k);
            operators.put(id, new Op(id, tokens.get(id), k % nodes.size()));
        }
        Semaphore openLimit = new Semaphore(32);
        List<CompletableFuture<Conn>> opening = new ArrayList<>();
        for (Op op : operators.values()) opening.add(open(nodes.get(op.node), op.token, op, true, openLimit));
        for (CompletableFuture<Conn> f : opening) {
            Conn c = f.get(60, TimeUnit.SECONDS);
            c.op.conn = c;
        }
        startPinger();
        chatIds = new long[chats];
        chatOrg = new long[chats];
        chatClient = new String[chats];
        chatOperator = new long[chats];
        seen = new Set[chats];
        seenLive = new Set[chats];
        Semaphore limit = new Semaphore(16);
        List<CompletableFuture<Void>> created = new ArrayList<>();
        int chatsPerOrg = opsPerOrg * chatsPerOp;
        for (int i = 0; i < chats; i++) {
            int ci = i;
            chatOrg[i] = orgIds[i / chatsPerOrg];
            chatClient[i] = "cluster-" + RUN + "-client-" + i;
            seen[i] = ConcurrentHashMap.newKeySet();
            seenLive[i] = ConcurrentHashMap.newKeySet();
            limit.acquire();
            String body = "{\"organizationId\":" + chatOrg[i] + ",\"client\":{\"externalId\":" + q(chatClient[i])
                    + ",\"name\":\"Client " + i + "\"},\"textMessage\":\"hello\"}";
            created.add(http().sendAsync(post(nodes.get(i % nodes.size()), "/api/chat/incoming", body, companyToken),
                    HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                        check(r, "incoming");
                        chatIds[ci] = num(asMap(HubLoad.Json.parse(r.body())).get("chatId"));
                    }).whenComplete((v, e) -> limit.release()));
        }
        for (CompletableFuture<Void> f : created) f.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < chats; i++) chatIndex.put(chatIds[i], i);
        waitForAssignments(orgIds);
        for (int i = 0; i < chats; i++) {
            seen[i].add(1L); // "hello": before the operator was assigned, not counted
            operators.get(chatOperator[i]).chats.add(i);
        }
        long setupMs = (System.nanoTime() - t0) / 1_000_000;
        log("setup: %d orgs, %d operator connections over %d nodes, %d chats opened and assigned in %d ms",
                orgs, operators.size(), nodes.size(), chats, setupMs);
        result.put("setup_ms", Long.toString(setupMs));

        if (storm > 0) stormPhase(result);

        // ---- load ----
        Phase warm = closedLoop(1, "warm-up (closed loop, for the JIT)", warmupSeconds);
        Phase fixed = fixedRate(2, "fixed", fixedSeconds, -1);
        fixed.report(result, "fixed");
        if (killNode >= 0) {
            Phase kill = fixedRate(3, "kill (node " + killNode + " SIGKILLed at " + killAtSeconds + " s)", killPhaseSeconds, killAtSeconds);
            kill.report(result, "kill");
            reportCatchUp(result);
        }

        // ---- reconciliation ----
        Thread.sleep(1_000); // the last gap fills (250 ms) and stragglers
        reconcile(result, warm);
        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        synchronized (allConns) {
            for (Conn c : allConns) c.abort();
        }
        return "0".equals(result.get("lost")) && "0".equals(result.get("duplicated")) && "0".equals(result.get("strays")) ? 0 : 2;
    }

    static HttpClient[] clients(int n) {
        HttpClient[] cs = new HttpClient[n];
        for (int i = 0; i < n; i++) {
            cs[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        }
        return cs;
    }

    // ---- phases ----

    /** {@code --storm} idle operator sockets spread over the nodes, all at once (bounded handshakes in flight). */
    static void stormPhase(Map<String, String> result) throws Exception {
        long org = createOrganization("cluster-" + RUN + "-storm");
        List<Long> ids = synchronize(new long[] {org}, Math.min(stormOps, storm), "idle", 5);
        Map<Long, String> tokens = mintTokens(ids);
        gcNodes();
        long before = rssSum();
        Semaphore inflight = new Semaphore(stormInflight);
        double[] cpu0 = Phase.cpuSeconds();
        long t0 = System.nanoTime();
        List<CompletableFuture<Conn>> opening = new ArrayList<>(storm);
        for (int i = 0; i < storm; i++) {
            opening.add(open(nodes.get(i % nodes.size()), tokens.get(ids.get(i % ids.size())), null, false, inflight));
        }
        int opened = 0, failed = 0;
        for (CompletableFuture<Conn> f : opening) {
            try {
                f.get(120, TimeUnit.SECONDS);
                opened++;
            } catch (Exception e) {
                if (failed++ < 3) log("storm connection failed: %s", e);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        double[] cpu1 = Phase.cpuSeconds();
        double secs = cpu1[4] - cpu0[4], nodesCores = (cpu1[0] - cpu0[0]) / secs, pgCores = (cpu1[1] - cpu0[1]) / secs,
                selfCores = (cpu1[2] - cpu0[2]) / secs;
        log("storm CPU: the nodes %.2f cores (%.0f µs per socket), PostgreSQL %.2f, this generator %.2f (%.0f µs per socket), everything else %.2f",
                nodesCores, (cpu1[0] - cpu0[0]) * 1e6 / Math.max(1, storm), pgCores, selfCores, (cpu1[2] - cpu0[2]) * 1e6 / Math.max(1, storm),
                Math.max(0, (cpu1[3] - cpu0[3]) / secs - nodesCores - pgCores - selfCores));
        Thread.sleep(5_000); // settle: buffers released, first keep-alive Pings not yet due
        long after = rssSum();
        gcNodes();
        long afterGc = rssSum();
        double perSocket = opened == 0 || before < 0 ? -1 : (after - before) / (double) opened;
        double perSocketGc = opened == 0 || before < 0 ? -1 : (afterGc - before) / (double) opened;
        log("storm: %d/%d sockets over %d nodes opened in %d ms (%.0f/s, %d handshakes in flight at most); RSS of the nodes %s -> %s "
                        + "(%s after a full GC%s): %.1f KB per socket (%.1f after GC)",
                opened, storm, nodes.size(), ms, opened * 1000.0 / Math.max(1, ms), stormInflight, kb(before), kb(after), kb(afterGc),
                jcmd == null ? ", no --jcmd: none forced" : "", perSocket, perSocketGc);
        result.put("storm_opened", Integer.toString(opened));
        result.put("storm_ms", Long.toString(ms));
        result.put("storm_kb_per_socket", String.format(Locale.ROOT, "%.1f", perSocket));
        result.put("storm_kb_per_socket_gc", String.format(Locale.ROOT, "%.1f", perSocketGc));
    }

    /** Open loop: message i leaves at t0 + i/rate, chats in turn; at {@code killAt} s the kill node gets SIGKILL. */
    static Phase fixedRate(int id, String name, int seconds, int killAt) throws Exception {
        Phase p = new Phase(id, name);
        phases[id] = p;
        if (seconds <= 0) return p;
        long total = (long) rate * seconds;
        long interval = 1_000_000_000L / rate;
        long killDue = killAt < 0 ? Long.MAX_VALUE : (long) killAt * rate;
        Semaphore inflight = new Semaphore(1024);
        long start = System.nanoTime();
        p.start = start;
        for (long i = 0; i < total; i++) {
            if (i == killDue) kill();
            long due = start + i * interval;
            long now;
            while ((now = System.nanoTime()) < due) LockSupport.parkNanos(Math.min(due - now, 200_000));
            if (!inflight.tryAcquire(10, TimeUnit.SECONDS)) {
                p.stalled.incrementAndGet();
                break;
            }
            send(p, (int) (i % chats), inflight);
        }
        drain(p);
        p.print();
        return p;
    }

    /** Closed loop: as fast as the nodes answer, 64 sends outstanding. */
    static Phase closedLoop(int id, String name, int seconds) throws Exception {
        Phase p = new Phase(id, name);
        phases[id] = p;
        if (seconds <= 0) return p;
        Semaphore inflight = new Semaphore(64);
        long start = System.nanoTime();
        p.start = start;
        long end = start + seconds * 1_000_000_000L;
        for (int i = 0; System.nanoTime() < end; i = (i + 1) % chats) {
            if (!inflight.tryAcquire(10, TimeUnit.SECONDS)) {
                p.stalled.incrementAndGet();
                break;
            }
            send(p, i, inflight);
        }
        drain(p);
        p.print();
        return p;
    }

    static void drain(Phase p) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (p.acked.get() + p.failed.get() >= p.sent.get() && p.assigned.count() >= p.acked.get() - p.afterKill.get()) break;
            Thread.sleep(20);
        }
        p.end = System.nanoTime();
        p.markEnd();
        Thread.sleep(200);
    }

    static void kill() {
        Node n = nodes.get(killNode);
        for (Op op : operators.values()) if (op.node == killNode) op.onKilledNode = true;
        Phase.processCpuSeconds(n.pid()); // its CPU until now counts in the phase's figure
        killedAt = System.nanoTime();
        boolean sent = ProcessHandle.of(n.pid()).map(ProcessHandle::destroyForcibly).orElse(false);
        log("kill: SIGKILL to node %d (pid %d): %s", killNode, n.pid(), sent ? "sent" : "NO SUCH PROCESS");
    }

    // ---- sends ----

    static void send(Phase p, int chat, Semaphore inflight) {
        p.sent.incrementAndGet();
        long now = System.nanoTime();
        String key = RUN + "-" + keys.incrementAndGet();
        String text = "hb " + p.id + " " + now + " " + chat;
        String body = "{\"organizationId\":" + chatOrg[chat] + ",\"client\":{\"externalId\":\"" + chatClient[chat]
                + "\"},\"textMessage\":\"" + text + "\",\"clientMessageId\":\"" + key + "\"}";
        attempt(p, text, body, now, chat % nodes.size(), 0, inflight);
    }

    /** One attempt on {@code node} (or the next live one); a failure is retried on another node with the same key. */
    static void attempt(Phase p, String text, String body, long sentNanos, int node, int attempt, Semaphore inflight) {
        int target = node;
        for (int k = 0; k < nodes.size() && down.contains(target); k++) target = (target + 1) % nodes.size();
        int used = target;
        http().sendAsync(post(nodes.get(used), "/api/chat/incoming", body, companyToken), HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> {
                    if (e == null && r.statusCode() == 200) {
                        inflight.release();
                        p.ack(System.nanoTime() - sentNanos);
                        if (killedAt != 0) p.afterKill.incrementAndGet(); // its delivery may come by catch-up instead
                        unknown.remove(text);
                        acknowledged.add(text);
                        return;
                    }
                    p.errors.incrementAndGet();
                    unknown.add(text); // the node may have stored it before it failed or went away
                    if (e != null && causedBy(e, java.net.ConnectException.class)) down.add(used);
                    error("send to node " + used + " failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
                    if (attempt >= 20) {
                        inflight.release();
                        p.failed.incrementAndGet();
                        return;
                    }
                    retries.schedule(() -> attempt(p, text, body, sentNanos, (used + 1) % nodes.size(), attempt + 1, inflight),
                            Math.min(500, 20L << Math.min(attempt, 4)), TimeUnit.MILLISECONDS);
                });
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }

    // ---- deliveries and catch-up ----

    /** A ReceiveMessage at an operator connection: its chat and seq, and for "hb" texts the latency. */
    static void delivered(Conn c, String record, long now) {
        int ci = record.indexOf("\"chatId\":"), si = record.indexOf("\"seq\":");
        if (ci < 0 || si < 0) return;
        Integer chat = chatIndex.get(longAt(record, ci + 9));
        if (chat == null) return;
        long seq = longAt(record, si + 6);
        int m = record.indexOf("\"message\":\"hb ");
        Phase p = null;
        long latency = 0;
        if (m >= 0) {
            int s = m + 14, sp1 = record.indexOf(' ', s), sp2 = record.indexOf(' ', sp1 + 1);
            p = phases[Integer.parseInt(record, s, sp1, 10)];
            latency = now - Long.parseLong(record, sp1 + 1, sp2, 10);
            if (p != null) p.delivered.incrementAndGet();
        }
        if (chatOperator[chat] != c.op.id) return;
        if (!seenLive[chat].add(seq)) liveDuplicates.incrementAndGet();
        seen[chat].add(seq);
        if (p != null) p.assigned.record(latency);
    }

    static long longAt(String s, int from) {
        int end = from;
        while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
        return Long.parseLong(s, from, end, 10);
    }

    /** The connection of a chats' operator is gone: reconnect to a live node at once, then catch up with after=. */
    static void reconnect(Op op) {
        Thread.ofVirtual().start(() -> {
            for (int attempt = 0; attempt < 200; attempt++) {
                int node = (op.node + 1 + attempt) % nodes.size();
                if (down.contains(node) || node == killNode && killedAt != 0) continue;
                try {
                    Conn c = open(nodes.get(node), op.token, op, true, new Semaphore(1)).get(20, TimeUnit.SECONDS);
                    op.conn = c;
                    op.node = node;
                    op.reconnectedAt = System.nanoTime();
                    catchUp(op, nodes.get(node));
                    op.caughtUpAt = System.nanoTime();
                    return;
                } catch (Exception e) {
                    error("reconnect of operator " + op.id + " to node " + node + " failed: " + e);
                    sleep(100);
                }
            }
        });
    }

    /** For each chat of the operator: the messages after the last seq it holds without a gap, from the node it is on. */
    static void catchUp(Op op, Node node) throws Exception {
        for (int chat : op.chats) {
            long after = 1;
            while (seen[chat].contains(after + 1)) after++;
            for (int page = 0; page < 100; page++) {
                HttpRequest req = HttpRequest.newBuilder(URI.create(node.base() + "/api/chat/" + chatIds[chat] + "/messages?after=" + after
                        + "&limit=1000")).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + op.token).GET().build();
                HttpResponse<String> r = http().send(req, HttpResponse.BodyHandlers.ofString());
                check(r, "catch-up");
                List<Object> items = asList(HubLoad.Json.parse(r.body()));
                for (Object o : items) {
                    long seq = num(asMap(o).get("seq"));
                    seen[chat].add(seq);
                    after = Math.max(after, seq);
                }
                if (items.size() < 1000) break;
            }
        }
    }

    static void reportCatchUp(Map<String, String> result) {
        long last = 0, reconnected = 0;
        int ops = 0, pending = 0;
        for (Op op : operators.values()) {
            if (!op.onKilledNode) continue;
            ops++;
            if (op.caughtUpAt == 0) {
                pending++;
                continue;
            }
            last = Math.max(last, op.caughtUpAt - killedAt);
            reconnected = Math.max(reconnected, op.reconnectedAt - killedAt);
        }
        log("catch-up: %d operators were on the killed node; all reconnected to a live node within %.0f ms of the kill and held "
                + "every message of their chats within %.0f ms%s", ops, reconnected / 1e6, last / 1e6,
                pending > 0 ? "; " + pending + " NEVER CAUGHT UP" : "");
        result.put("killed_ops", Integer.toString(ops));
        result.put("reconnected_ms", String.format(Locale.ROOT, "%.0f", reconnected / 1e6));
        result.put("caught_up_ms", pending > 0 ? "never" : String.format(Locale.ROOT, "%.0f", last / 1e6));
    }

    /** Every chat read from a live node: stored once what was acknowledged; what each assigned operator holds. */
    static void reconcile(Map<String, String> result, Phase warm) throws Exception {
        Node live = nodes.stream().filter(n -> n.index() != killNode && !down.contains(n.index())).findFirst().orElseThrow();
        Map<String, Integer> stored = new HashMap<>(); // text → copies
        long missing = 0, storedMessages = 0;
        for (int chat = 0; chat < chats; chat++) {
            long after = 0;
            for (int page = 0; page < 1000; page++) {
                List<Object> items = asList(HubLoad.Json.parse(get(live, "/api/chat/" + chatIds[chat] + "/messages?after=" + after + "&limit=1000")));
                for (Object o : items) {
                    Map<String, Object> m = asMap(o);
                    long seq = num(m.get("seq"));
                    after = Math.max(after, seq);
                    storedMessages++;
                    String text = String.valueOf(m.get("message"));
                    if (text.startsWith("hb ")) stored.merge(text, 1, Integer::sum);
                    if (!seen[chat].contains(seq)) missing++;
                }
                if (items.size() < 1000) break;
            }
        }
        long lost = acknowledged.stream().filter(t -> !stored.containsKey(t)).count();
        long duplicated = stored.values().stream().mapToLong(n -> n - 1).sum();
        long strays = stored.keySet().stream().filter(t -> !acknowledged.contains(t) && !unknown.contains(t)).count();
        long unknownStored = unknown.stream().filter(stored::containsKey).count();
        log("reconciled on node %d: %d messages stored; acknowledged %d, lost %d, duplicated %d; %d sends of unknown outcome "
                        + "(%d of them stored), %d stored that were never sent; deliveries: %d stored messages the chat's operator "
                        + "never got (live or by catch-up), %d got twice live",
                live.index(), storedMessages, acknowledged.size(), lost, duplicated, unknown.size(), unknownStored, strays,
                missing, liveDuplicates.get());
        result.put("acked", Integer.toString(acknowledged.size()));
        result.put("unknown", Integer.toString(unknown.size()));
        result.put("lost", Long.toString(lost));
        result.put("duplicated", Long.toString(duplicated));
        result.put("strays", Long.toString(strays));
        result.put("undelivered", Long.toString(missing));
        result.put("delivered_twice", Long.toString(liveDuplicates.get()));
        result.put("errors", Long.toString(totalErrors()));
        result.put("warm_msgs_per_s", String.format(Locale.ROOT, "%.0f", warm.acked.get() / warm.seconds()));
    }

    static long totalErrors() {
        long n = 0;
        for (Phase p : phases) if (p != null) n += p.errors.get();
        return n;
    }

    // ---- results ----

    static final class Phase {
        final int id;
        final String name;
        final HubLoad.Histo assigned = new HubLoad.Histo(), ack = new HubLoad.Histo();
        final AtomicLong sent = new AtomicLong(), acked = new AtomicLong(), failed = new AtomicLong(), errors = new AtomicLong(),
                delivered = new AtomicLong(), stalled = new AtomicLong(), afterKill = new AtomicLong();
        volatile long start, end;
        /** CPU seconds at the phase's start: the nodes, PostgreSQL, this generator, the whole machine. */
        final double[] cpu0 = cpuSeconds();
        double[] cores; // since then, at the phase's end: the same four, in cores

        Phase(int id, String name) {
            this.id = id;
            this.name = name;
        }

        static double[] cpuSeconds() {
            double nodesCpu = 0;
            for (Node n : nodes) nodesCpu += processCpuSeconds(n.pid());
            return new double[] {nodesCpu, HubLoad.CpuMark.postgresCpuSeconds(), HubLoad.CpuMark.selfCpuSeconds(),
                    HubLoad.CpuMark.machineCpuSeconds(), System.nanoTime() / 1e9};
        }

        /** utime + stime of a process; once it is gone, the last figure read (kill() reads one just before the kill). */
        static double processCpuSeconds(long pid) {
            double cpu = HubLoad.CpuMark.processCpuSeconds(pid);
            if (cpu < 0) return LAST_CPU.getOrDefault(pid, 0.0);
            LAST_CPU.put(pid, cpu);
            return cpu;
        }

        static final Map<Long, Double> LAST_CPU = new java.util.concurrent.ConcurrentHashMap<>();

        void markEnd() {
            double[] now = cpuSeconds();
            double secs = now[4] - cpu0[4];
            cores = new double[4];
            for (int i = 0; i < 4; i++) cores[i] = Math.max(0, now[i] - cpu0[i]) / secs;
        }

        void ack(long latency) {
            ack.record(latency);
            acked.incrementAndGet();
        }

        double seconds() {
            return Math.max(1, end - start) / 1e9;
        }

        void print() {
            log("%s: sent %d, acknowledged %d (%.0f msg/s), errors %d (retried with the same key), failed %d%s",
                    name, sent.get(), acked.get(), acked.get() / seconds(), errors.get(), failed.get(), stalled.get() > 0 ? ", STALLED" : "");
            if (cores != null) {
                log("  CPU: the nodes %.2f cores, PostgreSQL %.2f, this generator %.2f, everything else (NATS, others) %.2f, of %d",
                        cores[0], cores[1], cores[2], Math.max(0, cores[3] - cores[0] - cores[1] - cores[2]),
                        Runtime.getRuntime().availableProcessors());
            }
            log("  delivery to the chat's operator: %s", assigned.summary());
            log("  %d deliveries to every connection of the organizations, %.0f deliveries/s; send -> 200: %s",
                    delivered.get(), delivered.get() / seconds(), ack.summary());
        }

        void report(Map<String, String> r, String k) {
            r.put(k + "_acked", Long.toString(acked.get()));
            r.put(k + "_errors", Long.toString(errors.get()));
            r.put(k + "_failed", Long.toString(failed.get()));
            r.put(k + "_msgs_per_s", String.format(Locale.ROOT, "%.0f", acked.get() / seconds()));
            r.put(k + "_deliveries_per_s", String.format(Locale.ROOT, "%.0f", delivered.get() / seconds()));
            r.put(k + "_p50_ms", ms(assigned.percentile(50)));
            r.put(k + "_p95_ms", ms(assigned.percentile(95)));
            r.put(k + "_p99_ms", ms(assigned.percentile(99)));
            r.put(k + "_max_ms", ms(assigned.max()));
        }
    }

    static String ms(long nanos) {
        return HubLoad.ms(nanos);
    }

    // =====================================================================================================
    // hub connections
    // =====================================================================================================

    static final class Conn extends HubLoad.Socket {
        final Op op; // null: an idle socket of the storm

        Conn(Op op) {
            this.op = op;
        }

        @Override
        void record(String r, long now) {
            if (op != null && r.startsWith("{\"type\":1,\"target\":\"ReceiveMessage\"")) delivered(this, r, now);
            else if (r.startsWith("{\"type\":7")) closed(new IOException("Close: " + r));
        }

        /** Once: an operator of the chats reconnects (an idle socket of the storm does not). */
        @Override
        void closed(Throwable cause) {
            boolean first;
            synchronized (this) {
                first = !closed;
                super.closed(cause);
            }
            if (first && open && op != null && op.conn == this) reconnect(op);
        }
    }

    /** Opens a connection to {@code node} with at most {@code limit}'s permits of handshakes in flight. */
    static CompletableFuture<Conn> open(Node node, String token, Op op, boolean negotiate, Semaphore limit) {
        try {
            limit.acquire();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Conn c = new Conn(op);
        HttpClient client = wsHttp[Math.floorMod(rr.getAndIncrement(), wsHttp.length)];
        CompletableFuture<Conn> result = jdkWs || op != null ? HubLoad.connect(client, node.host(), node.port(), token, negotiate, c)
                : HubLoad.connectRaw(client, node.host(), node.port(), token, negotiate, c);
        result.whenComplete((v, e) -> {
            limit.release();
            if (e == null) {
                synchronized (allConns) {
                    allConns.add(c);
                }
            }
        });
        return result;
    }

    /** Every connection sends a Ping every 10 s (the server closes a client silent for 30 s), spread over time. */
    static void startPinger() {
        HubLoad.startPinger(() -> {
            synchronized (allConns) {
                return allConns.toArray();
            }
        });
    }

    // =====================================================================================================
    // REST helpers
    // =====================================================================================================

    static HttpClient http() {
        return http[Math.floorMod(rr.getAndIncrement(), http.length)];
    }

    static HttpRequest post(Node node, String path, String body, String token) {
        return HubLoad.request(node.base() + path, body, token);
    }

    static String postJson(Node node, String path, String body, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = http[0].send(post(node, path, body, token), HttpResponse.BodyHandlers.ofString());
        check(r, path);
        return r.body();
    }

    static String get(Node node, String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(node.base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + companyToken).GET().build();
        HttpResponse<String> r = http[0].send(req, HttpResponse.BodyHandlers.ofString());
        check(r, path);
        return r.body();
    }

    static void check(HttpResponse<String> r, String what) {
        HubLoad.check(r, what);
    }

    static long createOrganization(String name) throws Exception {
        return num(asMap(HubLoad.Json.parse(postJson(nodes.getFirst(), "/api/company/organization", "{\"name\":" + q(name) + "}", companyToken))).get("id"));
    }

    /** {@code perOrg} operators in each organization, named {@code prefix}-o-k; their ids in order. */
    static List<Long> synchronize(long[] orgIds, int perOrg, String prefix, int maxChats) throws Exception {
        StringBuilder sync = new StringBuilder("[");
        for (int o = 0; o < orgIds.length; o++) {
            for (int k = 0; k < perOrg; k++) {
                if (sync.length() > 1) sync.append(',');
                sync.append("{\"organizationId\":").append(orgIds[o]).append(",\"name\":\"").append(prefix).append('-').append(o).append('-').append(k)
                        .append("\",\"externalId\":\"cluster-").append(RUN).append('-').append(prefix).append('-').append(orgIds[o]).append('-').append(k)
                        .append("\",\"maxChats\":").append(maxChats).append('}');
            }
        }
        sync.append(']');
        List<Long> ids = new ArrayList<>();
        for (Object o : asList(HubLoad.Json.parse(postJson(nodes.getFirst(), "/api/operator/synchronize", sync.toString(), companyToken)))) {
            ids.add(num(asMap(o).get("id")));
        }
        return ids;
    }

    static Map<Long, String> mintTokens(List<Long> ids) throws Exception {
        return HubLoad.mintTokens(ClusterLoad::http, nodes.getFirst().base(), companyToken, ids);
    }

    /** Reads the chats of our organizations until each has an operator; fills chatOperator. */
    static void waitForAssignments(long[] orgIds) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            int unassigned = 0;
            for (long org : orgIds) {
                for (int page = 1; page < 1000; page++) {
                    List<Object> items = asList(asMap(HubLoad.Json.parse(get(nodes.getFirst(),
                            "/api/chat/chats?organizationId=" + org + "&per_page=100&page=" + page))).get("items"));
                    for (Object o : items) {
                        Map<String, Object> chat = asMap(o);
                        Integer i = chatIndex.get(num(chat.get("id")));
                        if (i == null) continue;
                        Object op = chat.get("operator");
                        if (op == null) unassigned++;
                        else chatOperator[i] = num(asMap(op).get("id"));
                    }
                    if (items.size() < 100) break;
                }
            }
            if (unassigned == 0) return;
            if (System.nanoTime() > deadline) throw new IllegalStateException(unassigned + " chats were not assigned within 30 s");
            Thread.sleep(250);
        }
    }

    // ---- the nodes' memory ----

    /** The RSS of every node with a pid, summed; -1 when none is known. */
    static long rssSum() {
        long sum = 0;
        boolean any = false;
        for (Node n : nodes) {
            if (n.pid() <= 0) continue;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + n.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        sum += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        any = true;
                    }
                }
            } catch (IOException e) {
                error("cannot read the RSS of node " + n.index() + ": " + e);
            }
        }
        return any ? sum : -1;
    }

    /** A full GC in every node (jcmd GC.run), so that heap garbage does not count as per-socket memory. */
    static void gcNodes() throws Exception {
        if (jcmd == null) return;
        for (Node n : nodes) {
            if (n.pid() <= 0) continue;
            Process p = new ProcessBuilder(jcmd, Long.toString(n.pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        Thread.sleep(1_000);
    }

    static String kb(long kb) {
        return HubLoad.kb(kb);
    }

    static void log(String format, Object... args) {
        HubLoad.log(format, args);
    }

    static void error(String message) {
        HubLoad.error(message);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String q(String s) {
        return HubLoad.q(s);
    }

    static String unquote(String s) {
        return HubLoad.unquote(s);
    }

    static Map<String, Object> asMap(Object o) {
        return HubLoad.asMap(o);
    }

    static List<Object> asList(Object o) {
        return HubLoad.asList(o);
    }

    static long num(Object o) {
        return HubLoad.num(o);
    }
}
