package io.chathub.hub;

import io.chathub.auth.Principal;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * The Jetty listener of one accepted hub WebSocket. It holds only what the upgrade decided (who, which connection
 * id, which origin) until the socket opens, then only the connection's {@link Inbound}: nothing of the upgrade
 * request stays reachable from it for the life of the socket. Public only because Jetty binds the listener
 * methods through method handles, which needs a public class.
 */
public final class HubSocket implements Session.Listener.AutoDemanding {
    private static final Logger log = LoggerFactory.getLogger(HubSocket.class);

    private HubEndpoint.Connector connector;
    private String connectionId;
    private Principal principal;
    private long authGeneration;
    private String origin;
    private volatile Inbound inbound;

    HubSocket(HubEndpoint.Connector connector, String connectionId, Principal principal, long authGeneration, String origin) {
        this.connector = connector;
        this.connectionId = connectionId;
        this.principal = principal;
        this.authGeneration = authGeneration;
        this.origin = origin;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        inbound = connector.connect(connectionId, principal, authGeneration, origin, new JettyTransport(((WebSocketSession) session).getCoreSession()));
        connector = null;
        connectionId = null;
        principal = null;
        origin = null;
    }

    @Override
    public void onWebSocketText(String message) {
        Inbound in = inbound;
        if (in != null) in.onText(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            Inbound in = inbound;
            if (in != null) in.onBinary(payload);
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            closed();
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("hub socket error: {}", String.valueOf(cause));
        closed();
    }

    private void closed() {
        Inbound in = inbound;
        if (in != null) in.transportClosed();
    }
}
