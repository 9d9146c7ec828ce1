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

    /** True when the page is this server's own (its Origin is the {@code host} it connects to): always allowed. */
    default boolean own(String origin, String host) {
        return false;
    }

    /** A policy that also allows this server's own pages, as {@code own} tells them. */
    static OriginPolicy of(OriginPolicy allows, java.util.function.BiPredicate<String, String> own) {
        return new OriginPolicy() {
            @Override
            public boolean allows(String origin, Principal principal) {
                return allows.allows(origin, principal);
            }

            @Override
            public boolean own(String origin, String host) {
                return own.test(origin, host);
            }
        };
    }
}
