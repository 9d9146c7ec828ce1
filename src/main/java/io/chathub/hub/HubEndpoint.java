package io.chathub.hub;

import io.chathub.auth.Authenticator;
import io.chathub.auth.Principal;
import io.chathub.auth.TokenException;
import io.chathub.config.Config;
import io.chathub.web.ApiException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

import java.util.EnumSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The HTTP side of the hub: {@code POST /chathub/negotiate} (a Javalin route) and the WebSocket endpoint
 * {@code /chathub} (a servlet filter upgrading on Jetty's WebSocket API, see {@link HubUpgradeFilter}).
 * Authentication (the Authorization / X-Authorization-Key header, or the {@code access_token} query parameter),
 * the origin check and the negotiated {@code id} are all settled before the upgrade, so a refused client gets
 * an HTTP error (401, 403, 404) and never a socket.
 */
final class HubEndpoint {
    static final String PATH = "/chathub";
    static final String NEGOTIATE_PATH = PATH + "/negotiate";

    /**
     * Opens a connection for an accepted socket; supplied by {@link Hub}. {@code authGeneration} is the
     * {@link Authenticator#generation} the principal was authenticated at.
     */
    interface Connector {
        Inbound connect(String connectionId, Principal principal, long authGeneration, String origin, Transport transport);
    }

    private final Authenticator auth;
    private final Negotiations negotiations;
    private final Supplier<OriginPolicy> originPolicy;
    private final BooleanSupplier stopping;
    private final Connector connector;

    HubEndpoint(Authenticator auth, Negotiations negotiations, Supplier<OriginPolicy> originPolicy,
                BooleanSupplier stopping, Connector connector) {
        this.auth = auth;
        this.negotiations = negotiations;
        this.originPolicy = originPolicy;
        this.stopping = stopping;
        this.connector = connector;
    }

    void register(JavalinConfig cfg, Config.HubSettings settings) {
        cfg.routes.post(NEGOTIATE_PATH, this::negotiate);
        var filter = new HubUpgradeFilter(this, limits -> {
            // Our own checks send the protocol's Close message; Jetty's limits are only a backstop far above them
            // (beyond it Jetty closes with 1009 Message Too Big), and its idle timeout must not fire before ours.
            long backstop = Math.max(4L * settings.maxMessageBytes(), settings.maxMessageBytes() + 65_536L);
            limits.setMaxTextMessageSize(backstop);
            limits.setMaxBinaryMessageSize(backstop);
            limits.setMaxFrameSize(backstop);
            limits.setIdleTimeout(settings.clientTimeout().plus(settings.handshakeTimeout()).plus(settings.writeTimeout()));
        });
        cfg.jetty.modifyServletContextHandler(handler ->
                handler.addFilter(new FilterHolder(filter), PATH, EnumSet.of(DispatcherType.REQUEST)));
    }

    private void negotiate(Context ctx) {
        refuseWhileStopping();
        Principal principal = authenticate(ctx::header, ctx::queryParam);
        ctx.attribute("principal", principal);
        checkOrigin(ctx.header("Origin"), ctx.header("Host"), principal);
        ctx.json(negotiations.negotiate(principal, version(ctx.queryParam("negotiateVersion"))));
    }

    private static int version(String param) {
        try {
            return param == null ? 0 : Integer.parseInt(param.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The checks before a WebSocket upgrade: who (401), from which origin (403), which negotiated id (404, or
     * 403 for another identity's). Returns the socket to upgrade to; throws the problem to answer otherwise.
     */
    HubSocket accept(UnaryOperator<String> header, UnaryOperator<String> query) {
        refuseWhileStopping();
        long generation = auth.generation();
        Principal principal = authenticate(header, query);
        String origin = header.apply("Origin");
        checkOrigin(origin, header.apply("Host"), principal);
        String id = query.apply("id");
        // Without an id the client skipped negotiation, which the WebSockets transport allows.
        String connectionId = id == null || id.isBlank() ? ConnectionIds.next() : negotiations.claim(id, principal);
        return new HubSocket(connector, connectionId, principal, generation, origin);
    }

    /**
     * The token in the Authorization (Bearer) or X-Authorization-Key header, else in {@code access_token}
     * (browsers cannot set headers on a WebSocket).
     */
    private Principal authenticate(UnaryOperator<String> header, UnaryOperator<String> query) {
        String raw = Authenticator.tokenFrom(header).orElseGet(() -> query.apply("access_token"));
        if (raw == null) throw ApiException.unauthorized(TokenException.INVALID, "missing");
        try {
            return auth.authenticate(raw);
        } catch (TokenException e) {
            throw ApiException.unauthorized(e.getMessage(), e.reason());
        }
    }

    /** A client told to reconnect on shutdown is refused here until the server is gone, so it backs off. */
    private void refuseWhileStopping() {
        if (stopping.getAsBoolean()) throw ApiException.serviceUnavailable("The server is shutting down");
    }

    private void checkOrigin(String origin, String host, Principal principal) {
        OriginPolicy policy = originPolicy.get();
        if (!policy.own(origin, host) && !policy.allows(origin, principal)) throw ApiException.forbidden("Origin not allowed: " + origin);
    }
}
