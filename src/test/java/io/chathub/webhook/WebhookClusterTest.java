package io.chathub.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import io.chathub.testing.WebhookReceiver;
import io.chathub.testing.WebhookReceiver.Answer;
import io.chathub.testing.WebhookReceiver.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks on two nodes of one PostgreSQL database with NATS between them (as {@code ClusterTest}): a webhook made on
 * one node is at once in force for changes on the other, and both nodes' senders work one queue without ever making
 * the same attempt twice.
 */
class WebhookClusterTest {
    static TestServer nodeA;
    static TestServer nodeB;

    @BeforeAll
    static void startCluster() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 4222), 2_000);
        } catch (IOException e) {
            throw new IllegalStateException("NATS is not running on 127.0.0.1:4222; the cluster tests need it (start nats-server)"
                    + " and are never skipped", e);
        }
        String prefix = "test-" + UUID.randomUUID();
        String url = "nats://127.0.0.1:4222";
        String key = "webhook-cluster-test-secret-key-0123456789"; // the same on every node, as the README says
        nodeA = TestServer.start("postgres", b -> b.natsUrl(url).natsSubjectPrefix(prefix).secretKey(key).webhooks(WebhookTest.settings()));
        nodeB = nodeA.join(b -> b.natsUrl(url).natsSubjectPrefix(prefix).secretKey(key).webhooks(WebhookTest.settings()));
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (nodeB != null) nodeB.close();
        } finally {
            if (nodeA != null) nodeA.close();
        }
    }

    private static TestTenant on(TestServer node, TestTenant t) {
        return new TestTenant(node, t.companyId(), t.login(), t.password(), t.token());
    }

    @Test
    void aWebhookMadeOnOneNodeHearsTheOtherNodesChangesAndNoAttemptIsMadeTwice() {
        TestTenant onA = nodeA.newTenant();
        TestTenant onB = on(nodeB, onA);
        long org = onA.organization("Support");
        onB.newChat(org); // node B has read the company's webhooks: none
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            // Every delivery's first attempt fails, so its retry is due while both nodes look for due deliveries.
            Set<String> seen = ConcurrentHashMap.newKeySet();
            receiver.otherwise(r -> seen.add(r.deliveryId()) ? Answer.status(503) : Answer.status(200));
            JsonNode hook = WebhookTest.webhook(onA, receiver.url(), "chat.created", "message.created");
            int chats = 20;
            // Node B hears of the new webhook over NATS as soon as it is made; its changes come after a few of A's.
            for (int i = 0; i < chats; i++) (i < 4 || i % 2 == 0 ? onA : onB).newChat(org);

            WebhookTest.awaitLog(onB, hook.get("id").longValue(), l -> l.size() == 2 * chats && WebhookTest.all(l, "delivered"));
            WebhookTest.sleep(Duration.ofMillis(300));
            List<Request> got = receiver.requests();
            Map<String, List<Request>> byDelivery = got.stream().collect(Collectors.groupingBy(Request::deliveryId));
            assertThat(byDelivery).as("a delivery for each change, on either node").hasSize(2 * chats);
            assertThat(byDelivery.values()).as("two attempts each: the failed one and the one that delivered")
                    .allSatisfy(attempts -> assertThat(attempts).hasSize(2));
            assertThat(got.stream().filter(r -> r.event().equals("chat.created"))).hasSize(2 * chats);
        }
    }
}
