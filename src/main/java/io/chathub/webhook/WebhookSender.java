package io.chathub.webhook;

import io.chathub.auth.SecretBox;
import io.chathub.config.Config;
import io.chathub.db.Database;
import io.chathub.events.ControlEvents;
import io.chathub.events.Event;
import io.chathub.events.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends the queued deliveries, after their commit, from every node. One loop finds the due ones webhook by webhook
 * (so that one webhook's backlog never holds up another's) and claims a few of each ahead — a lease in the row, in
 * one transaction per webhook and pass, so that two nodes never attempt one delivery at once and a node that dies
 * leaves its claims due again. Claimed deliveries are attempted each on a virtual thread of its own, at most
 * {@code concurrency} at once and at most {@link #PER_WEBHOOK} to one webhook; when one ends the next claimed one of
 * its webhook starts at once. The outcomes are written by one recorder, as many as have come in one transaction (on
 * SQLite every write waits for the one writer, which the message writer keeps busy under load).
 *
 * <p>An attempt resolves and checks the URL's host ({@link UrlGuard}), signs the body afresh with the current time
 * and POSTs it ({@link WebhookHttp}); a 2xx answer delivers it, anything else is tried again on the {@link Backoff}
 * schedule until its window ends, and then the delivery has failed. After {@code disableAfter} consecutive failed
 * deliveries the webhook is disabled and its pending deliveries given up.
 *
 * <p>At least once: a receiver may get a delivery twice (an answer lost, a node that died after sending); the
 * {@code X-ChatHub-Delivery} header is the same on every attempt, to drop repeats by.
 */
final class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final int PER_WEBHOOK = 8;
    /** Deliveries of one webhook claimed by this node and not finished yet, attempts under way included. */
    static final int CLAIM_AHEAD = 4 * PER_WEBHOOK;
    static final String SECRET_PURPOSE = "webhook-secret";
    private static final long POLL_MILLIS = 1_000;
    /**
     * The least time between two passes, and how long the recorder lets outcomes gather: under load every commit
     * wakes the loop, and each pass and each record is a transaction (a commit, an fsync on PostgreSQL) of its own.
     */
    private static final long GATHER_MILLIS = 10;
    private static final long HOUSEKEEPING_MILLIS = 3_600_000;

    private final WebhookStore store;
    private final Database db;
    private final EventPublisher events;
    private final SecretBox secrets;
    private final UrlGuard guard;
    private final Config.WebhookSettings settings;
    private final Clock clock;
    private final Backoff backoff;
    private final WebhookHttp http = new WebhookHttp();
    /** Per webhook: its claimed deliveries not started yet, and its attempts under way. Guarded by {@code this}. */
    private final Map<Long, Lane> lanes = new LinkedHashMap<>();
    private int running; // attempts under way on this node; guarded by this
    private final BlockingQueue<Boolean> signal = new ArrayBlockingQueue<>(1);
    private final Map<Thread, Boolean> workers = new ConcurrentHashMap<>();
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private volatile boolean sending = true;
    private volatile boolean recording = true;
    private final Thread loop;
    private final Thread recorder;

    private static final class Lane {
        final ArrayDeque<WebhookStore.Attempt> claimed = new ArrayDeque<>();
        int running;

        int held() {
            return claimed.size() + running;
        }
    }

    /** What an attempt came to, for the recorder; {@code result} null: its webhook was disabled, give up its deliveries. */
    private record Outcome(WebhookStore.Attempt attempt, WebhookHttp.Result result) {}

    WebhookSender(WebhookStore store, Database db, EventPublisher events, SecretBox secrets, UrlGuard guard,
                  Config.WebhookSettings settings, Clock clock) {
        this.store = store;
        this.db = db;
        this.events = events;
        this.secrets = secrets;
        this.guard = guard;
        this.settings = settings;
        this.clock = clock;
        this.backoff = new Backoff(settings.retryBase(), settings.retryWindow(), new java.util.Random());
        this.recorder = Thread.ofVirtual().name("chathub-webhook-recorder").start(this::recordLoop);
        this.loop = Thread.ofVirtual().name("chathub-webhook-sender").start(this::run);
    }

    /** Something may be due now (a delivery was queued, an attempt ended). */
    void wake() {
        signal.offer(Boolean.TRUE);
    }

    private void run() {
        long housekept = 0;
        while (sending) {
            long wait;
            long started = System.nanoTime();
            try {
                wait = pass();
                if (clock.millis() - housekept > HOUSEKEEPING_MILLIS) {
                    housekept = clock.millis();
                    housekeeping();
                }
            } catch (RuntimeException e) {
                log.warn("webhook sender pass failed: {}", e.toString());
                wait = POLL_MILLIS;
            }
            try {
                signal.poll(wait, TimeUnit.MILLISECONDS);
                long since = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                if (since < GATHER_MILLIS && sending) Thread.sleep(GATHER_MILLIS - since); // at most one pass per 10 ms
            } catch (InterruptedException e) {
                if (!sending) return;
            }
        }
    }

    /**
     * Claims what is due and this node may hold, webhook by webhook, and starts what may start; returns how long to
     * wait before the next pass (a new delivery or an attempt's end wakes the loop earlier).
     */
    private long pass() {
        long now = clock.millis();
        long next = Long.MAX_VALUE;
        boolean atALimit = false;
        for (WebhookStore.Pending p : store.pending()) {
            if (!sending) break;
            if (p.nextAttemptAt() > now) {
                next = Math.min(next, p.nextAttemptAt());
                continue;
            }
            int room;
            synchronized (this) {
                Lane lane = lanes.get(p.webhookId());
                room = CLAIM_AHEAD - (lane == null ? 0 : lane.held());
            }
            if (room <= 0) {
                atALimit = true;
                continue;
            }
            List<WebhookStore.Due> due = store.due(p.webhookId(), now, room);
            if (due.size() == room) atALimit = true; // there may be more
            claim(p.webhookId(), due, now + lease());
        }
        dispatch();
        if (atALimit) return POLL_MILLIS;
        return next == Long.MAX_VALUE ? POLL_MILLIS : Math.max(1, Math.min(POLL_MILLIS, next - clock.millis()));
    }

    /**
     * Claims the deliveries and reads what their attempts need, in one transaction (so that an attempt needs the
     * database only for its outcome); those claimed by another node meanwhile are left to it.
     */
    private void claim(long webhookId, List<WebhookStore.Due> due, long leaseUntil) {
        if (due.isEmpty()) return;
        List<WebhookStore.Attempt> mine = db.tx(h -> {
            List<Long> claimed = new ArrayList<>(due.size());
            for (WebhookStore.Due d : due) if (store.claim(d.id(), d.nextAttemptAt(), leaseUntil)) claimed.add(d.id());
            return store.attempts(claimed);
        });
        synchronized (this) {
            lanes.computeIfAbsent(webhookId, k -> new Lane()).claimed.addAll(mine);
        }
    }

    /**
     * The company's webhooks changed (on any node): its claimed deliveries not started yet are given back, to be
     * claimed again with the webhook as it is now (its new URL or secret, or not at all once it is disabled).
     */
    void companyChanged(long companyId) {
        List<WebhookStore.Attempt> dropped = new ArrayList<>();
        synchronized (this) {
            for (Lane lane : lanes.values()) {
                lane.claimed.removeIf(a -> {
                    boolean drop = a.webhook().companyId() == companyId;
                    if (drop) dropped.add(a);
                    return drop;
                });
            }
            lanes.values().removeIf(l -> l.held() == 0);
        }
        if (!dropped.isEmpty()) Thread.ofVirtual().name("chathub-webhook-unclaim").start(() -> unclaim(dropped));
    }

    /** Gives claims back: due at once (unless they changed since). */
    private void unclaim(List<WebhookStore.Attempt> attempts) {
        try {
            long now = clock.millis();
            db.tx(h -> {
                for (WebhookStore.Attempt a : attempts) store.unclaim(a.id(), a.leaseUntil(), now);
                return null;
            });
            wake();
        } catch (RuntimeException e) {
            log.warn("giving back {} webhook claims failed (due again once their lease ends): {}", attempts.size(), e.toString());
        }
    }

    /** Starts claimed deliveries while there is room: one webhook after another, one each in turn. */
    private synchronized void dispatch() {
        boolean started = true;
        while (started && running < settings.concurrency() && sending) {
            started = false;
            for (Lane lane : lanes.values()) {
                if (running >= settings.concurrency()) break;
                if (lane.running >= PER_WEBHOOK || lane.claimed.isEmpty()) continue;
                WebhookStore.Attempt a = lane.claimed.poll();
                lane.running++;
                running++;
                started = true;
                Thread worker = Thread.ofVirtual().name("chathub-webhook-" + a.id()).unstarted(() -> attempt(a));
                workers.put(worker, Boolean.TRUE);
                worker.start();
            }
        }
        lanes.values().removeIf(l -> l.held() == 0);
    }

    /**
     * How long a claim holds a delivery before it is due again, should this node die: long enough for the attempts
     * of its webhook claimed before it and its own.
     */
    private long lease() {
        return settings.timeout().toMillis() * (CLAIM_AHEAD / PER_WEBHOOK + 1) + 60_000;
    }

    /** One attempt; its outcome goes to the recorder, and the next claimed delivery of its webhook starts. */
    private void attempt(WebhookStore.Attempt a) {
        try {
            outcomes.add(new Outcome(a, a.webhook().enabled() ? send(a) : null));
        } catch (RuntimeException e) {
            log.warn("webhook delivery {} failed: {}", a.id(), e.toString()); // due again once its lease ends
        } finally {
            synchronized (this) {
                Lane lane = lanes.get(a.webhook().id());
                if (lane != null) lane.running--;
                running--;
            }
            workers.remove(Thread.currentThread());
            dispatch();
            wake();
        }
    }

    /** Writes the outcomes that have come, many in one transaction. */
    private void recordLoop() {
        List<Outcome> batch = new ArrayList<>();
        while (recording || !outcomes.isEmpty()) {
            try {
                Outcome first = outcomes.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                if (recording && outcomes.size() < 64) Thread.sleep(GATHER_MILLIS); // let a few more come
                batch.add(first);
                outcomes.drainTo(batch, 511);
                db.tx(h -> {
                    for (Outcome o : batch) record(o);
                    return null;
                });
            } catch (InterruptedException e) {
                // only close() stops it, by recording = false
            } catch (RuntimeException e) {
                log.warn("recording {} webhook attempts failed (they are due again once their lease ends): {}", batch.size(), e.toString());
            } finally {
                if (!batch.isEmpty()) wake();
                batch.clear();
            }
        }
    }

    private WebhookHttp.Result send(WebhookStore.Attempt a) {
        URI uri = URI.create(a.webhook().url());
        InetAddress address;
        try {
            address = guard.resolve(uri);
        } catch (UnknownHostException e) {
            return new WebhookHttp.Result(0, "host " + uri.getHost() + " does not resolve");
        } catch (UrlGuard.Refused e) {
            return new WebhookHttp.Result(0, "refused: " + e.getMessage());
        }
        String secret;
        try {
            secret = secrets.decrypt(SECRET_PURPOSE, a.webhook().secret());
        } catch (IllegalStateException e) {
            log.warn("webhook {}: {}", a.webhook().id(), e.getMessage());
            return new WebhookHttp.Result(0, "cannot decrypt the webhook's secret: is CHATHUB_SECRET_KEY the same on every node?");
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-ChatHub-Event", a.event());
        headers.put("X-ChatHub-Delivery", a.publicId());
        headers.put("X-ChatHub-Timestamp", Long.toString(timestamp));
        headers.put("X-ChatHub-Signature", Signature.header(secret, timestamp, body));
        return http.post(uri, address, headers, body, settings.timeout());
    }

    /** Inside the recorder's transaction: the attempt's result, the retry or the end, and the webhook's failure count. */
    private void record(Outcome o) {
        WebhookStore.Attempt a = o.attempt();
        long webhookId = a.webhook().id();
        long now = clock.millis();
        WebhookHttp.Result result = o.result();
        if (result == null) {
            store.cancelPending(webhookId, "webhook disabled", now);
            return;
        }
        Integer status = result.status() == 0 ? null : result.status();
        String error = result.error() != null ? result.error() : result.ok() ? null : "HTTP " + result.status();
        if (result.ok()) {
            if (store.delivered(a.id(), result.status(), now)) store.resetFailures(webhookId);
            return;
        }
        long next = backoff.next(a.attempts() + 1, a.createdAt(), now);
        if (next >= 0) {
            store.retry(a.id(), status, error, now, next);
            return;
        }
        if (!store.failed(a.id(), status, error, now)) return; // given up meanwhile (webhook disabled)
        int failures = store.countFailure(webhookId);
        if (failures >= settings.disableAfter()) {
            String reason = failures + " consecutive deliveries failed";
            if (store.disable(webhookId, reason, now)) {
                store.cancelPending(webhookId, "webhook disabled: " + reason, now);
                log.warn("webhook {} of company {} disabled: {}", webhookId, a.webhook().companyId(), reason);
                events.publishAfterCommit(Event.forOrganization(a.webhook().companyId(), 0, ControlEvents.WEBHOOKS_CHANGED));
            }
        }
    }

    private void housekeeping() {
        long cutoff = clock.millis() - settings.logRetention().toMillis();
        int deleted;
        int total = 0;
        do {
            deleted = store.deleteFinishedBefore(cutoff, 1_000);
            total += deleted;
        } while (deleted == 1_000 && sending);
        if (total > 0) log.info("webhook_deliveries_deleted={}", total);
    }

    /**
     * Stops starting attempts, gives back the claims not started yet (due again at once, for the next start or
     * another node), lets the attempts under way end (each within its timeout) and records them.
     */
    @Override
    public void close() {
        sending = false;
        wake(); // not an interrupt: that would close a database connection the loop may be using
        long deadline = System.nanoTime() + settings.timeout().plusSeconds(1).toNanos();
        try {
            loop.join(Duration.ofSeconds(5));
            List<WebhookStore.Attempt> unstarted = new ArrayList<>();
            synchronized (this) {
                for (Lane lane : lanes.values()) unstarted.addAll(lane.claimed);
                lanes.values().forEach(l -> l.claimed.clear());
            }
            if (!unstarted.isEmpty()) unclaim(unstarted);
            for (Thread t : new ArrayList<>(workers.keySet())) {
                long left = deadline - System.nanoTime();
                if (left > 0) t.join(Duration.ofNanos(left));
            }
            recording = false;
            recorder.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            http.close();
        }
    }
}
