package io.chathub.hub;

import io.chathub.auth.Authenticator;
import io.chathub.auth.Principal;
import io.chathub.auth.TokenException;
import io.chathub.config.Config;
import io.chathub.web.ApiException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The HTTP side of the hub: {@code POST /chathub/negotiate} and the WebSocket endpoint {@code /chathub}.
 * Authentication (the {@code access_token} query parameter, or the Authorization / X-Authorization-Key header),
 * the origin check and the negotiated {@code id} are all settled before the upgrade, so a refused client gets
 * an HTTP error (401, 403, 404) and never a socket.
 */
final class HubEndpoint {
    private static final Logger log = LoggerFactory.getLogger(HubEndpoint.class);

    static final String PATH = "/chathub";
    static final String NEGOTIATE_PATH = PATH + "/negotiate";

    private static final String ATTR_PRINCIPAL = "hub.principal";
    private static final String ATTR_CONNECTION_ID = "hub.connectionId";
    private static final String ATTR_ORIGIN = "hub.origin";
    private static final String ATTR_INBOUND = "hub.inbound";

    /** Opens a connection for an accepted socket; supplied by {@link Hub}. */
    interface Connector {
        Inbound connect(String connectionId, Principal principal, String origin, Transport transport);
    }

    private final Authenticator auth;
    private final Negotiations negotiations;
    private final Supplier<OriginPolicy> originPolicy;
    private final Connector connector;

    HubEndpoint(Authenticator auth, Negotiations negotiations, Supplier<OriginPolicy> originPolicy, Connector connector) {
        this.auth = auth;
        this.negotiations = negotiations;
        this.originPolicy = originPolicy;
        this.connector = connector;
    }

    void register(JavalinConfig cfg, Config.HubSettings settings) {
        cfg.jetty.modifyWebSocketServletFactory(factory -> {
            // Our own checks send the protocol's Close message; Jetty's limits are only a backstop far above them
            // (beyond it Jetty closes with 1009 Message Too Big), and its idle timeout must not fire before ours.
            long backstop = Math.max(4L * settings.maxMessageBytes(), settings.maxMessageBytes() + 65_536L);
            factory.setMaxTextMessageSize(backstop);
            factory.setMaxBinaryMessageSize(backstop);
            factory.setMaxFrameSize(backstop);
            factory.setIdleTimeout(settings.clientTimeout().plus(settings.handshakeTimeout()).plus(settings.writeTimeout()));
        });
        cfg.routes.post(NEGOTIATE_PATH, this::negotiate);
        cfg.routes.wsBeforeUpgrade(PATH, this::beforeUpgrade);
        cfg.routes.ws(PATH, this::socket);
    }

    private void negotiate(Context ctx) {
        Principal principal = authenticate(ctx);
        checkOrigin(ctx, principal);
        ctx.json(negotiations.negotiate(principal, version(ctx.queryParam("negotiateVersion"))));
    }

    private static int version(String param) {
        try {
            return param == null ? 0 : Integer.parseInt(param.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void beforeUpgrade(Context ctx) {
        try {
            Principal principal = authenticate(ctx);
            String origin = checkOrigin(ctx, principal);
            String id = ctx.queryParam("id");
            // Without an id the client skipped negotiation, which the WebSockets transport allows.
            String connectionId = id == null || id.isBlank() ? ConnectionIds.next() : negotiations.claim(id, principal);
            ctx.attribute(ATTR_PRINCIPAL, principal);
            ctx.attribute(ATTR_CONNECTION_ID, connectionId);
            ctx.attribute(ATTR_ORIGIN, origin);
        } catch (ApiException e) {
            UpgradeRejection.reject(ctx, e);
        }
    }

    private void socket(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(ctx -> withInbound(ctx, in -> in.onText(ctx.message())));
        ws.onBinaryMessage(ctx -> withInbound(ctx, in -> in.onBinary(ctx.data())));
        ws.onClose(ctx -> withInbound(ctx, Inbound::transportClosed));
        ws.onError(ctx -> {
            log.debug("hub socket error: {}", String.valueOf(ctx.error()));
            withInbound(ctx, Inbound::transportClosed);
        });
    }

    private void connected(WsConnectContext ctx) {
        Principal principal = ctx.attribute(ATTR_PRINCIPAL);
        String connectionId = ctx.attribute(ATTR_CONNECTION_ID);
        if (principal == null || connectionId == null) { // cannot happen: the upgrade checks set both
            ctx.closeSession();
            return;
        }
        Inbound inbound = connector.connect(connectionId, principal, ctx.attribute(ATTR_ORIGIN), new JettyTransport(ctx.session));
        ctx.attribute(ATTR_INBOUND, inbound);
    }

    private static void withInbound(WsContext ctx, Consumer<Inbound> action) {
        Inbound inbound = ctx.attribute(ATTR_INBOUND);
        if (inbound != null) action.accept(inbound);
    }

    /** The token in a header, else in {@code access_token} (browsers cannot set headers on a WebSocket). */
    private Principal authenticate(Context ctx) {
        String raw = Authenticator.tokenFrom(ctx)
                .or(() -> Optional.ofNullable(ctx.queryParam("access_token")))
                .orElseThrow(() -> ApiException.unauthorized(TokenException.INVALID, "missing"));
        try {
            Principal principal = auth.authenticate(raw);
            ctx.attribute("principal", principal);
            return principal;
        } catch (TokenException e) {
            throw ApiException.unauthorized(e.getMessage(), e.reason());
        }
    }

    private String checkOrigin(Context ctx, Principal principal) {
        String origin = ctx.header("Origin");
        if (!originPolicy.get().allows(origin, principal)) throw ApiException.forbidden("Origin not allowed: " + origin);
        return origin;
    }
}
