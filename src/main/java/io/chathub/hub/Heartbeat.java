package io.chathub.hub;

import io.chathub.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The hub's one timer. Each tick it walks the live connections and applies the protocol's clocks: the handshake
 * timeout, the keep-alive Ping (sent only when nothing else was sent for the interval), the client timeout, the
 * expiry of the connection's token while it is connected, the write timeout of the write in flight, and a last
 * resort for connections that do not finish closing. It also forgets negotiated ids that were never used. One
 * timer for all connections, rather than timers per connection (or per write), keeps the cost flat.
 */
final class Heartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final ConnectionRegistry registry;
    private final Negotiations negotiations;
    private final Config.HubSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    Heartbeat(ConnectionRegistry registry, Negotiations negotiations, Config.HubSettings settings, Clock clock) {
        this.registry = registry;
        this.negotiations = negotiations;
        this.settings = settings;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("hub-heartbeat").factory());
        long period = tickPeriod(settings).toMillis();
        timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** A quarter of the shortest clock, between 10 ms and 1 s: timeouts fire at most 25 % late. */
    static Duration tickPeriod(Config.HubSettings s) {
        Duration shortest = s.keepAliveInterval();
        for (Duration d : new Duration[] {s.clientTimeout(), s.handshakeTimeout(), s.negotiateTimeout(), s.writeTimeout()}) {
            if (d.compareTo(shortest) < 0) shortest = d;
        }
        long millis = Math.clamp(shortest.toMillis() / 4, 10, 1000);
        return Duration.ofMillis(millis);
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            Instant wallNow = clock.instant();
            for (HubConnection c : registry.live()) check(c, now, wallNow);
            negotiations.purgeExpired();
        } catch (RuntimeException e) {
            log.error("hub heartbeat failed", e);
        }
    }

    private void check(HubConnection c, long now, Instant wallNow) {
        HubConnection.State state = c.state();
        // A write that the peer has not taken for the write timeout (it stopped reading, its buffers are full):
        // the transport is dropped, and the connection ends as the socket closes.
        if (state != HubConnection.State.CLOSED && c.outbox().expireStuckWrite(now)) return;
        switch (state) {
            case HANDSHAKE -> {
                if (now - c.createdNanos() > settings.handshakeTimeout().toNanos()) c.failHandshake(HubErrors.HANDSHAKE_CANCELED);
            }
            case OPEN -> {
                if (!wallNow.isBefore(c.principal().expiresAt())) {
                    c.close(HubErrors.TOKEN_EXPIRED);
                } else if (now - c.lastReceivedNanos() > settings.clientTimeout().toNanos()) {
                    c.close(HubErrors.clientTimeout(settings.clientTimeout()));
                } else if (c.outbox().nanosSinceLastWrite() >= settings.keepAliveInterval().toNanos()) {
                    c.outbox().enqueueIfIdle(HubProtocol.PING_FRAME);
                }
            }
            case CLOSING -> {
                // A stuck write is dropped above after the write timeout; this catches a close handshake the
                // peer never answers.
                if (now - c.closingSinceNanos() > settings.writeTimeout().plus(CLOSE_GRACE).toNanos()) c.disconnect();
            }
            case CLOSED -> registry.removeLive(c);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
