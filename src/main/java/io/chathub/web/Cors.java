package io.chathub.web;

import io.chathub.auth.Authenticator;
import io.chathub.auth.Principal;
import io.chathub.auth.TokenException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * Cross-origin access to the API ({@code /api/*}) and to the hub's negotiate, for browser pages such as the
 * operator chat panel embedded in a company's CRM.
 * <ul>
 *   <li>Preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) carries no token, so it is answered
 *   for any origin with the methods and the requested headers; the rule is enforced on the real request.</li>
 *   <li>A request with an {@code Origin} and a valid token: allowed when {@link OriginRules} allows that origin
 *   for the token (the response echoes the origin); otherwise 403, a problem document that carries no data, with
 *   the CORS headers for that origin, so that the page can say "this site is not in the allowed origins" instead
 *   of failing as if the server could not be reached. The token's holder learns nothing it did not know.</li>
 *   <li>A request with an {@code Origin} and no or a bad token gets the CORS headers, so that the page can read
 *   the 401 ("Invalid token" / "token expired"); it reveals nothing else.</li>
 *   <li>Requests without an {@code Origin} (servers, curl), and same-origin requests of this server's own pages
 *   (the console: {@link OriginRules#isOwn}), are untouched.</li>
 * </ul>
 */
public final class Cors {
    static final String METHODS = "GET, POST, PUT, DELETE, OPTIONS";
    static final String DEFAULT_HEADERS = "Authorization, X-Authorization-Key, Content-Type, Idempotency-Key, Accept, "
            + "X-Requested-With, X-SignalR-User-Agent";
    private static final String PRINCIPAL = "cors.principal";
    static final String WIDGET_PREFIX = "/api/widget/";

    private final OriginRules rules;
    private final Authenticator auth;

    public Cors(OriginRules rules, Authenticator auth) {
        this.rules = rules;
        this.auth = auth;
    }

    /** Registers the check; must come before the other {@code /api/*} before-handlers (the body limit). */
    public void register(RoutesConfig routes) {
        routes.before("/api/*", this::check);
        routes.before("/chathub/negotiate", this::check);
    }

    void check(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || origin.isBlank() || rules.isOwn(origin, ctx.header("Host"))) return;
        if (ctx.path().startsWith(WIDGET_PREFIX)) {
            widget(ctx, origin);
            return;
        }
        if ("OPTIONS".equals(ctx.method().name()) && ctx.header("Access-Control-Request-Method") != null) {
            preflight(ctx, origin);
            return;
        }
        allowOrigin(ctx, origin);
        ctx.header("Access-Control-Expose-Headers", "Retry-After, WWW-Authenticate");
        Optional<Principal> principal = principal(ctx);
        if (principal.isPresent() && !rules.allows(origin, principal.get())) {
            // answered with the CORS headers above: the page reads why (a problem document, no data)
            throw ApiException.forbidden("Origin not allowed: " + origin
                    + " is not in the allowed origins of this token's organization");
        }
    }

    /**
     * The customer chat widget's API ({@code /api/widget/{guid}/…}) is public: the page's origin alone decides, by the
     * allowed origins of the widget's organization. A page outside them gets 403 with no CORS headers at all, the
     * preflight included: its browser lets it read nothing.
     */
    private void widget(Context ctx, String origin) {
        String rest = ctx.path().substring(WIDGET_PREFIX.length());
        String guid = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        if (!rules.allowsWidget(origin, guid)) {
            if (isPreflight(ctx)) {
                ctx.status(403);
                ctx.skipRemainingHandlers();
                return;
            }
            throw ApiException.forbidden("Origin not allowed: " + origin + " is not in the allowed origins of this chat widget");
        }
        if (isPreflight(ctx)) {
            preflight(ctx, origin);
            return;
        }
        allowOrigin(ctx, origin);
        ctx.header("Access-Control-Expose-Headers", "Retry-After, WWW-Authenticate, Content-Disposition");
    }

    private static boolean isPreflight(Context ctx) {
        return "OPTIONS".equals(ctx.method().name()) && ctx.header("Access-Control-Request-Method") != null;
    }

    private static void preflight(Context ctx, String origin) {
        allowOrigin(ctx, origin);
        ctx.header("Access-Control-Allow-Methods", METHODS);
        String requested = ctx.header("Access-Control-Request-Headers");
        ctx.header("Access-Control-Allow-Headers", requested == null || requested.isBlank() ? DEFAULT_HEADERS : requested);
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
        ctx.skipRemainingHandlers();
    }

    private static void allowOrigin(Context ctx, String origin) {
        ctx.header("Access-Control-Allow-Origin", origin);
        // Tokens travel in headers, never in cookies; credentials are allowed for clients (SignalR) that send them.
        ctx.header("Access-Control-Allow-Credentials", "true");
        ctx.header("Vary", "Origin");
    }

    /** The request's principal when it carries a valid token (header or access_token); empty otherwise. */
    private Optional<Principal> principal(Context ctx) {
        Optional<String> raw = Authenticator.tokenFrom(ctx)
                .or(() -> Optional.ofNullable(ctx.queryParam("access_token")).filter(s -> !s.isBlank()));
        if (raw.isEmpty()) return Optional.empty();
        try {
            Principal p = auth.authenticate(raw.get());
            ctx.attribute(PRINCIPAL, p);
            return Optional.of(p);
        } catch (TokenException e) {
            return Optional.empty();
        }
    }
}
