package io.chathub.chat;

import io.chathub.events.Event;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import java.util.ArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
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
        return new MessageOrder(store()::messages, Duration.ofMillis(200), delivered::add);
    }

    private static JdbiChatStore store() {
        return new JdbiChatStore(server.hub().database());
    }

    /** A chat with messages seq 1..n, as stored. */
    private List<Message> chatWithMessages(int n) {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Sales");
        long chatId = tenant.newChat(org);
        for (int i = 2; i <= n; i++) tenant.send(tenant.token(), chatId, "m" + i);
        return store().messages(chatId, 0, 100);
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

    private List<Long> nextSeqs(int n) throws InterruptedException {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < n; i++) seqs.add(nextSeq());
        return seqs;
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void twoGapsInOneChatAreBothFilledFromTheDatabase() throws Exception {
        List<Message> m = chatWithMessages(6);
        try (MessageOrder order = order()) {
            order.accept(event(m.get(0)));
            order.accept(event(m.get(2)));
            order.accept(event(m.get(5))); // waiting: 3 and 6; missing: 2, 4 and 5
            assertThat(nextSeqs(6)).isEqualTo(seqs(1, 6));
            assertThat(delivered.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    /**
     * The gap 2..4 is being read when 2..5 arrive after all and 8 arrives ahead of a new gap (6, 7): the
     * finished read proves nothing about 6 and 7, so they are read in turn instead of being skipped.
     */
    @Test
    void eventsArrivingWhileAGapIsReadDoNotSkipSeqsTheReadNeverCovered() throws Exception {
        List<Message> m = chatWithMessages(8);
        Semaphore firstRead = new Semaphore(0);
        AtomicInteger reads = new AtomicInteger();
        var entered = new java.util.concurrent.CountDownLatch(1);
        MessageOrder.GapReader gated = (chat, after, limit) -> {
            if (reads.incrementAndGet() == 1) {
                entered.countDown();
                firstRead.acquireUninterruptibly();
            }
            return store().messages(chat, after, limit);
        };
        try (MessageOrder order = new MessageOrder(gated, Duration.ofMillis(100), delivered::add)) {
            order.accept(event(m.get(0)));
            order.accept(event(m.get(4)));
            assertThat(entered.await(5, TimeUnit.SECONDS)).as("the gap 2..4 is being read").isTrue();
            for (int i = 1; i <= 3; i++) order.accept(event(m.get(i)));
            order.accept(event(m.get(7)));
            assertThat(nextSeqs(5)).isEqualTo(seqs(1, 5));
            firstRead.release();
            assertThat(nextSeqs(3)).isEqualTo(seqs(6, 8));
        }
    }

    @Test
    void aFailedReadIsRetriedRatherThanSkipped() throws Exception {
        List<Message> m = chatWithMessages(4);
        AtomicInteger reads = new AtomicInteger();
        MessageOrder.GapReader failingOnce = (chat, after, limit) -> {
            if (reads.incrementAndGet() == 1) throw new IllegalStateException("database unavailable");
            return store().messages(chat, after, limit);
        };
        try (MessageOrder order = new MessageOrder(failingOnce, Duration.ofMillis(100), delivered::add)) {
            order.accept(event(m.get(0)));
            order.accept(event(m.get(3)));
            assertThat(nextSeqs(4)).isEqualTo(seqs(1, 4));
            assertThat(reads.get()).isEqualTo(2);
        }
    }

    @Test
    void aGapLongerThanOneReadIsReadInTurns() throws Exception {
        List<Message> m = chatWithMessages(7);
        try (MessageOrder order = new MessageOrder(store()::messages, Duration.ofMillis(50), delivered::add, 2)) {
            order.accept(event(m.get(0)));
            order.accept(event(m.get(6)));
            assertThat(nextSeqs(7)).isEqualTo(seqs(1, 7));
        }
    }

    @Test
    void seqsTheDatabaseDoesNotHoldAreSkippedOnlyWithinTheRangeRead() throws Exception {
        List<Message> m = chatWithMessages(5);
        // The reader answers as a database would that has lost seqs 2 and 3 (a deleted range).
        MessageOrder.GapReader withHole = (chat, after, limit) -> store().messages(chat, after, 100).stream()
                .filter(x -> x.seq() != 2 && x.seq() != 3).limit(limit).toList();
        try (MessageOrder order = new MessageOrder(withHole, Duration.ofMillis(50), delivered::add)) {
            order.accept(event(m.get(0)));
            order.accept(event(m.get(4)));
            assertThat(nextSeqs(3)).containsExactly(1L, 4L, 5L);
        }
    }
}
