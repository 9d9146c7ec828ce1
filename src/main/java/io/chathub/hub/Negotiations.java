package io.chathub.hub;

import io.chathub.auth.Principal;
import io.chathub.web.ApiException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /chathub/negotiate} (TransportProtocols.md): hands out a connection id, and in version 1 a secret
 * connection token, that the client then passes as {@code id} when it opens the WebSocket. An id is good for one
 * WebSocket, for the same identity that negotiated it, within the negotiate timeout; otherwise 404.
 */
final class Negotiations {
    private static final List<Map<String, Object>> TRANSPORTS =
            List.of(Map.of("transport", "WebSockets", "transferFormats", List.of("Text")));

    private record Pending(String connectionId, String identity, long expiresAtNanos) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Duration timeout;

    Negotiations(Duration timeout) {
        this.timeout = timeout;
    }

    /** The negotiate response for a client asking for {@code requestedVersion} (0 when absent). */
    Map<String, Object> negotiate(Principal principal, int requestedVersion) {
        int version = requestedVersion >= 1 ? 1 : 0;
        String connectionId = ConnectionIds.next();
        // Version 0 clients attach with the connection id, version 1 clients with the token (kept secret).
        String attachId = version == 1 ? ConnectionIds.next() : connectionId;
        pending.put(attachId, new Pending(connectionId, identity(principal), System.nanoTime() + timeout.toNanos()));

        var body = new LinkedHashMap<String, Object>();
        body.put("negotiateVersion", version);
        body.put("connectionId", connectionId);
        if (version == 1) body.put("connectionToken", attachId);
        body.put("availableTransports", TRANSPORTS);
        return body;
    }

    /** Takes a negotiated id for a WebSocket; the connection id it stands for, or a 404/403 problem. */
    String claim(String attachId, Principal principal) {
        Pending p = pending.remove(attachId);
        if (p == null || System.nanoTime() - p.expiresAtNanos() > 0) throw ApiException.notFound("No Connection with that ID");
        if (!p.identity().equals(identity(principal))) {
            throw ApiException.forbidden("The connection was negotiated with another token's identity");
        }
        return p.connectionId();
    }

    void purgeExpired() {
        long now = System.nanoTime();
        pending.values().removeIf(p -> now - p.expiresAtNanos() > 0);
    }

    /** Who, not which token: a client may refresh its token between negotiate and connect. */
    private static String identity(Principal principal) {
        return switch (principal) {
            case Principal.Company c -> "company:" + c.companyId();
            case Principal.Operator o -> "operator:" + o.operatorId();
            case Principal.Visitor v -> "visitor:" + v.visitorId() + ":" + v.clientId();
        };
    }
}
