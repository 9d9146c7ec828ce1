package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.HubClient;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat half end to end with the official SignalR Java client (SPEC §3): who gets which event,
 * hub methods, seq order under concurrent senders, catching up after a reconnect, and connections
 * closed by revocation or deactivation.
 */
class ChatHubEndToEndTest extends ServerTest {
    /** The chats a client's events were about (all its events name a chat in these tests). */
    private static Set<Long> chatsSeenBy(HubClient client) {
        return client.events().stream().map(HubClient.Event::chatId).collect(Collectors.toSet());
    }

    private static List<Long> seqs(List<HubClient.Event> messages) {
        return messages.stream().map(e -> e.arg(0).get("seq").longValue()).toList();
    }

    @Test
    void aClientMessageReachesItsOrganizationsOperatorsAndItsCompanyAndNobodyElse() {
        TestTenant acme = server.newTenant();
        TestTenant globex = server.newTenant();
        long sales = acme.organization("Sales");
        long support = acme.organization("Support");
        long anna = acme.operator(sales, "Anna");
        long sam = acme.operator(support, "Sam");
        long globexSales = globex.organization("Sales");
        long olga = globex.operator(globexSales, "Olga");

        try (HubClient annaHub = acme.connect(acme.operatorToken(anna), "Anna");
             HubClient samHub = acme.connect(acme.operatorToken(sam), "Sam");
             HubClient acmeHub = acme.connect();
             HubClient globexHub = globex.connect();
             HubClient olgaHub = globex.connect(globex.operatorToken(olga), "Olga")) {

            JsonNode message = acme.incoming(sales, TestTenant.newClient(), "Where is my order?");
            long chatId = message.get("chatId").longValue();

            for (HubClient watcher : List.of(annaHub, acmeHub)) {
                HubClient.Event created = watcher.awaitChat("ChatCreated", chatId);
                HubClient.Event received = watcher.await("ReceiveMessage", e -> e.id() == message.get("id").longValue());
                assertThat(watcher.events().indexOf(created)).as("ChatCreated before ReceiveMessage")
                        .isLessThan(watcher.events().indexOf(received));
                assertThat(created.arg(0).get("organizationId").longValue()).isEqualTo(sales);
                assertThat(created.arg(0).get("chatStatus").intValue()).isZero();
                assertThat(received.arg(0)).isEqualTo(message);
            }

            // Later events that each silent client does get: anything of the first chat would have come before.
            long supportChat = acme.newChat(support);
            samHub.awaitChat("ChatCreated", supportChat);
            long globexChat = globex.newChat(globexSales);
            globexHub.awaitChat("ChatCreated", globexChat);
            olgaHub.awaitChat("ChatCreated", globexChat);
            JsonNode last = acme.send(acme.token(), chatId, "Last one");
            annaHub.await("ReceiveMessage", e -> e.id() == last.get("id").longValue());
            acmeHub.await("ReceiveMessage", e -> e.id() == last.get("id").longValue());

            assertThat(chatsSeenBy(annaHub)).containsExactly(chatId);
            assertThat(chatsSeenBy(samHub)).containsExactly(supportChat);
            assertThat(chatsSeenBy(acmeHub)).containsExactlyInAnyOrder(chatId, supportChat);
            assertThat(chatsSeenBy(globexHub)).containsExactly(globexChat);
            assertThat(chatsSeenBy(olgaHub)).containsExactly(globexChat);
        }
    }

