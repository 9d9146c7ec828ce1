package io.chathub.chat;

import io.chathub.events.Event;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Message events of a chat reach the hub in seq order, even when they arrive out of order or not at all. */
class MessageOrderTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("sqlite");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private final BlockingQueue<Event> delivered = new LinkedBlockingQueue<>();

    private MessageOrder order() {
        return new MessageOrder(new JdbiChatStore(server.hub().database()), Duration.ofMillis(200), delivered::add);
    }

    /** A chat with messages seq 1..n, as stored. */
    private List<Message> chatWithMessages(int n) {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Sales");
        long chatId = tenant.newChat(org);
        for (int i = 2; i <= n; i++) tenant.send(tenant.token(), chatId, "m" + i);
        return new JdbiChatStore(server.hub().database()).messages(chatId, 0, 100);
    }

    private static Event event(Message m) {
        return Event.forOrganization(1, 1, "ReceiveMessage", m);
    }

    private long nextSeq() throws InterruptedException {
        Event e = delivered.poll(5, TimeUnit.SECONDS);
        assertThat(e).as("an event was delivered").isNotNull();
        return ((Message) e.args()[0]).seq();
    }

    @Test
    void aMessageAheadOfAGapWaitsForTheMissingOne() throws Exception {
        List<Message> m = chatWithMessages(3);
        try (MessageOrder order = order()) {
            order.accept(event(m.get(0)));
            order.accept(event(m.get(2)));
            assertThat(nextSeq()).isEqualTo(1);
            assertThat(delivered.poll(50, TimeUnit.MILLISECONDS)).as("seq 3 waits for seq 2").isNull();
            order.accept(event(m.get(1)));
            assertThat(List.of(nextSeq(), nextSeq())).containsExactly(2L, 3L);
        }
    }

    @Test
    void aMissingMessageThatNeverArrivesIsReadFromTheDatabase() throws Exception {
        List<Message> m = chatWithMessages(4);
        try (MessageOrder order = order()) {
            order.accept(event(m.get(0)));
            order.accept(event(m.get(3)));
            assertThat(nextSeq()).isEqualTo(1);
            assertThat(List.of(nextSeq(), nextSeq(), nextSeq())).containsExactly(2L, 3L, 4L);
            order.accept(event(m.get(1))); // the lost event turns up after all: already delivered, dropped
            assertThat(delivered.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void aMessageOlderThanTheFirstSeenIsDeliveredLateRatherThanLost() throws Exception {
        List<Message> m = chatWithMessages(3);
        try (MessageOrder order = order()) {
            order.accept(event(m.get(1)));
            order.accept(event(m.get(2)));
            order.accept(event(m.get(0)));
            assertThat(List.of(nextSeq(), nextSeq(), nextSeq())).containsExactly(2L, 3L, 1L);
        }
    }

    @Test
    void eventsInOrderPassStraightThrough() throws Exception {
        List<Message> m = chatWithMessages(3);
        try (MessageOrder order = order()) {
            for (Message x : m) order.accept(event(x));
            assertThat(List.of(nextSeq(), nextSeq(), nextSeq())).containsExactly(1L, 2L, 3L);
        }
    }
}
