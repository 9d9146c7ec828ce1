package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.HubClient;
import io.chathub.testing.TestCluster;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two ChatHub nodes on one PostgreSQL schema sharing events over NATS (SPEC §6): what happens on one
 * node reaches the hub clients of the other, in order, and only those who may see it. PostgreSQL only
 * (a SQLite database belongs to one node). Needs the NATS server on 127.0.0.1:4222; a missing one
 * fails the tests, never skips them.
 */
class ClusterTest {
    static TestServer nodeA;
    static TestServer nodeB;

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

    @Test
    void messagesSentThroughNodeAReachAHubClientOnNodeBInSeqOrder() throws Exception {
        TestTenant acme = nodeA.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna");

        try (HubClient annaOnB = nodeB.connect(acme.operatorToken(anna), "Anna on node B");
             HubClient companyOnB = nodeB.connect(acme.token(), "company on node B")) {
            JsonNode first = acme.incoming(sales, TestTenant.newClient(), "Hello from a customer");
            long chatId = first.get("chatId").longValue();
            for (HubClient c : List.of(annaOnB, companyOnB)) {
                HubClient.Event created = c.awaitChat("ChatCreated", chatId);
                HubClient.Event received = c.await("ReceiveMessage", e -> e.id() == first.get("id").longValue());
                assertThat(c.events().indexOf(created)).isLessThan(c.events().indexOf(received));
                assertThat(received.arg(0)).isEqualTo(first);
            }

            int senders = 4, perSender = 25;
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            try {
                var start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int s = 0; s < senders; s++) {
                    int sender = s;
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perSender; i++) acme.send(acme.token(), chatId, "A" + sender + "-" + i);
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }

            List<Long> expected = LongStream.rangeClosed(1, 1 + senders * perSender).boxed().toList();
            for (HubClient c : List.of(annaOnB, companyOnB)) {
                List<Long> seqs = c.awaitCount("ReceiveMessage", 1 + senders * perSender).stream()
                        .map(e -> e.arg(0).get("seq").longValue()).toList();
                assertThat(seqs).isEqualTo(expected);
            }
            var history = nodeB.api().get("/api/chat/" + chatId + "/messages?limit=1000").bearer(acme.token()).send();
            assertThat(history.json()).extracting(m -> m.get("seq").longValue()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void hubCallsAndStatusChangesOnOneNodeReachTheOther() {
        TestTenant acme = nodeA.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna", 0);
        long bram = acme.operator(sales, "Bram", 0);
        long chatId = acme.newChat(sales);

        try (HubClient annaOnB = nodeB.connect(acme.operatorToken(anna), "Anna on node B");
             HubClient bramOnA = nodeA.connect(acme.operatorToken(bram), "Bram on node A")) {
            JsonNode reply = annaOnB.invoke("SendMessage", chatId, "Sent on node B");
            assertThat(bramOnA.await("ReceiveMessage", e -> e.id() == reply.get("id").longValue()).arg(0)).isEqualTo(reply);
            assertThat(bramOnA.awaitChat("ChatAssigned", chatId).arg(0).get("operator").get("id").longValue()).isEqualTo(anna);

            annaOnB.call("Typing", chatId);
            assertThat(bramOnA.awaitChat("Typing", chatId).arg(1).intValue()).isZero();

            var r = nodeA.api().put("/api/chat/status").bearer(acme.token()).json(Map.of("id", chatId, "status", 3)).send();
            assertThat(r.status()).isEqualTo(200);
            assertThat(annaOnB.await("ChatStatusChanged", e -> e.chatId() == chatId && e.arg(1).intValue() == 3)).isNotNull();

            bramOnA.call("MarkRead", chatId, 1);
            assertThat(annaOnB.await("MessageStatusChanged", e -> e.arg(1).intValue() == 3).arg(0).longValue())
                    .isEqualTo(acme.messages(chatId, "").get(0).get("id").longValue());
        }
    }

    @Test
    void nothingCrossesIntoAnotherCompanyOnTheOtherNode() {
        TestTenant acme = nodeA.newTenant();
        TestTenant globex = nodeA.newTenant();
        long acmeSales = acme.organization("Sales");
        long globexSales = globex.organization("Sales");

        try (HubClient globexOnB = nodeB.connect(globex.token(), "globex on node B")) {
            long acmeChat = acme.newChat(acmeSales);
            acme.send(acme.token(), acmeChat, "Private");
            long globexChat = globex.newChat(globexSales);

            globexOnB.awaitChat("ChatCreated", globexChat);
            assertThat(globexOnB.events()).allMatch(e -> e.chatId() == globexChat);
        }
    }

    @Test
    void revokingOrDeactivatingOnOneNodeClosesConnectionsOnTheOtherAndItRefusesTheTokensFromThenOn() {
        TestTenant acme = nodeA.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna");
        long bram = acme.operator(sales, "Bram");
        String annaToken = acme.operatorToken(anna);
        String bramToken = acme.operatorToken(bram);

        try (HubClient annaOnB = nodeB.connect(annaToken, "Anna on node B");
             HubClient bramOnB = nodeB.connect(bramToken, "Bram on node B")) {
            // node B has accepted (and keeps, for a few seconds) both tokens' states: the events must end that
            assertThat(nodeB.api().get("/api/chat/chats").bearer(annaToken).send().status()).isEqualTo(200);
            var r = nodeA.api().post("/api/operator/revoke-token").bearer(acme.token()).json(Map.of("token", annaToken)).send();
            assertThat(r.status()).isEqualTo(200);
            assertThat(annaOnB.awaitClosed().getMessage()).contains("Invalid token");
            assertThat(nodeB.api().get("/api/chat/chats").bearer(annaToken).send().status()).isEqualTo(401);
            assertThat(nodeB.api().get("/api/chat/chats").bearer(bramToken).send().status()).isEqualTo(200);

            acme.setStatus(bram, 1);
            assertThat(bramOnB.awaitClosed().getMessage()).contains("Invalid token");
            assertThat(nodeB.api().get("/api/chat/chats").bearer(bramToken).send().status()).isEqualTo(401);
        }
    }

    @Test
    void deletingAnOrganizationOnOneNodeClosesItsOperatorsConnectionsOnTheOther() {
        TestTenant acme = nodeA.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna");

        try (HubClient annaOnB = nodeB.connect(acme.operatorToken(anna), "Anna on node B")) {
            var r = nodeA.api().delete("/api/company/organization/" + sales).bearer(acme.token()).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(annaOnB.awaitClosed().getMessage()).contains("Invalid token");
        }
    }

    /**
     * SPEC §3 says a chat's events arrive in seq order. Within one node the message writer publishes in
     * commit order, but two nodes writing to one chat at once each publish their own messages locally at
     * once and the other's a few milliseconds later over NATS, so a client sees e.g. 118 before 117.
     * MessageOrder puts them back in seq order before delivery.
     */
    @Test
    void concurrentWritersOnBothNodesStillDeliverInSeqOrder() throws Exception {
        TestTenant acme = nodeA.newTenant();
        long chatId = acme.newChat(acme.organization("Sales"));

        try (HubClient onA = nodeA.connect(acme.token(), "company on node A");
             HubClient onB = nodeB.connect(acme.token(), "company on node B")) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int s = 0; s < 8; s++) {
                    TestServer node = s % 2 == 0 ? nodeA : nodeB;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            var r = node.api().post("/api/chat/" + chatId + "/message").bearer(acme.token())
                                    .json(Map.of("textMessage", "x" + i)).send();
                            assertThat(r.status()).as(r.toString()).isEqualTo(200);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            // Every seq of the chat after its first message, once each, in order: none lost between the nodes.
            List<Long> expected = LongStream.rangeClosed(2, 401).boxed().toList();
            for (HubClient c : List.of(onA, onB)) {
                c.await("ReceiveMessage", e -> e.arg(0).get("seq").longValue() == 401);
                // Seq 1 (sent before the connection opened) may still arrive late over NATS: not part of the check.
                assertThat(c.events().stream().filter(e -> e.target().equals("ReceiveMessage"))
                        .map(e -> e.arg(0).get("seq").longValue()).filter(seq -> seq >= 2).toList())
                        .as(c.toString()).isEqualTo(expected);
            }
        }
    }
}