    /** The hosted service's sample code reads message.phone from ReceiveMessage, messSource and client from ChatCreated. */
    @Test
    void hubPayloadsCarryTheFieldsTheHostedSamplesRead() {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");

        try (HubClient acmeHub = acme.connect()) {
            String externalId = TestTenant.newClient();
            JsonNode message = acme.incoming(Map.of("organizationId", sales, "source", 2, "textMessage", "Hi",
                    "client", Map.of("externalId", externalId, "name", "Olena", "phone", "+380501234567")));
            long chatId = message.get("chatId").longValue();

            JsonNode chat = acmeHub.awaitChat("ChatCreated", chatId).arg(0);
            assertThat(chat.get("messSource").intValue()).isEqualTo(2);
            assertThat(chat.get("source").intValue()).isEqualTo(2);
            assertThat(chat.get("client").get("name").asText()).isEqualTo("Olena");
            assertThat(chat.get("client").get("phone").asText()).isEqualTo("+380501234567");

            JsonNode received = acmeHub.await("ReceiveMessage", e -> e.id() == message.get("id").longValue()).arg(0);
            assertThat(received.get("phone").asText()).isEqualTo("+380501234567");
            JsonNode reply = acme.send(acme.token(), chatId, "Hello Olena");
            assertThat(reply.get("phone").asText()).as("every message of the chat names its client's phone").isEqualTo("+380501234567");
            assertThat(acme.messages(chatId, "")).allSatisfy(m -> assertThat(m.get("phone").asText()).isEqualTo("+380501234567"));
            assertThat(acme.chat(chatId).get("lastMessage").get("phone").asText()).isEqualTo("+380501234567");

            JsonNode noPhone = acme.incoming(sales, TestTenant.newClient(), "No phone");
            assertThat(noPhone.has("phone")).isTrue();
            assertThat(noPhone.get("phone").isNull()).isTrue();
        }
    }

    @Test
    void anOperatorsSendMessageIsStoredAndReachesTheOrganization() {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna");
        long bram = acme.operator(sales, "Bram");
        long chatId = acme.newChat(sales);

        try (HubClient annaHub = acme.connect(acme.operatorToken(anna), "Anna");
             HubClient bramHub = acme.connect(acme.operatorToken(bram), "Bram");
             HubClient acmeHub = acme.connect()) {
            JsonNode sent = annaHub.invoke("SendMessage", chatId, "Hello, how can I help?");

            assertThat(sent.get("chatId").longValue()).isEqualTo(chatId);
            assertThat(sent.get("seq").longValue()).isEqualTo(2);
            assertThat(sent.get("author").intValue()).isZero();
            assertThat(sent.get("message").textValue()).isEqualTo("Hello, how can I help?");
            assertThat(sent.get("operator").get("id").longValue()).isEqualTo(anna);
            assertThat(sent.get("operator").get("name").textValue()).isEqualTo("Anna");
            assertThat(acme.messages(chatId, "after=1")).containsExactly(sent);
            for (HubClient watcher : List.of(annaHub, bramHub, acmeHub)) {
                assertThat(watcher.await("ReceiveMessage", e -> e.id() == sent.get("id").longValue()).arg(0)).isEqualTo(sent);
            }
        }
    }

    @Test
    void hubMethodsAnswerErrorsAsCompletionErrors() {
        TestTenant acme = server.newTenant();
        TestTenant globex = server.newTenant();
        long sales = acme.organization("Sales");
        long support = acme.organization("Support");
        long anna = acme.operator(sales, "Anna");
        long chatId = acme.newChat(sales);
        long supportChat = acme.newChat(support);
        long globexChat = globex.newChat(globex.organization("Sales"));
        long closedChat = acme.newChat(sales);
        acme.setChatStatus(closedChat, 4);

        try (HubClient annaHub = acme.connect(acme.operatorToken(anna), "Anna")) {
            assertThat(annaHub.failure("SendMessage", 99_999_999, "Hi")).isEqualTo("Chat 99999999 not found");
            assertThat(annaHub.failure("SendMessage", globexChat, "Hi")).contains("another organization or company");
            assertThat(annaHub.failure("SendMessage", supportChat, "Hi")).contains("another organization or company");
            assertThat(annaHub.failure("SendMessage", closedChat, "Hi")).isEqualTo("Chat " + closedChat + " is closed");
            assertThat(annaHub.failure("SendMessage", chatId, " ")).isEqualTo("A message needs text or media");
            assertThat(annaHub.failure("SendMessage", "abc", "Hi")).isEqualTo("'chatId' must be an integer");
            assertThat(annaHub.failure("SendMessage", 0, "Hi")).isEqualTo("'chatId' must be a positive integer");
            assertThat(annaHub.failure("SendMessage", chatId, 42)).isEqualTo("The message text must be a string");
            assertThat(annaHub.failure("MarkRead", chatId, "x")).isEqualTo("'seq' must be an integer");
            assertThat(annaHub.failure("SetChatStatus", chatId, 0)).isEqualTo("A chat cannot be set back to New");
            assertThat(annaHub.failure("SetChatStatus", closedChat, 1)).isEqualTo("Chat " + closedChat + " is closed");
            assertThat(annaHub.failure("Typing", globexChat)).contains("another organization or company");

            assertThat(annaHub.isConnected()).isTrue();
            assertThat(acme.messages(chatId, "")).hasSize(1);
            assertThat(acme.messages(closedChat, "")).hasSize(1);
            assertThat(globex.messages(globexChat, "")).hasSize(1);
        }
    }

