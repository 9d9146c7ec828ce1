package io.chathub.hub;

import io.chathub.web.ApiException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServerContainer;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Upgrades {@code GET /chathub} to a hub WebSocket on Jetty's WebSocket API, ahead of Javalin. Going around
 * Javalin's WebSocket routes matters for memory: Javalin keeps its upgrade context (the whole upgrade request,
 * its connection and parser, the query string with the token) for the life of every socket and opens an HTTP
 * session for each one. Here the upgrade request is forgotten once the socket is open.
 *
 * <p>The checks run before the upgrade (see {@link HubEndpoint#accept}), so a refused client gets an HTTP
 * problem response (401, 403, 404) and never a socket. Anything that is not a WebSocket upgrade goes on to
 * Javalin.
 */
final class HubUpgradeFilter implements Filter {
    private final HubEndpoint endpoint;
    private final Consumer<JettyWebSocketServerContainer> limits;
    private JettyWebSocketServerContainer container;

    HubUpgradeFilter(HubEndpoint endpoint, Consumer<JettyWebSocketServerContainer> limits) {
        this.endpoint = endpoint;
        this.limits = limits;
    }

    @Override
    public void init(FilterConfig config) {
        container = JettyWebSocketServerContainer.getContainer(config.getServletContext());
        if (container == null) throw new IllegalStateException("Jetty's WebSocket container is not configured");
        limits.accept(container);
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
        if (!container.upgrade((upgradeRequest, upgradeResponse) -> socket, req, res) && !res.isCommitted()) {
            // An Upgrade header without a valid WebSocket handshake (method, version, key).
            UpgradeRejection.reject(req, res, ApiException.badRequest("Not a valid WebSocket upgrade request"));
        }
    }

    private static boolean isUpgrade(HttpServletRequest req) {
        String upgrade = req.getHeader("Upgrade");
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }
}
