package io.chathub.console;

import io.chathub.audit.AuditLog;
import io.chathub.auth.BrowserSessions;
import io.chathub.auth.Jwts;
import io.chathub.auth.LoginThrottle;
import io.chathub.auth.Passwords;
import io.chathub.auth.Principal;
import io.chathub.auth.TokenException;
import io.chathub.company.CompanyService;
import io.chathub.db.Database;
import io.chathub.operator.OperatorService;
import io.chathub.web.ApiException;
import io.javalin.http.Context;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The company console's browser sessions: sign-in (throttled like the company login), the session as a credential of
 * the REST API ({@link BrowserSessions}), sign-out, one's own password, and operator tokens for the operator panel.
 */
public final class ConsoleService implements BrowserSessions {
    public static final Duration IDLE = Duration.ofHours(12);
    /** A session is renewed at most this often (one write a minute, not one per request). */
    static final Duration RENEW_EVERY = Duration.ofMinutes(1);
    public static final Duration OPERATOR_TOKEN_TTL = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The answer of sign-in and of {@code GET /console/api/session}. */
    public record SessionView(String role, String login, long companyId, String companyName, Long adminId, Long operatorId,
                              Long organizationId, String csrfToken, String expiresAt) {}

    /** A new session: the cookie's raw value (only ever sent to the browser) and the answer. */
    public record NewSession(String cookie, SessionView view) {}

    /** A session found by its cookie: the stored row, the principal it acts as, and the answer. */
    public record Live(ConsoleStore.StoredSession stored, Principal principal, SessionView view) {}

    private final ConsoleStore store;
    private final LoginThrottle throttle;
    private final OperatorService operators;
    private final AuditLog audit;
    private final Database db;
    private final Clock clock;
    private final String publicOrigin;

    public ConsoleService(ConsoleStore store, LoginThrottle throttle, OperatorService operators, AuditLog audit, Database db,
                          Clock clock, String publicUrl) {
        this.store = store;
        this.throttle = throttle;
        this.operators = operators;
        this.audit = audit;
        this.db = db;
        this.clock = clock;
        this.publicOrigin = publicUrl == null ? null : origin(publicUrl);
    }

    /** Checks the credentials (the login throttle applies) and opens a session. */
    public NewSession signIn(String login, String password, String ip) {
        LoginThrottle.Attempt attempt = throttle.begin(login, ip);
        Optional<ConsoleStore.Account> account;
        boolean ok;
        try {
            account = store.findAccount(login);
            ok = Passwords.verify(password, account.map(ConsoleStore.Account::passwordHash).orElse(null));
        } catch (RuntimeException e) {
            attempt.abandoned();
            throw e;
        }
        if (!ok) {
            attempt.failed();
            throw ApiException.unauthorized("Invalid login or password", "credentials");
        }
        attempt.succeeded();
        ConsoleStore.Account a = account.get();
        String raw = random(32);
        String csrf = random(24);
        long now = clock.millis();
        store.createSession(hash(raw), a.kind(), a.companyId(), a.subjectId(), csrf, ip, now, now + IDLE.toMillis());
        Optional<Live> live = lookup(raw);
        if (live.isEmpty()) { // an operator that is not Active
            store.deleteSession(hash(raw));
            throw ApiException.unauthorized("Invalid login or password", "operator not active");
        }
        return new NewSession(raw, live.get().view());
    }

    @Override
    public Optional<Session> find(String rawId) {
        return findLive(rawId).map(l -> new Session(l.principal(), l.stored().csrfToken()));
    }

    /** The live session of a cookie, renewed (at most once a minute); empty when none. */
    public Optional<Live> findLive(String rawId) {
        Optional<Live> live = lookup(rawId);
        live.ifPresent(l -> {
            long now = clock.millis();
            if (now - l.stored().seenAt() >= RENEW_EVERY.toMillis()) store.renewSession(l.stored().idHash(), now, now + IDLE.toMillis());
        });
        return live;
    }

    private Optional<Live> lookup(String rawId) {
        if (rawId == null || rawId.isBlank() || rawId.length() > 100) return Optional.empty();
        long now = clock.millis();
        return store.findSession(hash(rawId.strip()), now).flatMap(s -> live(s, now));
    }

    private Optional<Live> live(ConsoleStore.StoredSession s, long now) {
        Instant expires = Instant.ofEpochMilli(now - s.seenAt() >= RENEW_EVERY.toMillis() ? now + IDLE.toMillis() : s.expiresAt());
        String tokenId = "console-" + s.idHash().substring(0, 16);
        return switch (s.kind()) {
            case "owner" -> Optional.of(new Live(s, new Principal.Company(s.companyId(), tokenId, expires, Principal.Company.OWNER,
                    null, s.companyLogin()), view(s, Principal.Company.OWNER, s.companyLogin(), null, null, null, expires)));
            case "admin" -> s.adminRole() == null ? Optional.empty() : Optional.of(new Live(s,
                    new Principal.Company(s.companyId(), tokenId, expires, s.adminRole(), s.subjectId(), s.adminLogin()),
                    view(s, s.adminRole(), s.adminLogin(), s.subjectId(), null, null, expires)));
            case "operator" -> s.operatorEmail() == null || s.operatorStatus() == null || s.operatorStatus() != 0
                    ? Optional.empty()
                    : Optional.of(new Live(s, new Principal.Operator(s.subjectId(), s.operatorOrganizationId(), s.companyId(),
                            tokenId, expires), view(s, "operator", s.operatorEmail(), null, s.subjectId(),
                            s.operatorOrganizationId(), expires)));
            default -> Optional.empty();
        };
    }

