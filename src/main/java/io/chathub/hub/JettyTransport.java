package io.chathub.hub;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

import java.nio.ByteBuffer;

/**
 * A Jetty WebSocket session as a hub transport. It writes through Jetty's core session: the frame's bytes go out
 * as they are (encoded once per fan-out, not once per connection), and one callback object serves every write of
 * the connection, since its {@link Outbox} has at most one write in flight.
 */
final class JettyTransport implements Transport, Callback {
    private final CoreSession session;
    /**
     * The session's connection, whose frame flusher the hub's data frames are handed to directly: the session's own
     * path (its checks, its message flusher, the extension stack) adds three entries and a lock per frame, and does
     * nothing for them here — the hub negotiates no extension, its outbox keeps one write in flight and never writes
     * after its Close, and the connection's flusher refuses frames once a Close went out. Control frames (Close, and
     * Jetty's own Pongs) still take the session's path.
     */
    private final WebSocketConnection connection;
    private Written pending; // set before each write; Jetty's flusher lock orders it before the completion

    JettyTransport(CoreSession session) {
        this.session = session;
        this.connection = session instanceof WebSocketCoreSession s && s.getNegotiatedExtensions().isEmpty()
                ? s.getConnection() : null;
    }

    @Override
    public void send(byte[] utf8, int length, Written done) {
        pending = done;
        var frame = new org.eclipse.jetty.websocket.core.Frame(OpCode.TEXT, true, ByteBuffer.wrap(utf8, 0, length));
        if (connection != null) connection.enqueueFrame(new OutgoingEntry.Builder(frame, this).build());
        else session.sendFrame(frame, this, false);
    }

    @Override
    public void succeeded() {
        pending.written();
    }

    @Override
    public void failed(Throwable cause) {
        pending.failed(cause);
    }

    /** The completion only queues the next write, which does not block: Jetty may run it on its selector thread. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public void close() {
        session.close(CloseStatus.NORMAL, null, Callback.NOOP);
    }

    @Override
    public void disconnect() {
        session.abort();
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(session.getRemoteAddress());
    }
}
