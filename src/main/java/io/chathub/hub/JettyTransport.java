package io.chathub.hub;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A Jetty WebSocket session as a hub transport. */
final class JettyTransport implements Transport {
    private final Session session;

    JettyTransport(Session session) {
        this.session = session;
    }

    @Override
    public void send(String text, Duration timeout) throws Exception {
        var done = new Callback.Completable();
        session.sendText(text, done);
        done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        session.close(StatusCode.NORMAL, null, Callback.NOOP);
    }

    @Override
    public void disconnect() {
        session.disconnect();
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(session.getRemoteSocketAddress());
    }
}
