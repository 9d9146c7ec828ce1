package io.chathub.hub;

import io.chathub.auth.Authenticator;
import io.chathub.auth.Principal;
import io.chathub.auth.TokenException;
import io.chathub.config.Config;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The real-time hub at {@code /chathub}: ASP.NET Core SignalR's negotiate, WebSockets transport and JSON hub
 * protocol, so the official SignalR clients work unchanged. This class is what the application uses:
 * <ul>
 *   <li>{@link #method} registers a method clients may invoke;</li>
 *   <li>{@link #send} invokes a client method on every connection of an {@link Audience};</li>
 *   <li>{@link #onConnected} / {@link #onDisconnected} tell who comes and goes;</li>
 *   <li>{@link #close(Predicate, String)} ends connections (a revoked token, a deactivated operator);</li>
 *   <li>{@link #originPolicy} decides which browser origins may connect.</li>
 * </ul>
 * Connections whose token expires while connected are closed with the error "token expired".
 */
public final class Hub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    /** Invocations a client may have waiting behind the running one before it is cut off as abusive. */
    static final int MAX_PENDING_INVOCATIONS = 256;
    /** How long {@link #close()} waits for clients to answer their Close; {@link #drain} takes it as an argument. */
    private static final Duration DEFAULT_DRAIN_WAIT = Duration.ofSeconds(1);

    private final Config.HubSettings settings;
    private final Authenticator auth;
    private final Clock clock;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final HubMethods methods = new HubMethods();
    private final Negotiations negotiations;
    private final HubEndpoint endpoint;
    private final HubMetrics metrics;
    private final Heartbeat heartbeat;
    private final Lifecycle lifecycle = new Lifecycle(); // stateless: one for all connections
    private final List<Consumer<HubConnection>> connectedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<HubConnection>> disconnectedListeners = new CopyOnWriteArrayList<>();
    private volatile OriginPolicy originPolicy = OriginPolicy.ALLOW_ALL;
    private volatile boolean stopping;
    private final AtomicInteger closedWhileStopping = new AtomicInteger();

    public Hub(Config.HubSettings settings, Authenticator auth, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.auth = auth;
        this.clock = clock;
        this.negotiations = new Negotiations(settings.negotiateTimeout());
        this.metrics = new HubMetrics(meters, registry::openCount);
        this.endpoint = new HubEndpoint(auth, negotiations, () -> originPolicy, () -> stopping, this::connect);
        this.heartbeat = new Heartbeat(registry, negotiations, settings, clock);
    }

    /** Adds the hub's routes and WebSocket limits to the server being configured. */
    public void register(JavalinConfig cfg) {
        endpoint.register(cfg, settings);
    }

    // ---- the application's API ----

    /**
     * Registers a method clients may invoke as {@code name} (matched case-insensitively) with exactly
     * {@code argumentCount} arguments. See {@link HubMethod} for how it runs and answers.
     *
     * @throws IllegalArgumentException when the name is already registered
     */
    public Hub method(String name, int argumentCount, HubMethod handler) {
        methods.add(name, argumentCount, handler);
        return this;
    }

    /**
     * Invokes the client method {@code target} with {@code arguments} on every open connection of the audience.
     * The message is serialized once; each connection gets it in its own queue, after everything queued for it
     * before. Never blocks: a connection that cannot keep up is closed as too slow instead.
     *
     * @return how many connections it was queued for
     * @throws IllegalArgumentException when the arguments cannot be serialized to JSON
     */
    public int send(Audience audience, String target, Object... arguments) {
        Frame frame = HubProtocol.invocation(Objects.requireNonNull(target), arguments);
        int queued = 0;
        for (HubConnection c : registry.select(audience)) {
            if (c.deliver(frame)) queued++;
        }
        return queued;
    }

    /**
     * Runs {@code work}, and writes what it sends only when it returns: each connection then gets everything queued
     * for it in one write (up to {@link Outbox#MAX_BATCH_BYTES}) instead of one write per event. For a thread that
     * sends several events in a row, such as the publisher of a group commit's events: the busier it is, the more
     * events share a write. Order and bounds are as for {@link #send}. Nested calls join the outer one.
     */
    public void deferWrites(Runnable work) {
        if (Outbox.DEFERRED.get() != null) {
            work.run();
            return;
        }
        var deferred = new Outbox.Deferred();
        Outbox.DEFERRED.set(deferred);
        try {
            work.run();
        } finally {
            Outbox.DEFERRED.remove();
            deferred.flush();
        }
    }

    /** The open connections of an audience at this moment. */
    public List<HubConnection> connections(Audience audience) {
        return registry.select(audience);
    }

    /** All open connections at this moment. */
    public List<HubConnection> connections() {
        return registry.open();
    }

    /**
     * Sends Close {error} to every connection, open or still in its handshake, whose principal matches, and
     * closes it; the clients do not reconnect on their own. Returns how many were closed.
     */
    public int close(Predicate<Principal> which, String error) {
        int closed = 0;
        for (HubConnection c : registry.live()) {
            HubConnection.State s = c.state();
            if ((s == HubConnection.State.OPEN || s == HubConnection.State.HANDSHAKE) && which.test(c.principal())) {
                c.close(error);
                closed++;
            }
        }
        return closed;
    }

    /**
     * Runs after a connection's handshake, before any of its invocations and before the client gets the handshake's
     * answer (so keep it short: it delays the answer). Listeners of one connection run in
     * order on its invocation thread; each connected call is followed by exactly one disconnected call.
     */
    public void onConnected(Consumer<HubConnection> listener) {
        connectedListeners.add(Objects.requireNonNull(listener));
    }

    /** Runs once when a connection that had completed its handshake is gone, after its last invocation. */
    public void onDisconnected(Consumer<HubConnection> listener) {
        disconnectedListeners.add(Objects.requireNonNull(listener));
    }

    /** Replaces the origin check made at negotiate and at the WebSocket upgrade (default: any origin). */
    public void originPolicy(OriginPolicy policy) {
        originPolicy = Objects.requireNonNull(policy);
    }

    /** What a {@link #drain} did: connections that ended, and how many of them were dropped for not answering. */
    public record Drained(int closed, int dropped) {}

    /**
     * Shutdown: every client gets Close {allowReconnect: true}, so that clients with automatic reconnect come back
     * (to this server when it restarts, or to another node), and new connections are refused (503) from now on.
     * Waits up to {@code wait} for the clients to answer the close; those that have not by then (a dead network, a
     * client that does not read) are dropped, so that none of them holds up the HTTP server's stop.
     */
    public Drained drain(Duration wait) {
        stopping = true;
        heartbeat.close();
        for (HubConnection c : registry.live()) c.close(null, true);
        long deadline = System.nanoTime() + wait.toNanos();
        while (!registry.live().isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int dropped = 0;
        for (HubConnection c : registry.live()) {
            if (c.state() != HubConnection.State.CLOSED) dropped++;
            c.disconnect();
        }
        return new Drained(closedWhileStopping.get(), dropped);
    }

    /** {@link #drain} with a short wait. */
    @Override
    public void close() {
        drain(DEFAULT_DRAIN_WAIT);
    }

    // ---- connection lifecycle ----

    private Inbound connect(String connectionId, Principal principal, long authGeneration, String origin, Transport transport) {
        var outbox = new Outbox(connectionId, transport, settings.outboundMaxFrames(), settings.outboundMaxBytes(),
                settings.writeTimeout(), metrics);
        var executor = new SerialExecutor(connectionId, MAX_PENDING_INVOCATIONS);
        var connection = new HubConnection(connectionId, principal, origin, transport, outbox, executor,
                lifecycle, clock.instant());
        registry.addLive(connection);
        if (stopping) connection.close(null, true);
        // a revocation (or the like) announced since the upgrade's check has already swept the live connections
        // without this one: check again now that it is among them
        else if (auth.generation() != authGeneration && !auth.stillValid(principal)) connection.close(TokenException.INVALID);
        return new Inbound(connection, methods, settings.maxMessageBytes());
    }

    private final class Lifecycle implements HubConnection.Lifecycle {
        @Override
        public void opened(HubConnection c) {
            registry.index(c);
            c.executor().submitAlways(() -> {
                try {
                    notify(connectedListeners, c);
                } finally {
                    c.outbox().release(); // the handshake's answer, held until now
                }
            });
        }

        @Override
        public void closing(HubConnection c) {
            registry.unindex(c);
            if (c.closedAsSlowConsumer()) {
                metrics.slowConsumerClosed();
                log.warn("hub connection {} closed: client too slow", c.connectionId());
            }
        }

        @Override
        public void closed(HubConnection c, boolean wasOpen) {
            registry.unindex(c);
            registry.removeLive(c);
            if (stopping) closedWhileStopping.incrementAndGet();
            if (wasOpen) c.executor().submitAlways(() -> notify(disconnectedListeners, c));
        }

        private void notify(List<Consumer<HubConnection>> listeners, HubConnection c) {
            for (Consumer<HubConnection> listener : listeners) {
                try {
                    listener.accept(c);
                } catch (RuntimeException e) {
                    log.error("hub lifecycle listener failed for connection {}", c.connectionId(), e);
                }
            }
        }
    }
}
