package io.chathub.chat;

import io.chathub.testing.Api;
import io.chathub.testing.HubClient;
import io.chathub.testing.TestCluster;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing across two nodes on one PostgreSQL (and NATS for the events): presence is cluster-wide and routing is
 * decided in the database, so round-robin, {@code maxChats} and oldest-first hold whichever node a chat comes in on
 * and whichever node its operator is connected to. PostgreSQL only (a SQLite database belongs to one node).
 */
class ClusterRoutingTest {
    static TestServer nodeA;
    static TestServer nodeB;

    private final List<HubClient> clients = new ArrayList<>();

    static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start();
        nodeA = cluster.nodeA();
        nodeB = cluster.nodeB();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(HubClient::close);
        clients.clear();
    }

    private HubClient connect(TestServer node, TestTenant tenant, long operatorId, String name) {
        HubClient c = node.connect(tenant.operatorToken(operatorId), name);
        clients.add(c);
        return c;
    }

    /** A new chat of a new client through this node's {@code POST /api/chat/incoming}. */
    static long newChat(Api api, TestTenant tenant, long organizationId) {
        var r = api.post("/api/chat/incoming").bearer(tenant.token()).json(Map.of("organizationId", organizationId,
                "client", Map.of("externalId", TestTenant.newClient()), "textMessage", "Hello")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("chatId").longValue();
    }

    static long awaitAssigned(HubClient watcher, long chatId) {
        return watcher.await("ChatAssigned", e -> e.chatId() == chatId && !e.arg(0).get("operator").isNull())
                .arg(0).get("operator").get("id").longValue();
    }

    @Test
    void anOperatorOnNodeAGetsAChatThatArrivesOnNodeBAndRoundRobinSpansTheNodes() {
        TestTenant acme = nodeA.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna");
        long bram = acme.operator(sales, "Bram");
        HubClient annaOnA = connect(nodeA, acme, anna, "Anna on node A");

        long first = newChat(nodeB.api(), acme, sales);
        assertThat(awaitAssigned(annaOnA, first)).isEqualTo(anna);
        assertThat(annaOnA.awaitChat("ReceiveMessage", first).arg(0).get("message").asText()).isEqualTo("Hello");
        assertThat(acme.chat(first).get("operator").get("id").longValue()).isEqualTo(anna);

        HubClient company = acme.connect();
        clients.add(company);
        connect(nodeB, acme, bram, "Bram on node B");
        List<Long> assignees = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long chatId = newChat((i % 2 == 0 ? nodeA : nodeB).api(), acme, sales);
            assignees.add(awaitAssigned(company, chatId));
        }
        assertThat(assignees).as("the turn is kept in the database: after Anna, Bram, whichever node routes")
                .containsExactly(bram, anna, bram, anna);
    }

    @Test
    void maxChatsAndOldestFirstHoldAcrossNodesUnder200ConcurrentNewChats() throws Exception {
        TestTenant acme = nodeA.newTenant();
        long sales = acme.organization("Sales");
        int maxChats = 10;
        List<Long> operators = new ArrayList<>();
        for (String name : List.of("Anna", "Bram", "Chris", "Dora")) operators.add(acme.operator(sales, name, maxChats));
        for (int i = 0; i < operators.size(); i++) {
            connect(i < 2 ? nodeA : nodeB, acme, operators.get(i), "operator " + i + " on node " + (i < 2 ? "A" : "B"));
        }
        HubClient company = acme.connect();
        clients.add(company);

        int chats = 200, threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger made = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Api api = (t % 2 == 0 ? nodeA : nodeB).api();
                futures.add(pool.submit(() -> {
                    while (made.incrementAndGet() <= chats) newChat(api, acme, sales);
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        int capacity = operators.size() * maxChats;
        eventually(() -> loads(sales).values().stream().mapToInt(Integer::intValue).sum() == capacity, Duration.ofSeconds(20));
        company.awaitCount("ChatAssigned", capacity, Duration.ofSeconds(20));
        Thread.sleep(300); // anything more would be a second assignment, or one beyond maxChats
        Map<Long, Integer> loads = loads(sales);
        assertThat(loads).as("every operator exactly full, none beyond").hasSize(operators.size()).allSatisfy((op, n) ->
                assertThat(n).isEqualTo(maxChats));
        Map<Long, Integer> announced = new HashMap<>();
        for (HubClient.Event e : company.events("ChatAssigned")) announced.merge(e.chatId(), 1, Integer::sum);
        assertThat(announced).as("no chat assigned twice").hasSize(capacity).allSatisfy((chat, n) -> assertThat(n).isOne());

        // The rest waits, and is served oldest first: each freed place goes to the oldest queued chat.
        List<Long> queue = queue(sales);
        assertThat(queue).hasSize(chats - capacity);
        for (int i = 0; i < operators.size(); i++) {
            long holder = operators.get(i);
            long held = heldBy(holder).get(0);
            var r = (i % 2 == 0 ? nodeB : nodeA).api().put("/api/chat/status").bearer(acme.token())
                    .json(Map.of("id", held, "status", 4)).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(awaitAssigned(company, queue.get(i))).as("the oldest queued chat takes the freed place").isEqualTo(holder);
        }
        Thread.sleep(300);
        assertThat(queue(sales)).isEqualTo(queue.subList(operators.size(), queue.size()));
        assertThat(loads(sales).values()).allSatisfy(n -> assertThat(n).isEqualTo(maxChats));
    }

    /** Open chats per operator of the organization, read from the database (the record). */
    static Map<Long, Integer> loads(long organizationId) {
        return nodeB.hub().database().read(h -> {
            Map<Long, Integer> loads = new LinkedHashMap<>();
            h.createQuery("SELECT operator_id, COUNT(*) FROM chat WHERE organization_id = :org AND operator_id IS NOT NULL "
                            + "AND status <> 4 GROUP BY operator_id")
                    .bind("org", organizationId).map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2)))
                    .forEach(e -> loads.put(e.getKey(), e.getValue()));
            return loads;
        });
    }

    static List<Long> queue(long organizationId) {
        return new JdbiChatStore(nodeB.hub().database()).queuedChats(organizationId, 10_000);
    }

    static List<Long> heldBy(long operatorId) {
        return nodeB.hub().database().read(h -> h.createQuery("SELECT id FROM chat WHERE operator_id = :op AND status <> 4 ORDER BY id")
                .bind("op", operatorId).mapTo(Long.class).list());
    }

    static void eventually(BooleanSupplier condition, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + wait);
            Thread.sleep(20);
        }
    }

}
