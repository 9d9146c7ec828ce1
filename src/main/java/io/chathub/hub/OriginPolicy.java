package io.chathub.hub;

import io.chathub.auth.Principal;

/**
 * Decides whether a browser page at {@code origin} may use the hub as {@code principal}; consulted at negotiate
 * and at the WebSocket upgrade (browsers do not apply CORS to WebSockets, so the server must). The origin is
 * null when the client is not a browser and sent no Origin header. A refused request gets 403.
 */
@FunctionalInterface
public interface OriginPolicy {
    OriginPolicy ALLOW_ALL = (origin, principal) -> true;

    boolean allows(String origin, Principal principal);
}
