package io.chathub.auth;

import java.util.Optional;

/**
 * Browser sessions (the company console's cookie) as a credential of the REST API: the {@link Authenticator} asks
 * this for the principal of a request that carries the session cookie and no token.
 */
public interface BrowserSessions {
    String COOKIE = "chathub_console";
    String CSRF_HEADER = "X-CSRF-Token";

    /** A live session: who it acts as, and the CSRF token its state-changing requests must send. */
    record Session(Principal principal, String csrfToken) {}

    /** The live session of a raw cookie value (renewing it); empty when there is none, it expired or it ended. */
    Optional<Session> find(String rawId);

    /** True when a browser page at {@code origin} is this server itself (the request's own origin or the public URL's). */
    boolean ownOrigin(String origin, io.javalin.http.Context ctx);
}
