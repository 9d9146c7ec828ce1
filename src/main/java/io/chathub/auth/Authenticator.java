package io.chathub.auth;

import io.chathub.web.ApiException;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Turns the token of a request (or of a hub connection) into a {@link Principal}, checking on every
 * call what can change after issue: an operator token must still be on record, not revoked, and its
 * operator Active; a company token's company must still exist.
 *
 * <p>An operator token's state (operator, organization, company, status, revoked) is kept for {@link #TOKEN_STATE_TTL}
 * after it was read, so that a burst of connections and requests with one token reads the database once. What can
 * change it is announced on the event bus after commit (a token or all of an operator's tokens revoked, an operator's
 * status, an organization's operators changed or the organization deleted): {@link #forgetTokenStates} then drops
 * every kept state, on the node that made the change before its request is answered (the in-process bus runs in the
 * committing thread), on the other nodes when the event reaches them. A node that missed the event (NATS down) keeps
 * the old state for at most the TTL. Only accepted states are kept: an unknown or refused token reads the database
 * every time. A hub connection authenticated before such an event and registered after the event's sweep of the
 * connections is checked again at registration ({@link #generation}, {@link #stillValid}).
 */
public final class Authenticator {
    public static final String DEV_TOKEN = "test-token-for-development";
    public static final String DEMO_LOGIN = "demo";
    private static final String DEV_TOKEN_ID = "development";

    private final Jwts jwts;
    private final TokenStore store;
    private final boolean dev;
    private final Clock clock;
    private static final int MAX_KNOWN_COMPANIES = 100_000;
    private final Set<Long> knownCompanies = ConcurrentHashMap.newKeySet();

    private volatile BrowserSessions sessions;

    /** How long an operator token's accepted state is kept without an event that changes it. */
    public static final Duration TOKEN_STATE_TTL = Duration.ofSeconds(5);
    private static final int MAX_KEPT_STATES = 100_000;
    private record Kept(TokenStore.OperatorTokenState state, long until) {}
    private final ConcurrentHashMap<String, Kept> tokenStates = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public Authenticator(Jwts jwts, TokenStore store, boolean dev, Clock clock) {
        this.jwts = jwts;
        this.store = store;
        this.dev = dev;
        this.clock = clock;
    }

    /** Accepts the company console's session cookie on the staff API (see {@link #fromSession}). */
    public void sessions(BrowserSessions sessions) {
        this.sessions = sessions;
    }

    /** The principal of a raw token; throws {@link TokenException}. */
    public Principal authenticate(String rawToken) {
        String token = unquote(rawToken);
        if (token.isEmpty()) throw TokenException.invalid("missing");
        if (DEV_TOKEN.equals(token)) return devOperator();
        Jwts.Claims claims = jwts.verify(token);
        return switch (claims.kind()) {
            case COMPANY -> {
                if (!companyExists(claims.companyId())) throw TokenException.invalid("company gone");
                yield new Principal.Company(claims.companyId(), claims.jti(), claims.expiresAt());
            }
            case OPERATOR -> {
                var state = operatorTokenState(claims);
                yield new Principal.Operator(state.operatorId(), state.organizationId(), state.companyId(),
                        claims.jti(), claims.expiresAt());
            }
            case VISITOR -> {
                // Rotating the organization's widget guid ends the tokens issued through the old one at once.
                var state = store.findVisitor(claims.subjectId()).orElseThrow(() -> TokenException.invalid("unknown visitor"));
                if (!accepts(state, claims.organizationId(), claims.companyId(), claims.audience())) {
                    throw TokenException.invalid("widget guid changed");
                }
                yield new Principal.Visitor(state.visitorId(), state.clientId(), state.organizationId(), state.companyId(),
                        state.widgetGuid(), claims.jti(), claims.expiresAt());
            }
        };
    }

    /** The accepted state of an operator token: kept, or read (and then kept); throws when the token is refused. */
    private TokenStore.OperatorTokenState operatorTokenState(Jwts.Claims claims) {
        long now = System.nanoTime();
        Kept kept = tokenStates.get(claims.jti());
        if (kept != null && now - kept.until() < 0) return kept.state();
        long before = generation.get();
        var state = checked(claims, store.findOperatorToken(claims.jti()));
        if (tokenStates.size() >= MAX_KEPT_STATES) tokenStates.clear();
        Kept fresh = new Kept(state, now + TOKEN_STATE_TTL.toNanos());
        tokenStates.put(claims.jti(), fresh);
        // a change committed while we read may have been announced before our put: then what we read is not kept
        if (generation.get() != before) tokenStates.remove(claims.jti(), fresh);
        return state;
    }

    private static TokenStore.OperatorTokenState checked(Jwts.Claims claims, Optional<TokenStore.OperatorTokenState> found) {
        var state = found.orElseThrow(() -> TokenException.invalid("unknown"));
        String refusal = refusal(state, claims.subjectId(), claims.companyId());
        if (refusal != null) throw TokenException.invalid(refusal);
        return state;
    }

    /** Why an operator token in {@code state} is refused to this operator of this company, or null when it is not. */
    private static String refusal(TokenStore.OperatorTokenState state, long operatorId, long companyId) {
        if (state.revoked()) return "revoked";
        if (state.operatorStatus() != 0) return "operator not active";
        if (state.operatorId() != operatorId || state.companyId() != companyId) return "claims";
        return null;
    }

    /** Whether a visitor in {@code state} is still the one a token for this organization, company and guid names. */
    private static boolean accepts(TokenStore.VisitorState state, long organizationId, long companyId, String widgetGuid) {
        return state.organizationId() == organizationId && state.companyId() == companyId && state.widgetGuid().equals(widgetGuid);
    }

    /**
     * Something that may refuse a token was committed (see the class comment): every kept token state is dropped and
     * {@link #generation} moves on.
     */
    public void forgetTokenStates() {
        generation.incrementAndGet();
        tokenStates.clear();
    }

    /** Moves on at every {@link #forgetTokenStates}: a principal authenticated at an older generation may be stale. */
    public long generation() {
        return generation.get();
    }

    /**
     * Whether {@code p}, authenticated earlier, is still accepted, read from the database now: an operator token on
     * record, not revoked, its operator Active and in the same organization; a visitor of the same organization and
     * widget guid. Company principals and the development operator are always still valid (companies are never
     * deleted).
     */
    public boolean stillValid(Principal p) {
        return switch (p) {
            case Principal.Operator op when !DEV_TOKEN_ID.equals(op.tokenId()) -> store.findOperatorToken(op.tokenId())
                    .filter(s -> refusal(s, op.operatorId(), op.companyId()) == null && s.organizationId() == op.organizationId())
                    .isPresent();
            case Principal.Visitor v -> store.findVisitor(v.visitorId())
                    .filter(s -> accepts(s, v.organizationId(), v.companyId(), v.widgetGuid()))
                    .isPresent();
            default -> true;
        };
    }

    /** Companies are never deleted, so one that exists is remembered (bounded: forgotten all at once when full). */
    private boolean companyExists(long companyId) {
        if (knownCompanies.contains(companyId)) return true;
        if (!store.companyExists(companyId)) return false;
        if (knownCompanies.size() >= MAX_KNOWN_COMPANIES) knownCompanies.clear();
        knownCompanies.add(companyId);
        return true;
    }

    private Principal devOperator() {
        if (!dev) throw TokenException.invalid("development token outside development mode");
        var op = store.firstActiveOperatorOf(DEMO_LOGIN).orElseThrow(() -> TokenException.invalid("no demo operator"));
        return new Principal.Operator(op.operatorId(), op.organizationId(), op.companyId(), DEV_TOKEN_ID,
                clock.instant().plusSeconds(24 * 3600));
    }

    /**
     * The principal of an HTTP request to the company and operator API: 401 problem when there is no valid token,
     * 403 for a visitor token (which reaches only the widget's own API, {@link #requireVisitor}).
     */
    public Principal require(Context ctx) {
        return staff(requireToken(ctx, tokenFrom(ctx)));
    }

    /** Like {@link #require}, but also takes the token from the {@code access_token} query parameter. */
    public Principal requireAllowingQueryToken(Context ctx) {
        return staff(requireAllowingQueryToken0(ctx));
    }

    /** Any kind of token, also from the {@code access_token} query parameter (media: staff and visitors alike). */
    public Principal requireAnyAllowingQueryToken(Context ctx) {
        return requireAllowingQueryToken0(ctx);
    }

    private Principal requireAllowingQueryToken0(Context ctx) {
        String q = ctx.queryParam("access_token");
        return requireToken(ctx, tokenFrom(ctx).or(() -> Optional.ofNullable(q).filter(s -> !s.isBlank())));
    }

    private static Principal staff(Principal p) {
        if (p instanceof Principal.Visitor) throw ApiException.forbidden("A visitor token reaches only /api/widget/{guid}/…");
        return p;
    }

    /** The visitor of a widget API request (header or {@code access_token}); 403 for any other kind of token. */
    public Principal.Visitor requireVisitor(Context ctx) {
        if (requireAllowingQueryToken0(ctx) instanceof Principal.Visitor v) return v;
        throw ApiException.forbidden("This call needs a visitor token (POST /api/widget/{guid}/session)");
    }

    private Principal requireToken(Context ctx, Optional<String> token) {
        if (token.isEmpty()) {
            Principal p = fromSession(ctx);
            ctx.attribute("principal", p);
            return p;
        }
        try {
            Principal p = authenticate(token.get());
            ctx.attribute("principal", p);
            return p;
        } catch (TokenException e) {
            throw ApiException.unauthorized(e.getMessage(), e.reason());
        }
    }

    /**
     * The principal of a request that carries no token: its console session cookie, if any. Such a request must come
     * from this server's own pages (an {@code Origin}, when sent, is this server's) and, when it changes anything
     * (not GET or HEAD), send the session's CSRF token in {@code X-CSRF-Token}; a viewer's session changes nothing.
     */
    private Principal fromSession(Context ctx) {
        BrowserSessions s = sessions;
        String cookie = s == null ? null : ctx.cookie(BrowserSessions.COOKIE);
        if (cookie == null || cookie.isBlank()) throw ApiException.unauthorized(TokenException.INVALID, "missing");
        String origin = ctx.header("Origin");
        if (origin != null && !origin.isBlank() && !s.ownOrigin(origin, ctx)) {
            throw ApiException.forbidden("Origin not allowed: the console session is accepted only from this server's own pages");
        }
        BrowserSessions.Session session = s.find(cookie)
                .orElseThrow(() -> ApiException.unauthorized(TokenException.INVALID, "session ended"));
        if (changesState(ctx)) {
            String csrf = ctx.header(BrowserSessions.CSRF_HEADER);
            if (csrf == null || !java.security.MessageDigest.isEqual(csrf.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    session.csrfToken().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                throw ApiException.forbidden("A console session's state-changing request needs the header "
                        + BrowserSessions.CSRF_HEADER + " with the session's csrfToken");
            }
            if (session.principal() instanceof Principal.Company c && c.readOnly()) {
                throw ApiException.forbidden("A viewer changes nothing");
            }
        }
        return session.principal();
    }

    /** Anything but GET and HEAD (and a CORS preflight, which never reaches a route). */
    public static boolean changesState(Context ctx) {
        String m = ctx.method().name();
        return !m.equals("GET") && !m.equals("HEAD") && !m.equals("OPTIONS");
    }

    /** The company of a request that only a company token may make; 403 for an operator token. */
    public Principal.Company requireCompany(Context ctx) {
        if (require(ctx) instanceof Principal.Company c) return c;
        throw ApiException.forbidden("This call needs a company token");
    }

    /** The token of a request: {@code Authorization: Bearer …} or {@code X-Authorization-Key}. */
    public static Optional<String> tokenFrom(Context ctx) {
        return tokenFrom(ctx::header);
    }

    /** The token in the headers {@code header} gives (by name): {@code Authorization: Bearer …} or {@code X-Authorization-Key}. */
    public static Optional<String> tokenFrom(UnaryOperator<String> header) {
        String auth = header.apply("Authorization");
        if (auth != null && !auth.isBlank()) {
            String a = auth.strip();
            if (a.toLowerCase(Locale.ROOT).startsWith("bearer ")) a = a.substring(7);
            return Optional.of(unquote(a));
        }
        String key = header.apply("X-Authorization-Key");
        if (key != null && !key.isBlank()) return Optional.of(unquote(key));
        return Optional.empty();
    }

    /** Strips whitespace and one pair of surrounding double quotes (a JSON string read with {@code .text()}). */
    public static String unquote(String token) {
        String t = token == null ? "" : token.strip();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1).strip();
        return t;
    }

    public Instant now() {
        return clock.instant();
    }
}
