package io.chathub.channel;

import io.chathub.chat.ChatService;
import io.chathub.chat.ChatStore;
import io.chathub.chat.Enums;
import io.chathub.chat.Message;
import io.chathub.chat.MessageWriter;
import io.chathub.media.MediaService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Delivers the outbox ({@link ChannelOutbox}) to the messengers. One poller finds the chats whose next row is due;
 * each such chat gets a virtual thread that sends its rows one after the other in seq order (so a chat's messages
 * arrive in order) and stops at a row that must wait. Each channel sends at most {@link Messenger#sendsPerSecond()}.
 *
 * <ul>
 *   <li>Accepted: the row goes, the message becomes 1 Success with the messenger's id of it; Rejected (a permanent
 *   error): the row goes, the message becomes 2 Rejected with the reason. Both in one transaction, announced with
 *   {@code MessageStatusChanged} after commit.</li>
 *   <li>Network errors and 5xx: retried with exponential backoff (1 s doubling to 5 min) and full jitter; 429 or the
 *   messenger's own "retry after" waits at least as long as it says. A row still undelivered after 24 h is Rejected.</li>
 *   <li>Crash safety: a row is removed only after the messenger answered; a node killed in between sends that row
 *   again after restart (at-least-once; none of the three messengers offers an idempotency key for sends). Only
 *   the rows in flight at the moment of the kill can be sent twice.</li>
 *   <li>Several nodes (PostgreSQL): a node leases a chat's head row for {@link #LEASE} before sending it, so no two
 *   nodes send a chat at once; a killed node's leases run out after that, or at once when it starts again (its id is
 *   kept in its data dir). On SQLite there is one node by construction and the in-memory set of chats in flight is the
 *   lease.</li>
 * </ul>
 */
