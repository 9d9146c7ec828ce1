package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.HubClient;
import io.chathub.testing.PrivateNats;
import io.chathub.testing.TestCluster;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static io.chathub.chat.ClusterRoutingTest.awaitAssigned;
import static io.chathub.chat.ClusterRoutingTest.newChat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NATS server of a two-node cluster is killed (SIGKILL) and started again on the same port (a private one of the
 * test's, {@link PrivateNats}: the shared one on 4222 is never touched). Messages sent meanwhile are stored (NATS is not
 * on the write path); once it is back both nodes reconnect by themselves and events cross again in both directions;
 * an operator on the other node who missed events re-syncs with {@code after=} and then holds every message of the
 * chat, none twice live.
 */
class NatsRestartTest {
    @TempDir
    Path dir;

    @Test
    void afterNatsRestartsEventsCrossTheNodesAgainAndAClientThatMissedSomeResyncsWithAfter() throws Exception {
        try (PrivateNats nats = PrivateNats.start(dir.resolve("nats.log"));
             TestCluster cluster = TestCluster.start(nats.url(), b -> b)) {
            TestServer nodeA = cluster.nodeA(), nodeB = cluster.nodeB();
            TestTenant acme = nodeA.newTenant();
            long sales = acme.organization("Sales");
            long anna = acme.operator(sales, "Anna", 100);
            long bram = acme.operator(sales, "Bram", 0); // never routed a chat: sees the organization's messages
            List<HubClient> clients = new ArrayList<>();
            try {
                HubClient companyOnA = acme.connect();
                clients.add(companyOnA);
                HubClient annaOnB = nodeB.connect(acme.operatorToken(anna), "Anna on node B");
                clients.add(annaOnB);
                HubClient bramOnB = nodeB.connect(acme.operatorToken(bram), "Bram on node B");
                clients.add(bramOnB);
                long chat = newChat(nodeA.api(), acme, sales);
                assertThat(awaitAssigned(companyOnA, chat)).isEqualTo(anna);
                send(nodeA.api(), acme, chat, "before");
                awaitText(annaOnB, chat, "before", HubClient.WAIT);
                awaitText(bramOnB, chat, "before", HubClient.WAIT);

                nats.kill();
                List<Long> bramHeld = seqs(bramOnB, chat);
                bramOnB.close(); // Bram's browser goes too: he misses whatever comes meanwhile
                for (int i = 0; i < 5; i++) send(nodeA.api(), acme, chat, "during-" + i); // stored: NATS is not on the write path
                Thread.sleep(500);
                nats.startServer();
                long restarted = System.nanoTime();

                long fromA = resumed(nodeA.api(), acme, chat, annaOnB, "a-to-b-");
                long fromB = resumed(nodeB.api(), acme, chat, companyOnA, "b-to-a-");
                System.out.printf("nats restart test: events from node A reach node B again %d ms after the restart, "
                        + "from node B to node A after %d ms%n", fromA, fromB);
                assertThat(Math.max(fromA, fromB)).as("ms after the restart until events cross both ways").isLessThan(15_000);
                HubClient bramAgain = nodeB.connect(acme.operatorToken(bram), "Bram on node B again");
                clients.add(bramAgain);
                for (int i = 0; i < 5; i++) send(nodeB.api(), acme, chat, "after-" + i);
                awaitText(annaOnB, chat, "after-4", HubClient.WAIT);
                awaitText(bramAgain, chat, "after-4", HubClient.WAIT);

                List<Long> stored = new ArrayList<>();
                acme.messages(chat, "after=0&limit=1000").forEach(m -> stored.add(m.get("seq").longValue()));
                assertThat(stored).as("seqs without gaps").containsExactlyElementsOf(LongStream.rangeClosed(1, stored.size()).boxed().toList());
                assertThat(stored).as("the sends while NATS was gone are stored").hasSizeGreaterThanOrEqualTo(1 + 1 + 5 + 5);

                List<Long> annaLive = seqs(annaOnB, chat);
                assertThat(annaLive).as("Anna stayed connected: no message twice live").doesNotHaveDuplicates();
                long annaResynced = resync(acme, chat, new TreeSet<>(annaLive), stored, "Anna");
                bramHeld.addAll(seqs(bramAgain, chat));
                long bramResynced = resync(acme, chat, new TreeSet<>(bramHeld), stored, "Bram");
                assertThat(bramResynced).as("Bram missed the messages sent while he was away").isGreaterThanOrEqualTo(5);
                System.out.printf("nats restart test: %d messages; Anna (connected throughout) got %d live and %d by the re-sync; "
                        + "Bram (away during the outage) got %d by the re-sync; restart %d ms ago%n", stored.size(), annaLive.size(),
                        annaResynced, bramResynced, (System.nanoTime() - restarted) / 1_000_000);
            } finally {
                clients.forEach(HubClient::close);
            }
        }
    }

    /** The seqs of the chat's ReceiveMessage events this client got, in order. */
    static List<Long> seqs(HubClient client, long chat) {
        List<Long> seqs = new ArrayList<>();
        for (HubClient.Event e : client.events("ReceiveMessage")) {
            if (e.arg(0).get("chatId").longValue() == chat) seqs.add(e.arg(0).get("seq").longValue());
        }
        return seqs;
    }

    /**
     * What a client does after missing events: reads the chat after the last seq it holds without a gap; asserts it
     * then holds every stored message; returns how many the re-sync added.
     */
    static long resync(TestTenant tenant, long chat, TreeSet<Long> held, List<Long> stored, String who) {
        int before = held.size();
        long after = 0;
        while (held.contains(after + 1)) after++;
        JsonNode resync = tenant.messages(chat, "after=" + after + "&limit=1000");
        resync.forEach(m -> held.add(m.get("seq").longValue()));
        assertThat(held).as("%s: live events plus after=%d hold every message", who, after).containsExactlyElementsOf(stored);
        return held.size() - before;
    }

    static void send(Api api, TestTenant tenant, long chat, String text) {
        var r = api.post("/api/chat/" + chat + "/message").bearer(tenant.token()).header("Idempotency-Key", text)
                .json(Map.of("textMessage", text)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** Probes from {@code api}'s node until one reaches {@code watcher} on the other node within a second; ms since the first. */
    static long resumed(Api api, TestTenant tenant, long chat, HubClient watcher, String prefix) {
        long start = System.nanoTime();
        for (int k = 0; ; k++) {
            send(api, tenant, chat, prefix + k);
            try {
                awaitText(watcher, chat, prefix + k, Duration.ofSeconds(1));
                return (System.nanoTime() - start) / 1_000_000;
            } catch (AssertionError notYet) {
                if (System.nanoTime() - start > Duration.ofSeconds(20).toNanos()) throw notYet;
            }
        }
    }

    static void awaitText(HubClient watcher, long chat, String text, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (HubClient.Event e : watcher.events("ReceiveMessage")) {
                if (e.arg(0).get("chatId").longValue() == chat && text.equals(e.arg(0).get("message").asText())) return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(watcher + " did not get '" + text + "' within " + wait);
    }
}
