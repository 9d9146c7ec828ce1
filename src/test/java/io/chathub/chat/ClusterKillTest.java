package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ChildServer;
import io.chathub.testing.HubClient;
import io.chathub.testing.Nats;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.chathub.chat.ClusterRoutingTest.awaitAssigned;
import static io.chathub.chat.ClusterRoutingTest.newChat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node of two is killed with SIGKILL (a child process, on the cluster's PostgreSQL and NATS): its operators stop
 * counting as online within the presence lease, so chats that come in afterwards wait for the live node's operators
 * instead of going to them; the queue is then served by the live node, oldest first, and an operator who reconnects
 * to the live node is offered chats again; nothing the killed node acknowledged is lost.
 */
class ClusterKillTest {
    static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void aKilledNodesOperatorsGoOfflineWithinTheLeaseAndTheLiveNodeServesTheQueue() throws Exception {
        String url = Nats.url();
        String prefix = Nats.freshPrefix();
        try (TestServer nodeB = TestServer.start("postgres", b -> b.natsUrl(url).natsSubjectPrefix(prefix)
                .cluster(c -> c.withPresenceLease(LEASE)))) {
            Map<String, String> env = nodeB.peerEnv(dir.resolve("node-a"));
            env.put("CHATHUB_PRESENCE_LEASE", LEASE.toMillis() + "ms");
            env.put("CHATHUB_NODE_ID", "node-a");
            env.put("CHATHUB_LOG_LEVEL", "WARN");
            ChildServer nodeA = ChildServer.start(env, dir.resolve("node-a.log"));
            List<HubClient> clients = new ArrayList<>();
            try (Api apiA = new Api(nodeA.base())) {
                TestTenant acme = nodeB.newTenant();
                long sales = acme.organization("Sales");
                long anna = acme.operator(sales, "Anna", 5);
                long bram = acme.operator(sales, "Bram", 1);
                HubClient annaOnA = HubClient.connect(nodeA.base(), acme.operatorToken(anna), "Anna on node A");
                clients.add(annaOnA);
                HubClient company = acme.connect();
                clients.add(company);
                clients.add(nodeB.connect(acme.operatorToken(bram), "Bram on node B"));

                long c1 = newChat(apiA, acme, sales);
                assertThat(awaitAssigned(company, c1)).isEqualTo(anna);
                long c2 = newChat(apiA, acme, sales);
                assertThat(awaitAssigned(company, c2)).isEqualTo(bram);
                long c3 = newChat(apiA, acme, sales);
                assertThat(awaitAssigned(company, c3)).as("Bram is full").isEqualTo(anna);
                List<Long> acknowledged = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    var r = apiA.post("/api/chat/" + c1 + "/message").bearer(acme.token()).json(Map.of("textMessage", "m" + i)).send();
                    assertThat(r.status()).isEqualTo(200);
                    acknowledged.add(r.json().get("id").longValue());
                }
                var presence = new JdbiPresenceStore(nodeB.hub().database());
                assertThat(presence.isOnline(anna, System.currentTimeMillis())).isTrue();

                nodeA.kill();
                long killed = System.nanoTime();
                ClusterRoutingTest.eventually(() -> !presence.isOnline(anna, System.currentTimeMillis()), LEASE.plusSeconds(5));
                long offlineAfter = (System.nanoTime() - killed) / 1_000_000;
                System.out.printf("cluster kill test: Anna offline %d ms after the kill (lease %d ms)%n", offlineAfter, LEASE.toMillis());
                assertThat(offlineAfter).as("ms from the kill until the killed node's operator is offline")
                        .isLessThanOrEqualTo(LEASE.toMillis() + 500);
                assertThat(presence.isOnline(bram, System.currentTimeMillis())).isTrue();

                long c4 = newChat(nodeB.api(), acme, sales);
                long c5 = newChat(nodeB.api(), acme, sales);
                Thread.sleep(500);
                assertThat(acme.chat(c4).get("operator").isNull()).as("not offered to the dead node's operator").isTrue();
                assertThat(acme.chat(c5).get("operator").isNull()).isTrue();

                acme.setChatStatus(c2, 4);
                assertThat(awaitAssigned(company, c4)).as("the freed place goes to the oldest queued chat").isEqualTo(bram);
                HubClient annaOnB = nodeB.connect(acme.operatorToken(anna), "Anna on node B");
                clients.add(annaOnB);
                assertThat(awaitAssigned(company, c5)).as("Anna, back on the live node, is offered the queue").isEqualTo(anna);

                JsonNode stored = acme.messages(c1, "after=0&limit=1000");
                List<Long> ids = new ArrayList<>();
                List<Long> seqs = new ArrayList<>();
                stored.forEach(m -> {
                    ids.add(m.get("id").longValue());
                    seqs.add(m.get("seq").longValue());
                });
                assertThat(ids).as("everything the killed node acknowledged").containsAll(acknowledged);
                assertThat(seqs).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 21).boxed().toList());
            } finally {
                clients.forEach(HubClient::close);
                nodeA.kill();
            }
        }
    }
}