public final class ChannelSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelSender.class);
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration GIVE_UP = Duration.ofHours(24);
    private static final long MIN_BACKOFF_MS = 1_000, MAX_BACKOFF_MS = 300_000;
    private static final long MIN_POLL_GAP_MS = 20, IDLE_POLL_MS = 1_000;

    /** A channel ready to send: itself, its messenger and its (decrypted) credentials. */
    record Open(Channel channel, Messenger messenger, Messenger.Credentials credentials) {}

    private final ChannelStore store;
    private final ChatStore chatStore;
    private final ChatService chats;
    private final MessageWriter writer;
    private final MediaService media;
    private final MediaLinks links;
    private final String publicUrl;
    private final LongFunction<Optional<Open>> channels;
    private final Clock clock;
    private final boolean leases;
    private final String owner;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<Long, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Object signal = new Object();
    private final Counter accepted, rejected, retried;
    private boolean woken;
    private volatile boolean running = true;
    private Thread poller;

    ChannelSender(ChannelStore store, ChatStore chatStore, ChatService chats, MessageWriter writer, MediaService media,
                  MediaLinks links, String publicUrl, LongFunction<Optional<Open>> channels, Clock clock, boolean leases,
                  String nodeId, MeterRegistry metrics) {
        this.owner = nodeId;
        this.store = store;
        this.chatStore = chatStore;
        this.chats = chats;
        this.writer = writer;
        this.media = media;
        this.links = links;
        this.publicUrl = publicUrl;
        this.channels = channels;
        this.clock = clock;
        this.leases = leases;
        this.accepted = Counter.builder("chathub.channel.sends").tag("result", "accepted").register(metrics);
        this.rejected = Counter.builder("chathub.channel.sends").tag("result", "rejected").register(metrics);
        this.retried = Counter.builder("chathub.channel.sends").tag("result", "retry").register(metrics);
    }

    void start() {
        if (leases) {
            int released = store.releaseLeases(owner);
            if (released > 0) log.info("channel_outbox_leases_released count={} (this node was stopped while sending)", released);
        }
        poller = Thread.ofVirtual().name("chathub-channel-sender").start(this::pollLoop);
    }

    /** Something was queued (after its commit) or a chat finished: look again soon. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void pollLoop() {
        while (running) {
            long wait = IDLE_POLL_MS;
            try {
                long now = clock.millis();
                List<ChannelStore.Pending> due = store.due(now, 512);
                List<ChannelStore.Pending> idle = due.stream().filter(p -> !inFlight.contains(p.chatId())).toList();
                long until = Long.MAX_VALUE;
                if (leases && !idle.isEmpty()) {
                    // one statement leases every idle chat's head; a chat another node holds is left to it
                    until = now + LEASE.toMillis();
                    var taken = store.leaseAll(idle.stream().map(ChannelStore.Pending::id).toList(), owner, now, until);
                    idle = idle.stream().filter(p -> taken.contains(p.id())).toList();
                }
                for (ChannelStore.Pending p : idle) {
                    long leased = until;
                    if (inFlight.add(p.chatId())) workers.execute(() -> deliverChat(p, leased));
                }
                if (!due.isEmpty()) wait = idle.size() == due.size() && due.size() < 512 ? IDLE_POLL_MS : 50;
                Optional<Long> next = store.nextDue();
                if (next.isPresent() && next.get() > now) wait = Math.min(wait, next.get() - now);
            } catch (RuntimeException e) {
                if (running) log.warn("channel outbox poll failed: {}", e.toString());
            }
            try {
                Thread.sleep(MIN_POLL_GAP_MS);
                synchronized (signal) {
                    if (!woken && running) signal.wait(Math.max(1, wait));
                    woken = false;
                }
            } catch (InterruptedException e) {
                if (!running) return;
            }
        }
    }

    /**
     * Sends the chat's rows in seq order, from {@code first} (leased until {@code leasedUntil}), until one must wait or
     * none is left. Each outcome is written together with the lease of the chat's next row (one transaction).
     */
    private void deliverChat(ChannelStore.Pending first, long leasedUntil) {
        ChannelStore.Pending row = first;
        long until = leasedUntil;
        try {
            while (running && row != null) {
                ChannelStore.Pending current = row;
                Open open = channels.apply(current.channelId()).orElse(null);
                if (open == null) return; // deleted meanwhile: its rows went with it
                buckets.computeIfAbsent(current.channelId(), id -> new TokenBucket(open.messenger().sendsPerSecond())).acquire();
                long now = clock.millis();
                if (leases && now > until - LEASE.toMillis() / 2) { // waited long for the rate: keep the lease well ahead of the send
                    if (!store.renewLease(current.id(), owner, now + LEASE.toMillis())) return;
                    until = now + LEASE.toMillis();
                }
                Step step = deliver(open, current);
                row = step.next();
                until = step.leasedUntil();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) log.warn("channel delivery of chat {} failed: {}", first.chatId(), e.toString());
        } finally {
            inFlight.remove(first.chatId());
            wake();
        }
    }

    /** After a row: the chat's next row to send now (leased until {@code leasedUntil}), or null. */
    private record Step(ChannelStore.Pending next, long leasedUntil) {}

    /** Sends one row and records the outcome. */
    private Step deliver(Open open, ChannelStore.Pending row) {
        Message message = chatStore.findMessage(row.messageId()).orElse(null);
        if (message == null) return finish(row, -1, null, null); // its chat or message is gone
        Messenger.SendResult result = send(open, row, message);
        switch (result) {
            case Messenger.SendResult.Accepted a -> {
                accepted.increment();
                return finish(row, Enums.MessageStatus.SUCCESS, null, open.messenger().reportsStatuses() ? a.externalId() : null);
            }
            case Messenger.SendResult.Rejected r -> {
                rejected.increment();
                String reason = MessengerHttp.redact(r.reason(), open.credentials());
                log.info("channel_message_rejected channel={} message={} reason={}", row.channelId(), row.messageId(), reason);
                return finish(row, Enums.MessageStatus.REJECTED, reason, null);
            }
            case Messenger.SendResult.Retry r -> {
                String reason = MessengerHttp.redact(r.reason(), open.credentials());
                if (clock.millis() - row.createdAt() > GIVE_UP.toMillis()) {
                    rejected.increment();
                    return finish(row, Enums.MessageStatus.REJECTED, "Not delivered within 24 hours: " + reason, null);
                }
                retried.increment();
                long delay = delay(row.attempts(), r.after());
                log.info("channel_send_retry channel={} message={} attempt={} in_ms={} reason={}", row.channelId(),
                        row.messageId(), row.attempts() + 1, delay, reason);
                writer.write(() -> {
                    store.retry(row.id(), clock.millis() + delay, reason);
                    return null;
                });
                return new Step(null, 0);
            }
        }
    }

    private Messenger.SendResult send(Open open, ChannelStore.Pending row, Message message) {
        var route = store.routeOf(row.chatId()).orElse(null);
        String peer = route == null ? row.peerId() : route.peerId();
        if (route != null) {
            String why = ChannelOutbox.undeliverable(open.messenger(), route, clock.millis());
            if (why != null) return new Messenger.SendResult.Rejected(why);
        }
        Messenger.File file = null;
        if (message.media() != null) {
            String hash = message.media().uri().substring(MediaService.URI_PREFIX.length());
            var stored = media.find(hash).orElse(null);
            if (stored == null) return new Messenger.SendResult.Rejected("The message's file is no longer stored");
            file = new Messenger.File(stored.path(), message.media().name(), message.media().format(), stored.size(),
                    message.media().type(), links.url(publicUrl, open.channel(), hash));
        }
        try {
            return open.messenger().send(open.channel(), open.credentials(),
                    new Messenger.Outbound(message.id(), peer, message.message(), file));
        } catch (RuntimeException e) {
            return new Messenger.SendResult.Retry(null, e.getClass().getSimpleName());
        }
    }

    /**
     * Removes the row and records the message's status ({@code status} < 0: none, the message is gone), and takes the
     * chat's next row if it is due now: one transaction of the message writer (grouped with others).
     */
    private Step finish(ChannelStore.Pending row, int status, String reason, String externalId) {
        return writer.write(() -> {
            if (store.remove(row.id()) && status >= 0) {
                if (externalId != null) store.mapExternalId(row.channelId(), externalId, row.messageId());
                chats.deliveryStatus(row.messageId(), status, reason);
            }
            long now = clock.millis();
            if (leases) {
                long until = now + LEASE.toMillis();
                return store.leaseHead(row.chatId(), owner, now, until).map(next -> new Step(next, until)).orElse(new Step(null, 0));
            }
            ChannelStore.Pending next = store.head(row.chatId()).orElse(null);
            return next == null || next.nextAttemptAt() > now ? new Step(null, 0) : new Step(next, Long.MAX_VALUE);
        });
    }

    /** Exponential backoff with full jitter, never sooner than the messenger asked. */
    static long delay(int attempts, Duration retryAfter) {
        long backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(attempts, 20));
        long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        if (retryAfter == null) return jittered;
        long asked = retryAfter.toMillis();
        return asked + ThreadLocalRandom.current().nextLong(Math.max(1, asked / 10) + 1);
    }

    @Override
    public void close() {
        running = false;
        wake();
        if (poller != null) poller.interrupt();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) workers.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
