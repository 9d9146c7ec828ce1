package io.chathub.hub;

import io.chathub.web.ApiException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletCoreRequest;
import org.eclipse.jetty.ee10.servlet.ServletCoreResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServerContainer;
import org.eclipse.jetty.ee10.websocket.server.internal.JettyServerFrameHandlerFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.websocket.api.UpgradeRequest;
import org.eclipse.jetty.websocket.api.UpgradeResponse;
import org.eclipse.jetty.websocket.common.JettyWebSocketFrameHandler;
import org.eclipse.jetty.websocket.common.JettyWebSocketFrameHandlerFactory;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Upgrades {@code GET /chathub} to a hub WebSocket on Jetty's WebSocket API, ahead of Javalin, so that nothing of
 * the upgrade request stays reachable from an open socket. That is most of an idle socket's memory:
 * <ul>
 *   <li>Javalin's WebSocket route keeps its upgrade context (the servlet request, and through it the HTTP
 *   connection, its parser, the headers and the query string with the token) for the life of the socket, and
 *   opens an HTTP session for each one.</li>
 *   <li>Jetty's own {@code JettyWebSocketServerContainer.upgrade} keeps a copy of the request (headers, URI, query
 *   parameters) and a view of the response headers that still reaches the servlet response, its channel and the
 *   HTTP connection (Jetty 12.1's {@code CompletedUpgradeResponse} wraps the live headers).</li>
 * </ul>
 * So the upgrade is done here the way that container does it, with the same Jetty frame handler (message
 * assembly, ping/pong, close handshake, limits), but without attaching the upgrade request and response to it:
 * the session reports placeholders that answer nothing (see {@link #FORGOTTEN_REQUEST}); the hub never asks.
 *
 * <p>The checks run before the upgrade (see {@link HubEndpoint#accept}), so a refused client gets an HTTP
 * problem response (401, 403, 404) and never a socket. Anything that is not a WebSocket upgrade goes on to
 * Javalin.
 */
final class HubUpgradeFilter implements Filter {
    /** What {@code Session.getUpgradeRequest()} answers for a hub socket: nulls, zeros, false and empty lists. */
    static final UpgradeRequest FORGOTTEN_REQUEST = forgotten(UpgradeRequest.class);
    static final UpgradeResponse FORGOTTEN_RESPONSE = forgotten(UpgradeResponse.class);

    private final HubEndpoint endpoint;
    private final Configuration.ConfigurationCustomizer limits = new Configuration.ConfigurationCustomizer();
    private WebSocketMappings mappings;
    private JettyWebSocketFrameHandlerFactory frameHandlers;

    HubUpgradeFilter(HubEndpoint endpoint, Consumer<Configuration.ConfigurationCustomizer> limits) {
        this.endpoint = endpoint;
        limits.accept(this.limits);
    }

    @Override
    public void init(FilterConfig config) {
        ServletContext servletContext = config.getServletContext();
        // Javalin's servlet is a JettyWebSocketServlet, so the container (session tracking, shutdown) is there.
        if (JettyWebSocketServerContainer.getContainer(servletContext) == null) {
            throw new IllegalStateException("Jetty's WebSocket container is not configured");
        }
        frameHandlers = JettyServerFrameHandlerFactory.getFactory(servletContext);
        ServletContextHandler context = ServletContextHandler.getServletContextHandler(servletContext);
        mappings = new WebSocketMappings(WebSocketServerComponents.getWebSocketComponents(context));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse res) || !isUpgrade(req)) {
            chain.doFilter(request, response);
            return;
        }
        HubSocket socket;
        try {
            socket = endpoint.accept(req::getHeader, req::getParameter);
        } catch (ApiException e) {
            UpgradeRejection.reject(req, res, e);
            return;
        }
        if (!upgrade(socket, req, res) && !res.isCommitted()) {
            // An Upgrade header without a valid WebSocket handshake (method, version, key).
            UpgradeRejection.reject(req, res, ApiException.badRequest("Not a valid WebSocket upgrade request"));
        }
    }

    private boolean upgrade(HubSocket socket, HttpServletRequest req, HttpServletResponse res) throws IOException {
        // Jetty keeps the request URI and its query parameters with every session (Negotiated); the query has
        // served its purpose (the token, the id), so it is left out rather than kept in several copies per socket.
        Request coreRequest = ServletCoreRequest.wrap(new HttpServletRequestWrapper(req) {
            @Override
            public String getQueryString() {
                return null;
            }
        });
        Response coreResponse = ServletCoreResponse.wrap(coreRequest, res, false);
        WebSocketNegotiator negotiator = WebSocketNegotiator.from(
                (upgradeRequest, upgradeResponse, callback) -> socket,
                (endpointInstance, upgradeRequest, upgradeResponse) -> {
                    JettyWebSocketFrameHandler handler = frameHandlers.newJettyFrameHandler(endpointInstance);
                    handler.setUpgradeRequest(FORGOTTEN_REQUEST);
                    handler.setUpgradeResponse(FORGOTTEN_RESPONSE);
                    return handler;
                });
        try (Blocker.Callback callback = Blocker.callback()) {
            boolean upgraded = mappings.upgrade(negotiator, coreRequest, coreResponse, callback, limits);
            if (upgraded) callback.block();
            return upgraded;
        }
    }

    private static boolean isUpgrade(HttpServletRequest req) {
        String upgrade = req.getHeader("Upgrade");
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    private static <T> T forgotten(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "toString" -> "the upgrade " + type.getSimpleName() + " (not kept)";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> {
                        Class<?> r = method.getReturnType();
                        if (r == boolean.class) yield false;
                        if (r == int.class) yield 0;
                        if (r == long.class) yield 0L;
                        if (r == List.class) yield List.of();
                        if (r == Map.class) yield Map.of();
                        yield null;
                    }
                }));
    }
}