    private static SessionView view(ConsoleStore.StoredSession s, String role, String login, Long adminId, Long operatorId,
                                    Long organizationId, Instant expires) {
        return new SessionView(role, login, s.companyId(), s.companyName(), adminId, operatorId, organizationId, s.csrfToken(),
                expires.toString());
    }

    /** The live session of a request's cookie, or 401. */
    public Live require(Context ctx) {
        return findLive(ctx.cookie(COOKIE)).orElseThrow(() -> ApiException.unauthorized(TokenException.INVALID, "session ended"));
    }

    /** Checks what {@link io.chathub.auth.Authenticator} checks of a cookie request that changes something: origin, CSRF. */
    public Live requireForChange(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.isBlank() && !ownOrigin(origin, ctx)) {
            throw ApiException.forbidden("Origin not allowed: the console session is accepted only from this server's own pages");
        }
        Live live = require(ctx);
        String csrf = ctx.header(CSRF_HEADER);
        if (csrf == null || !MessageDigest.isEqual(csrf.strip().getBytes(StandardCharsets.UTF_8),
                live.stored().csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.forbidden("This request needs the header " + CSRF_HEADER + " with the session's csrfToken");
        }
        return live;
    }

    public void signOut(Live live) {
        store.deleteSession(live.stored().idHash());
    }

    /** The signed-in account's own password; its other sessions end. */
    public void changePassword(Live live, String current, String next) {
        CompanyService.checkPassword("newPassword", next);
        ConsoleStore.StoredSession s = live.stored();
        String login = live.view().login();
        ConsoleStore.Account account = store.findAccount(login)
                .filter(a -> a.kind().equals(s.kind()) && a.subjectId() == s.subjectId())
                .orElseThrow(() -> ApiException.unauthorized(TokenException.INVALID, "session ended"));
        if (!Passwords.verify(current, account.passwordHash())) {
            throw ApiException.badRequest("currentPassword", "The current password is wrong");
        }
        String hash = Passwords.hash(next);
        db.tx(h -> {
            store.setPassword(s.kind(), s.subjectId(), hash);
            store.deleteSessionsOf(s.kind(), s.subjectId(), s.idHash());
            audit.record(live.principal(), "account.password", "account", s.subjectId(), s.kind());
            return null;
        });
    }

    /** An operator token for the operator panel, for an operator's session only. */
    public Jwts.Issued operatorToken(Live live) {
        if (!(live.principal() instanceof Principal.Operator op)) {
            throw ApiException.forbidden("Only an operator's session mints operator tokens");
        }
        return operators.issueOwnToken(op, clock.instant().plus(OPERATOR_TOKEN_TTL));
    }

    /** Ends every session of an account (a password reset, a deleted administrator, a removed operator sign-in). */
    public void endSessionsOf(String kind, long subjectId) {
        store.deleteSessionsOf(kind, subjectId, null);
    }

    public int deleteExpired() {
        return store.deleteExpiredSessions(clock.millis());
    }

    @Override
    public boolean ownOrigin(String origin, Context ctx) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        if (o.endsWith("/")) o = o.substring(0, o.length() - 1);
        if (o.equals(publicOrigin)) return true;
        String host = ctx.header("Host");
        if (host == null) return false;
        host = host.strip().toLowerCase(Locale.ROOT);
        if (o.equals(ctx.scheme().toLowerCase(Locale.ROOT) + "://" + host)) return true;
        String forwarded = ctx.header("X-Forwarded-Proto");
        String fHost = Optional.ofNullable(ctx.header("X-Forwarded-Host")).map(h -> h.split(",")[0].strip().toLowerCase(Locale.ROOT))
                .orElse(host);
        return forwarded != null && o.equals(forwarded.split(",")[0].strip().toLowerCase(Locale.ROOT) + "://" + fHost);
    }

    /** True when the request came over HTTPS (the connection itself, or a proxy's X-Forwarded-Proto). */
    public static boolean secure(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        if (forwarded != null && !forwarded.isBlank()) return forwarded.split(",")[0].strip().equalsIgnoreCase("https");
        return "https".equalsIgnoreCase(ctx.scheme());
    }

    private static String origin(String url) {
        URI u = URI.create(url.strip());
        String port = u.getPort() < 0 ? "" : ":" + u.getPort();
        return (u.getScheme() + "://" + u.getHost() + port).toLowerCase(Locale.ROOT);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
