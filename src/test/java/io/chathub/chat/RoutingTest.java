package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.HubClient;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing: new chats are offered round-robin to the organization's Active operators with an open hub
 * connection, up to each one's maxChats; the rest waits in the queue (oldest first) until an operator
 * connects or capacity frees up (a chat closes, is deleted or transferred). Transfer and take.
 *
 * <p>To assert that a chat stays queued, a test lets routing settle: routing runs on one thread in
 * request order, so once a chat of a separate probe organization (requested later) has been assigned,
 * every earlier routing request is done.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class RoutingTest {
    static TestServer server;

    @Parameter
    String database;

    private final List<HubClient> clients = new ArrayList<>();

    @BeforeParameterizedClassInvocation
    static void startServer(String database) {
        server = TestServer.start(database);
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(HubClient::close);
        clients.clear();
    }

    /** A company with one organization, the company's hub connection watching it, and a probe organization. */
    private final class Org {
        final TestTenant tenant = server.newTenant();
        final long id = tenant.organization("Sales");
        final HubClient company = track(tenant.connect());
        private HubClient probe;
        private long probeOrganization;

        long operator(String name) {
            return tenant.operator(id, name);
        }

        long operator(String name, int maxChats) {
            return tenant.operator(id, name, maxChats);
        }

        HubClient connect(long operatorId, String name) {
            return track(tenant.connect(tenant.operatorToken(operatorId), name));
        }

        long newChat() {
            return tenant.newChat(id);
        }

        /** The operator the chat was (next) assigned to, as the company's connection was told. */
        long awaitAssigned(long chatId) {
            HubClient.Event e = company.await("ChatAssigned", ev -> ev.chatId() == chatId && !ev.arg(0).get("operator").isNull());
            return e.arg(0).get("operator").get("id").longValue();
        }

        Long operatorOf(long chatId) {
            JsonNode op = tenant.chat(chatId).get("operator");
            return op.isNull() ? null : op.get("id").longValue();
        }

        /** Waits until every routing request made so far has been handled (see the class comment). */
        void settle() {
            if (probe == null) {
                probeOrganization = tenant.organization("Probe");
                probe = track(tenant.connect(tenant.operatorToken(tenant.operator(probeOrganization, "Probe", 1000)), "probe"));
            }
            long chatId = tenant.newChat(probeOrganization);
            probe.await("ChatAssigned", e -> e.chatId() == chatId);
        }
    }

    private HubClient track(HubClient client) {
        clients.add(client);
        return client;
    }

    @Test
    void newChatsGoRoundRobinToTheConnectedOperators() {
        Org org = new Org();
        long anna = org.operator("Anna");
        long bram = org.operator("Bram");
        long chris = org.operator("Chris");
        org.operator("Dora"); // Active, but not connected: never offered a chat
        HubClient annaHub = org.connect(anna, "Anna");
        org.connect(bram, "Bram");
        org.connect(chris, "Chris");

        List<Long> assignees = new ArrayList<>();
        List<Long> chats = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long chatId = org.newChat();
            chats.add(chatId);
            assignees.add(org.awaitAssigned(chatId));
        }

        assertThat(Set.copyOf(assignees.subList(0, 3))).containsExactlyInAnyOrder(anna, bram, chris);
        assertThat(assignees.subList(3, 6)).isEqualTo(assignees.subList(0, 3));
        for (int i = 0; i < 6; i++) assertThat(org.operatorOf(chats.get(i))).isEqualTo(assignees.get(i));
        long annasChat = chats.get(assignees.indexOf(anna));
        JsonNode told = annaHub.await("ChatAssigned", e -> e.chatId() == annasChat).arg(0);
        assertThat(told.get("operator").get("name").textValue()).isEqualTo("Anna");
        assertThat(told.get("chatStatus").intValue()).as("routing assigns; it does not open").isZero();
    }

    @Test
    void raisingAnOperatorsCapacityWithSynchronizeTakesChatsFromTheQueue() {
        Org org = new Org();
        long anna = org.operator("Anna", 1);
        org.connect(anna, "Anna");
        long first = org.newChat();
        assertThat(org.awaitAssigned(first)).isEqualTo(anna);
        long queued = org.newChat();
        org.settle();
        assertThat(org.operatorOf(queued)).as("Anna is full: the chat waits").isNull();

        org.operator("Anna", 2); // synchronize by name: same operator, more room

        assertThat(org.awaitAssigned(queued)).isEqualTo(anna);
    }

    @Test
    void capacityIsRespectedAndAClosedChatMakesRoomForTheQueue() {
        Org org = new Org();
        long anna = org.operator("Anna", 1);
        long bram = org.operator("Bram", 1);
        org.connect(anna, "Anna");
        org.connect(bram, "Bram");

        long first = org.newChat();
        long second = org.newChat();
        assertThat(Set.of(org.awaitAssigned(first), org.awaitAssigned(second))).containsExactlyInAnyOrder(anna, bram);
        long queued = org.newChat();
        org.settle();
        assertThat(org.operatorOf(queued)).as("both operators are full").isNull();

        long holder = org.operatorOf(first);
        org.tenant.setChatStatus(first, 4);

        assertThat(org.awaitAssigned(queued)).isEqualTo(holder);
    }

    @Test
    void withNobodyOnlineAChatWaitsUntilAnOperatorConnects() {
        Org org = new Org();
        long anna = org.operator("Anna");
        long chatId = org.newChat();
        org.settle();
        assertThat(org.operatorOf(chatId)).isNull();

        HubClient annaHub = org.connect(anna, "Anna");

        assertThat(org.awaitAssigned(chatId)).isEqualTo(anna);
        assertThat(annaHub.await("ChatAssigned", e -> e.chatId() == chatId).arg(0).get("operator").get("id").longValue()).isEqualTo(anna);
    }

    @Test
    void theQueueIsOfferedOldestFirst() {
        Org org = new Org();
        long anna = org.operator("Anna", 1);
        long oldest = org.newChat();
        long middle = org.newChat();
        long newest = org.newChat();

        org.connect(anna, "Anna");
        assertThat(org.awaitAssigned(oldest)).isEqualTo(anna);
        org.settle();
        assertThat(org.operatorOf(middle)).isNull();
        assertThat(org.operatorOf(newest)).isNull();

        org.tenant.setChatStatus(oldest, 4);
        assertThat(org.awaitAssigned(middle)).isEqualTo(anna);
        org.settle();
        assertThat(org.operatorOf(newest)).isNull();
    }

    @Test
    void deletingOrTransferringAChatMakesRoomForTheQueue() {
        Org org = new Org();
        long anna = org.operator("Anna", 1);
        long bram = org.operator("Bram"); // offline: can be given a chat, is never offered one
        String annaToken = org.tenant.operatorToken(anna);
        org.connect(anna, "Anna");
        long first = org.newChat();
        assertThat(org.awaitAssigned(first)).isEqualTo(anna);
        long second = org.newChat();
        long third = org.newChat();
        org.settle();
        assertThat(org.operatorOf(second)).isNull();

        var r = server.api().post("/api/chat/" + first + "/assign").bearer(annaToken).json(Map.of("operatorId", bram)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(org.awaitAssigned(second)).isEqualTo(anna);
        assertThat(org.operatorOf(first)).isEqualTo(bram);

        r = server.api().delete("/api/chat/chats/" + second).bearer(org.tenant.token()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(org.awaitAssigned(third)).isEqualTo(anna);
    }

    @Test
    void anOperatorWithoutCapacityIsNeverOfferedChats() {
        Org org = new Org();
        long anna = org.operator("Anna", 0);
        org.connect(anna, "Anna");
        long chatId = org.newChat();
        org.settle();

        assertThat(org.operatorOf(chatId)).isNull();
        assertThat(org.company.events("ChatAssigned")).noneMatch(e -> e.chatId() == chatId);
    }

    @Test
    void transferTakeAndBackToTheQueueAreAnnounced() {
        Org org = new Org();
        long anna = org.operator("Anna");
        long bram = org.operator("Bram");
        HubClient annaHub = org.connect(anna, "Anna");
        HubClient bramHub = org.connect(bram, "Bram");
        String annaToken = org.tenant.operatorToken(anna);
        String bramToken = org.tenant.operatorToken(bram);
        long chatId = org.newChat();
        long first = org.awaitAssigned(chatId);
        String holderToken = first == anna ? annaToken : bramToken;
        long other = first == anna ? bram : anna;

        var r = server.api().post("/api/chat/" + chatId + "/assign").bearer(holderToken).json(Map.of("operatorId", other)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (HubClient watcher : List.of(annaHub, bramHub, org.company)) {
            watcher.await("ChatAssigned", e -> e.chatId() == chatId && e.arg(0).get("operator").get("id").longValue() == other);
        }

        r = server.api().post("/api/chat/" + chatId + "/assign").bearer(holderToken).send(); // the first holder takes it back
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("operator").get("id").longValue()).isEqualTo(first);
        assertThat(org.company.awaitCount("ChatAssigned", 3).get(2).arg(0).get("operator").get("id").longValue()).isEqualTo(first);

        r = server.api().post("/api/chat/" + chatId + "/assign").bearer(holderToken).json(Map.of("operatorId", 0)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("operator").isNull()).isTrue();
        org.company.await("ChatAssigned", e -> e.chatId() == chatId && e.arg(0).get("operator").isNull());
        // Back in the queue with two operators online: routing offers it again at once.
        List<HubClient.Event> assigned = org.company.awaitCount("ChatAssigned", 5);
        JsonNode again = assigned.get(4).arg(0);
        assertThat(again.get("id").longValue()).isEqualTo(chatId);
        assertThat(again.get("operator").get("id").longValue()).isIn(anna, bram);
        assertThat(org.operatorOf(chatId)).isEqualTo(again.get("operator").get("id").longValue());
    }
}
