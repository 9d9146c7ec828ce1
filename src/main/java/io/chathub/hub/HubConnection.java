package io.chathub.hub;

import io.chathub.auth.Principal;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client connected to the hub over a WebSocket, acting as a {@link Principal}. The application receives it in
 * hub methods and lifecycle listeners; it may send to it, close it, and read who and where it is.
 *
 * <p>Its life: HANDSHAKE (socket open, waiting for the protocol handshake), OPEN (handshake done: it is in the
 * hub's audiences and the connected listeners run), CLOSING (a Close or handshake error is on its way, nothing
 * else is sent), CLOSED (the socket is gone; the disconnected listeners run once, if it was ever OPEN).
 */
public final class HubConnection {
    enum State { HANDSHAKE, OPEN, CLOSING, CLOSED }

    /** What the hub does when a connection opens or ends; implemented by {@link Hub}. */
    interface Lifecycle {
        void opened(HubConnection connection);

        void closing(HubConnection connection);

        void closed(HubConnection connection, boolean wasOpen);
    }

    private final String connectionId;
    private final Principal principal;
    private final String origin;
    private final Transport transport;
    private final Outbox outbox;
    private final SerialExecutor executor;
    private final Lifecycle lifecycle;
    private final Instant connectedAt;
    private final long createdNanos = System.nanoTime();
    private final AtomicReference<State> state = new AtomicReference<>(State.HANDSHAKE);
    private volatile boolean wasOpen;
    private volatile long lastReceivedNanos = createdNanos;
    private volatile long closingSinceNanos;
    private volatile String closeError;
    private volatile boolean slowConsumer;

    HubConnection(String connectionId, Principal principal, String origin, Transport transport, Outbox outbox,
                  SerialExecutor executor, Lifecycle lifecycle, Instant connectedAt) {
        this.connectionId = connectionId;
        this.principal = principal;
        this.origin = origin;
        this.transport = transport;
        this.outbox = outbox;
        this.executor = executor;
        this.lifecycle = lifecycle;
        this.connectedAt = connectedAt;
    }

    public String connectionId() {
        return connectionId;
    }

    /** Who the connection acts as; fixed for its whole life (a new token means a new connection). */
    public Principal principal() {
        return principal;
    }

    /** The Origin header of the upgrade request, when a browser sent one. */
    public Optional<String> origin() {
        return Optional.ofNullable(origin);
    }

    public String remoteAddress() {
        return transport.remoteAddress();
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public boolean isOpen() {
        return state.get() == State.OPEN;
    }

    /** The error this connection was closed with by the server, if any. */
    public Optional<String> closeError() {
        return Optional.ofNullable(closeError);
    }

    /** Invokes a client method on this connection only; false when it is not open or was just closed as too slow. */
    public boolean send(String target, Object... arguments) {
        return deliver(HubProtocol.invocation(target, arguments));
    }

    /** Sends Close {error} (null for none) and closes; the client's automatic reconnect does not retry. */
    public void close(String error) {
        close(error, false);
    }

    /**
     * Sends Close {error, allowReconnect} and closes. Before the handshake has completed the client cannot read a
     * Close message yet, so the error goes out as the handshake's error response instead.
     */
    public void close(String error, boolean allowReconnect) {
        State previous = beginClosing(error, false);
        if (previous == null) return;
        if (previous != State.HANDSHAKE) outbox.seal(HubProtocol.close(error, allowReconnect));
        else outbox.seal(error == null ? null : HubProtocol.handshakeError(error));
    }

    // ---- used by the hub ----

    State state() {
        return state.get();
    }

    SerialExecutor executor() {
        return executor;
    }

    Outbox outbox() {
        return outbox;
    }

    long createdNanos() {
        return createdNanos;
    }

    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    long closingSinceNanos() {
        return closingSinceNanos;
    }

    /** Anything received, even a Ping, proves the client alive. */
    void touch() {
        lastReceivedNanos = System.nanoTime();
    }

    /** Queues a frame; on overflow the connection closes as too slow, with leave to reconnect and catch up. */
    boolean deliver(Frame frame) {
        if (state.get() != State.OPEN) return false;
        return switch (outbox.enqueue(frame)) {
            case QUEUED -> true;
            case DROPPED -> false;
            case OVERFLOW -> {
                if (beginClosing(HubErrors.TOO_SLOW, true) != null) outbox.seal(HubProtocol.close(HubErrors.TOO_SLOW, true));
                yield false;
            }
        };
    }

    boolean closedAsSlowConsumer() {
        return slowConsumer;
    }

    /**
     * The handshake succeeded: its answer goes first in the queue, but is written only once the connection is in
     * its audiences and the connected listeners have run (the hub releases it then), so that whatever is sent after
     * the client has read it reaches the client, and what the listeners record (the operator online, cluster-wide)
     * holds by then.
     */
    void open() {
        if (state.get() != State.HANDSHAKE) return;
        outbox.enqueueHeld(HubProtocol.HANDSHAKE_OK);
        if (state.compareAndSet(State.HANDSHAKE, State.OPEN)) {
            wasOpen = true;
            lifecycle.opened(this);
        } else {
            outbox.release();
        }
    }

    /** The handshake failed: answer with its error, then close, as the protocol requires. */
    void failHandshake(String error) {
        if (beginClosing(error, false) != null) outbox.seal(HubProtocol.handshakeError(error));
    }

    /** Closes without a Close message: the client sent its own Close. */
    void closeQuietly() {
        if (beginClosing(null, false) != null) outbox.seal(null);
    }

    /** The socket is gone (closed by either side, or dropped). */
    void transportClosed() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) return;
        outbox.abandon();
        lifecycle.closed(this, wasOpen);
    }

    /** Drops a connection that did not finish closing in time. */
    void disconnect() {
        transport.disconnect();
        transportClosed();
    }

    /**
     * Moves to CLOSING, once: returns the state it left, or null when it was already closing. The connection
     * leaves the audiences at once, so that nothing more is queued for it.
     */
    private State beginClosing(String error, boolean tooSlow) {
        while (true) {
            State s = state.get();
            if (s == State.CLOSING || s == State.CLOSED) return null;
            if (state.compareAndSet(s, State.CLOSING)) {
                closeError = error;
                slowConsumer = tooSlow;
                closingSinceNanos = System.nanoTime();
                lifecycle.closing(this);
                return s;
            }
        }
    }
}
