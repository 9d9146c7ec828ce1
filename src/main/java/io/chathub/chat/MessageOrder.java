package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.events.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Puts each chat's message events back in seq order before they reach the hub. On one node they
 * already are (one writer thread commits and publishes in order); in a cluster a node delivers its
 * own messages at once and the other nodes' a little later over NATS, so seq 118 written here can
 * overtake seq 117 written there. A message that arrives ahead of a gap waits; when the missing
 * seqs do not arrive within {@code gapWait} (a lost cluster event), they are read from the database —
 * the record — and delivered first; the originals, should they still come, are dropped as already
 * delivered. Only a message older than the first one this node saw of a chat is delivered out of order
 * (late rather than lost).
 */
final class MessageOrder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageOrder.class);
    private static final int MAX_CHATS = 100_000;

    private static final class ChatState {
        long first; // the first seq this node saw of the chat
        long next;
        final TreeMap<Long, Event> waiting = new TreeMap<>();
        boolean timerArmed;
    }

    /** Reads a chat's stored messages after a seq, in seq order: the record that fills a gap. */
    @FunctionalInterface
    interface GapReader {
        List<Message> read(long chatId, long afterSeq, int limit);
    }


    private final GapReader reader;
    private final int maxRead;
    private final Duration gapWait;
    private final Consumer<Event> deliver;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("chathub-message-order").factory());
    private final Map<Long, ChatState> chats = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ChatState> eldest) {
            return size() > MAX_CHATS && eldest.getValue().waiting.isEmpty();
        }
    };

    MessageOrder(GapReader reader, Duration gapWait, Consumer<Event> deliver) {
        this(reader, gapWait, deliver, 1_000);
    }

    /** {@code maxRead}: the most messages one read of a gap asks for; a longer gap takes several. */
    MessageOrder(GapReader reader, Duration gapWait, Consumer<Event> deliver, int maxRead) {
        this.reader = reader;
        this.maxRead = maxRead;
        this.gapWait = gapWait;
        this.deliver = deliver;
    }

    /** True for the events this orders: new messages, which carry chatId and seq. */
    static boolean isMessageEvent(Event e) {
        return ("ReceiveMessage".equals(e.target()) || "ReceiveMediaMessage".equals(e.target())) && e.args().length == 1;
    }

    synchronized void accept(Event event) {
        long chatId = longField(event.args()[0], "chatId");
        long seq = longField(event.args()[0], "seq");
        ChatState state = chats.get(chatId);
        if (state == null) {
            state = new ChatState();
            state.first = seq;
            state.next = seq;
            chats.put(chatId, state);
        }
        if (seq < state.next) {
            // Already delivered (in order, or read from the database when it was late), unless it is older than
            // the first seq this node saw of the chat: then it was never delivered here, and late beats lost.
            if (seq < state.first) deliver.accept(event);
            return;
        }
        state.waiting.put(seq, event);
        drain(state);
        armIfWaiting(chatId, state);
    }

    private void drain(ChatState state) {
        Event e;
        while ((e = state.waiting.remove(state.next)) != null) {
            deliver.accept(e);
            state.next++;
        }
    }

    /**
     * The gap outlived its wait: read the missing messages from the database and deliver everything in order.
     *
     * <p>The read runs outside the lock, so events may arrive (and {@code next} move on) meanwhile. What the
     * read proves is bounded by what it asked for: the seqs in {@code [from, readTo)} that the database does not
     * hold do not exist (a seq is committed before any later seq of its chat, so below a delivered seq nothing
     * is still in flight) and may be skipped — nothing beyond {@code readTo}. A gap still open afterwards (a
     * second gap further on, a read that hit its limit or failed) arms the timer again, so it is filled in turn.
     */
    private void fillGap(long chatId) {
        long from, to;
        Event sample;
        synchronized (this) {
            ChatState state = chats.get(chatId);
            if (state == null) return;
            state.timerArmed = false;
            if (state.waiting.isEmpty()) return;
            from = state.next;
            to = state.waiting.firstKey();
            sample = state.waiting.firstEntry().getValue();
        }
        int limit = (int) Math.min(maxRead, to - from);
        List<Message> missing = null;
        try {
            missing = reader.read(chatId, from - 1, limit);
        } catch (RuntimeException e) {
            log.warn("cannot read missing messages {}..{} of chat {} (retrying): {}", from, to - 1, chatId, e.toString());
        }
        synchronized (this) {
            ChatState state = chats.get(chatId);
            if (state == null) return;
            if (missing != null) {
                for (Message m : missing) {
                    if (m.seq() >= state.next && m.seq() < to && !state.waiting.containsKey(m.seq())) {
                        // a note is for staff only: never to the chat's client's visitors
                        state.waiting.put(m.seq(), new Event(sample.companyId(), sample.organizationId(), null,
                                m.isNote() ? null : sample.clientId(), m.hasMedia() ? "ReceiveMediaMessage" : "ReceiveMessage", new Object[] {m}));
                    }
                }
                // A short answer covers the whole range asked for; a full one only up to its last seq.
                long readTo = missing.size() < limit ? to : missing.get(missing.size() - 1).seq() + 1;
                drain(state);
                while (state.next < readTo) { // the database has no such seq (deleted): skip it
                    if (!state.waiting.containsKey(state.next)) state.next++;
                    drain(state);
                }
            }
            armIfWaiting(chatId, state);
        }
    }

    private void armIfWaiting(long chatId, ChatState state) {
        if (!state.waiting.isEmpty() && !state.timerArmed) {
            state.timerArmed = true;
            timer.schedule(() -> fillGap(chatId), gapWait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static long longField(Object value, String field) {
        if (value instanceof Message m) return "chatId".equals(field) ? m.chatId() : m.seq();
        if (value instanceof JsonNode n) return n.path(field).asLong();
        throw new IllegalArgumentException("not a message: " + value);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