    @Test
    void concurrentSendersGetSeqsOneToNAndTheHubDeliversThemInSeqOrder() throws Exception {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long chatId = acme.newChat(sales);
        int senders = 4, perSender = 50;

        try (HubClient acmeHub = acme.connect()) {
            List<JsonNode> sent = sendConcurrently(acme, chatId, senders, perSender, "m");

            List<HubClient.Event> received = acmeHub.awaitCount("ReceiveMessage", senders * perSender);
            List<Long> receivedSeqs = seqs(received);
            assertThat(receivedSeqs).hasSize(senders * perSender).isSorted().doesNotHaveDuplicates();
            assertThat(receivedSeqs.getFirst()).isEqualTo(2);
            assertThat(receivedSeqs.getLast()).isEqualTo(1 + senders * perSender);

            JsonNode history = acme.messages(chatId, "limit=1000");
            List<Long> storedSeqs = new ArrayList<>();
            Set<String> texts = new java.util.HashSet<>();
            for (JsonNode m : history) {
                storedSeqs.add(m.get("seq").longValue());
                if (m.get("author").intValue() == 0) texts.add(m.get("message").textValue());
            }
            assertThat(storedSeqs).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 1 + senders * perSender).boxed().toList());
            assertThat(texts).hasSize(senders * perSender);
            assertThat(sent.stream().map(m -> m.get("seq").longValue()).collect(Collectors.toSet()))
                    .isEqualTo(Set.copyOf(storedSeqs.subList(1, storedSeqs.size())));
            assertThat(acme.chat(chatId).get("lastSeq").longValue()).isEqualTo(1 + senders * perSender);
        }
    }

    /** Sends {@code senders × perSender} messages with the company token from that many threads at once; returns the answers. */
    private static List<JsonNode> sendConcurrently(TestTenant tenant, long chatId, int senders, int perSender, String prefix)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            var start = new CountDownLatch(1);
            List<Future<List<JsonNode>>> futures = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<JsonNode> out = new ArrayList<>();
                    for (int i = 0; i < perSender; i++) out.add(tenant.send(tenant.token(), chatId, prefix + sender + "-" + i));
                    return out;
                }));
            }
            start.countDown();
            List<JsonNode> all = new ArrayList<>();
            for (Future<List<JsonNode>> f : futures) all.addAll(f.get(90, TimeUnit.SECONDS));
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentFirstRepliesAssignAndOpenTheChatOnlyOnce() throws Exception {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna", 0); // never offered chats by routing: only her reply takes one
        String annaToken = acme.operatorToken(anna);
        long chatId = acme.newChat(sales);

        try (HubClient acmeHub = acme.connect()) {
            int replies = 8;
            ExecutorService pool = Executors.newFixedThreadPool(replies);
            try {
                var start = new CountDownLatch(1);
                List<Future<JsonNode>> futures = new ArrayList<>();
                for (int i = 0; i < replies; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> {
                        start.await();
                        return acme.send(annaToken, chatId, "Reply " + n);
                    }));
                }
                start.countDown();
                for (Future<JsonNode> f : futures) f.get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            JsonNode last = acme.send(acme.token(), chatId, "After the replies");
            acmeHub.await("ReceiveMessage", e -> e.id() == last.get("id").longValue());

            assertThat(acmeHub.events("ChatAssigned")).hasSize(1);
            assertThat(acmeHub.events("ChatAssigned").getFirst().arg(0).get("operator").get("id").longValue()).isEqualTo(anna);
            assertThat(acmeHub.events("ChatStatusChanged")).hasSize(1);
            assertThat(acmeHub.events("ChatStatusChanged").getFirst().args())
                    .extracting(JsonNode::longValue).containsExactly(chatId, 1L);
            JsonNode chat = acme.chat(chatId);
            assertThat(chat.get("chatStatus").intValue()).isEqualTo(1);
            assertThat(chat.get("operator").get("id").longValue()).isEqualTo(anna);
        }
    }

    @Test
    void aReconnectingClientFetchesTheThousandMessagesItMissedInOrder() throws Exception {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna");
        String annaToken = acme.operatorToken(anna);
        long chatId = acme.newChat(sales);
        long lastSeen;

        try (HubClient first = acme.connect(annaToken, "Anna, first connection")) {
            JsonNode m = acme.send(acme.token(), chatId, "Before the outage");
            lastSeen = first.await("ReceiveMessage", e -> e.id() == m.get("id").longValue()).arg(0).get("seq").longValue();
        }
        assertThat(lastSeen).isEqualTo(2);

        sendConcurrently(acme, chatId, 8, 125, "missed");

        try (HubClient second = acme.connect(annaToken, "Anna, after reconnecting")) {
            List<JsonNode> fetched = new ArrayList<>();
            long after = lastSeen;
            while (true) {
                var r = server.api().get("/api/chat/" + chatId + "/messages?after=" + after + "&limit=300").bearer(annaToken).send();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                JsonNode page = r.json();
                if (page.isEmpty()) break;
                assertThat(page.size()).isLessThanOrEqualTo(300);
                page.forEach(fetched::add);
                after = page.get(page.size() - 1).get("seq").longValue();
            }
            assertThat(fetched.stream().map(m -> m.get("seq").longValue()).toList())
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(lastSeen + 1, lastSeen + 1000).boxed().toList());
            assertThat(fetched.stream().map(m -> m.get("message").textValue()).collect(Collectors.toSet())).hasSize(1000);

            JsonNode live = acme.send(acme.token(), chatId, "Back online");
            assertThat(second.await("ReceiveMessage", e -> e.id() == live.get("id").longValue()).arg(0).get("seq").longValue())
                    .isEqualTo(lastSeen + 1001);
        }
    }

    @Test
    void revokingATokenClosesItsConnectionsAtOnceAndOnlyThose() {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna");
        String revoked = acme.operatorToken(anna);
        String kept = acme.operatorToken(anna);

        try (HubClient revokedHub = acme.connect(revoked, "Anna, revoked token");
             HubClient keptHub = acme.connect(kept, "Anna, other token");
             HubClient acmeHub = acme.connect()) {
            var r = server.api().post("/api/operator/revoke-token").bearer(acme.token()).json(Map.of("token", revoked)).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);

            Exception error = revokedHub.awaitClosed();
            assertThat(error).isNotNull();
            assertThat(error.getMessage()).contains("Invalid token");

            long chatId = acme.newChat(sales);
            keptHub.awaitChat("ChatCreated", chatId);
            assertThat(keptHub.isConnected()).isTrue();

            r = server.api().post("/api/operator/revoke-token").bearer(acme.token()).json(Map.of("id", anna)).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(keptHub.awaitClosed().getMessage()).contains("Invalid token");
            assertThat(acmeHub.isConnected()).isTrue();
            assertThat(acmeHub.invoke("SendMessage", chatId, "Still here").get("seq").longValue()).isEqualTo(2);
        }
    }

    @Test
    void deactivatingAnOperatorClosesAllOfItsConnectionsAtOnce() {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna");
        long bram = acme.operator(sales, "Bram");

        try (HubClient annaTab1 = acme.connect(acme.operatorToken(anna), "Anna, tab 1");
             HubClient annaTab2 = acme.connect(acme.operatorToken(anna), "Anna, tab 2");
             HubClient bramHub = acme.connect(acme.operatorToken(bram), "Bram")) {
            acme.setStatus(anna, 1);

            assertThat(annaTab1.awaitClosed().getMessage()).contains("Invalid token");
            assertThat(annaTab2.awaitClosed().getMessage()).contains("Invalid token");
            long chatId = acme.newChat(sales);
            bramHub.awaitChat("ChatCreated", chatId);
            assertThat(bramHub.isConnected()).isTrue();
        }
    }

    @Test
    void deletingAnOrganizationClosesItsOperatorsConnectionsAtOnceAndOnlyThose() {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long support = acme.organization("Support");
        long anna = acme.operator(sales, "Anna");
        long bram = acme.operator(support, "Bram");

        try (HubClient annaHub = acme.connect(acme.operatorToken(anna), "Anna of Sales");
             HubClient bramHub = acme.connect(acme.operatorToken(bram), "Bram of Support");
             HubClient acmeHub = acme.connect()) {
            var r = server.api().delete("/api/company/organization/" + sales).bearer(acme.token()).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);

            assertThat(annaHub.awaitClosed().getMessage()).contains("Invalid token");
            long chatId = acme.newChat(support);
            bramHub.awaitChat("ChatCreated", chatId);
            acmeHub.awaitChat("ChatCreated", chatId);
            assertThat(bramHub.isConnected()).isTrue();
            assertThat(acmeHub.isConnected()).isTrue();
        }
    }

    @Test
    void typingGoesToTheOrganizationWithTheAuthor() {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long support = acme.organization("Support");
        long anna = acme.operator(sales, "Anna");
        long bram = acme.operator(sales, "Bram");
        long sam = acme.operator(support, "Sam");
        long chatId = acme.newChat(sales);

        try (HubClient annaHub = acme.connect(acme.operatorToken(anna), "Anna");
             HubClient bramHub = acme.connect(acme.operatorToken(bram), "Bram");
             HubClient samHub = acme.connect(acme.operatorToken(sam), "Sam");
             HubClient acmeHub = acme.connect()) {
            annaHub.call("Typing", chatId);

            for (HubClient watcher : List.of(bramHub, acmeHub)) {
                assertThat(watcher.awaitChat("Typing", chatId).args()).extracting(JsonNode::longValue).containsExactly(chatId, 0L);
            }
            acmeHub.call("Typing", chatId);
            assertThat(bramHub.await("Typing", e -> e.arg(1).intValue() == 3).chatId()).isEqualTo(chatId);

            long supportChat = acme.newChat(support);
            samHub.awaitChat("ChatCreated", supportChat);
            assertThat(samHub.events("Typing")).isEmpty();
            assertThat(acme.messages(chatId, "")).hasSize(1); // typing is not stored
        }
    }

    @Test
    void markReadMarksTheClientsMessagesReadAndTellsTheOrganization() {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna", 0);
        String client = TestTenant.newClient();
        JsonNode first = acme.incoming(sales, client, "One");
        long chatId = first.get("chatId").longValue();
        JsonNode second = acme.incoming(sales, client, "Two");
        JsonNode reply = acme.send(acme.token(), chatId, "Operator reply");
        JsonNode third = acme.incoming(sales, client, "Three");
        assertThat(acme.chat(chatId).get("countUnread").intValue()).isEqualTo(3);

        try (HubClient annaHub = acme.connect(acme.operatorToken(anna), "Anna");
             HubClient acmeHub = acme.connect()) {
            annaHub.call("MarkRead", chatId, 3);

            for (HubClient watcher : List.of(annaHub, acmeHub)) {
                watcher.awaitCount("MessageStatusChanged", 2);
            }
            JsonNode last = acme.send(acme.token(), chatId, "sentinel");
            acmeHub.await("ReceiveMessage", e -> e.id() == last.get("id").longValue());
            assertThat(acmeHub.events("MessageStatusChanged")).extracting(e -> List.of(e.arg(0).longValue(), e.arg(1).longValue()))
                    .containsExactly(List.of(first.get("id").longValue(), 3L), List.of(second.get("id").longValue(), 3L));

            JsonNode chat = acme.chat(chatId);
            assertThat(chat.get("countUnread").intValue()).isEqualTo(1);
            assertThat(chat.get("operatorReadSeq").longValue()).isEqualTo(3);
            JsonNode history = acme.messages(chatId, "");
            assertThat(history).extracting(m -> m.get("status").intValue()).containsExactly(3, 3, 1, 1, 1);
            assertThat(history.get(2).get("id")).isEqualTo(reply.get("id"));
            assertThat(history.get(3).get("id")).isEqualTo(third.get("id"));

            var r = server.api().post("/api/chat/" + chatId + "/read").bearer(acme.token()).json(Map.of("seq", 100)).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            HubClient.Event viaRest = annaHub.awaitCount("MessageStatusChanged", 3).get(2);
            assertThat(viaRest.args()).extracting(JsonNode::longValue).containsExactly(third.get("id").longValue(), 3L);
            assertThat(acme.chat(chatId).get("countUnread").intValue()).isZero();
        }
    }

    @Test
    void setChatStatusChangesTheChatAndTellsTheOrganization() {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long anna = acme.operator(sales, "Anna", 0);
        long bram = acme.operator(sales, "Bram", 0);
        long chatId = acme.newChat(sales);

        try (HubClient annaHub = acme.connect(acme.operatorToken(anna), "Anna");
             HubClient bramHub = acme.connect(acme.operatorToken(bram), "Bram")) {
            annaHub.call("SetChatStatus", chatId, 2);

            assertThat(bramHub.awaitChat("ChatStatusChanged", chatId).args()).extracting(JsonNode::longValue).containsExactly(chatId, 2L);
            HubClient.Event assigned = bramHub.awaitChat("ChatAssigned", chatId);
            assertThat(assigned.arg(0).get("operator").get("id").longValue()).isEqualTo(anna);
            JsonNode chat = acme.chat(chatId);
            assertThat(chat.get("chatStatus").intValue()).isEqualTo(2);
            assertThat(chat.get("operator").get("id").longValue()).isEqualTo(anna);

            annaHub.call("SetChatStatus", chatId, 4);
            bramHub.await("ChatStatusChanged", e -> e.chatId() == chatId && e.arg(1).intValue() == 4);
            assertThat(acme.chat(chatId).get("chatStatus").intValue()).isEqualTo(4);
        }
    }

    @Test
    void aRetriedSendWithTheSameKeyIsAnnouncedOnce() {
        TestTenant acme = server.newTenant();
        long sales = acme.organization("Sales");
        long chatId = acme.newChat(sales);

        try (HubClient acmeHub = acme.connect()) {
            JsonNode first = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                var r = server.api().post("/api/chat/" + chatId + "/message").bearer(acme.token())
                        .header("Idempotency-Key", "retry-1").json(Map.of("textMessage", "Only once")).send();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                if (first == null) first = r.json();
                else assertThat(r.json()).isEqualTo(first);
            }
            JsonNode last = acme.send(acme.token(), chatId, "sentinel");
            acmeHub.await("ReceiveMessage", e -> e.id() == last.get("id").longValue());

            long id = first.get("id").longValue();
            assertThat(acmeHub.events("ReceiveMessage")).filteredOn(e -> e.id() == id).hasSize(1);
            assertThat(acme.messages(chatId, "")).hasSize(3);
        }
    }
}
