package io.chathub.company;

import io.chathub.auth.Jwts;
import io.chathub.auth.LoginThrottle;
import io.chathub.auth.Passwords;
import io.chathub.web.ApiException;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Companies: creation and login. */
public final class CompanyService {
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9._@+-]{3,100}");
    public static final int MIN_PASSWORD_LENGTH = 8;

    private final CompanyStore store;
    private final Jwts jwts;
    private final LoginThrottle throttle;
    private final Duration tokenTtl;
    private final Clock clock;

    public CompanyService(CompanyStore store, Jwts jwts, LoginThrottle throttle, Duration tokenTtl, Clock clock) {
        this.store = store;
        this.jwts = jwts;
        this.throttle = throttle;
        this.tokenTtl = tokenTtl;
        this.clock = clock;
    }

    /** Creates a company with the password rules for real accounts; returns its id. */
    public long create(String login, String password, String name) {
        checkNewCompany(login, password, name);
        checkPassword("password", password);
        return store.create(login, Passwords.hash(password), name.strip());
    }

    /** Creates the demo company (its password "demo" is below the rules for real accounts) if it is missing. */
    public long createDemo(String login, String password, String name) {
        var existing = store.findByLogin(login);
        if (existing.isPresent()) return existing.get().id();
        checkNewCompany(login, password, name);
        return store.create(login, Passwords.hash(password), name);
    }

    /** The rules for a real account's password (a company's, an administrator's, an operator's sign-in). */
    public static void checkPassword(String field, String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.badRequest(field, "Password must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > 1000) throw ApiException.badRequest(field, "Password is longer than 1000 characters");
    }

    /** A login's form: 3-100 characters of letters, digits and . _ @ + - */
    public static void checkLogin(String field, String login) {
        if (login == null || !LOGIN.matcher(login).matches()) {
            throw ApiException.badRequest(field, "Login must be 3-100 characters of letters, digits and . _ @ + -");
        }
    }

    private void checkNewCompany(String login, String password, String name) {
        checkLogin("login", login);
        if (password == null || password.isEmpty()) throw ApiException.badRequest("password", "Password is required");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ApiException.badRequest("name", "Name is required (at most 200 characters)");
        }
        if (store.loginTaken(login)) throw ApiException.conflict("login", "Login '" + login + "' is taken");
    }

    /** Checks the credentials (throttled by {@link LoginThrottle}) and issues a company token. */
    public Jwts.Issued login(String login, String password, String ip) {
        LoginThrottle.Attempt attempt = throttle.begin(login, ip);
        Optional<Company> company;
        boolean ok;
        try {
            company = store.findByLogin(login);
            ok = Passwords.verify(password, company.map(Company::passwordHash).orElse(null));
        } catch (RuntimeException e) {
            attempt.abandoned();
            throw e;
        }
        if (!ok) {
            attempt.failed();
            throw ApiException.unauthorized("Invalid login or password", "credentials");
        }
        attempt.succeeded();
        long id = company.get().id();
        return jwts.issue(Jwts.Kind.COMPANY, id, 0, id, clock.instant().plus(tokenTtl));
    }
}
