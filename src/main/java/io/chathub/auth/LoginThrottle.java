package io.chathub.auth;

import io.chathub.config.Config;
import io.chathub.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Throttles password logins so that guessing is slow and an attacker cannot lock the owner out. A login is any
 * key string (a company login today; a console sign-in may reuse this with its own instance), an IP the client's
 * address as the server sees it. Three counts of failures within a sliding window:
 * <ul>
 *   <li><b>per (login, IP)</b>: at {@code maxFailuresPerLoginIp} that pair gets 429 until its oldest failure leaves
 *   the window. Only that address is shut out of that login: the owner elsewhere is not.</li>
 *   <li><b>per IP</b>: at {@code maxFailuresPerIp} the address gets 429 for every login (one address guessing
 *   many logins).</li>
 *   <li><b>per login</b>, from all addresses: from {@code delayAfter} failures on (a distributed attack), an
 *   attempt from an address that has itself failed within the window waits a delay that doubles with every
 *   further failure of the login — 1 s, 2 s, 4 s … up to {@code maxDelay} — instead of a flat lock. An address
 *   that has not failed still goes straight to the password check, so the owner logs in from a clean address
 *   whatever the attack; and the delays fade as the failures leave the window.</li>
 * </ul>
 * While throttled the password is not checked at all (429 with Retry-After), so a refused guess costs nothing.
 *
 * <p>Attempts whose password is still being checked count as failures-to-be: otherwise many concurrent guesses
 * would all pass the check before the first of them had failed. So a pair or an IP may have at most its remaining
 * failures in flight, an address with an attempt in flight is no longer clean, and under a distributed attack only
 * one delayed attempt of a login is checked at a time. An attempt refused only because of attempts in flight gets
 * Retry-After 1.
 *
 * <p>Memory is bounded: at most {@link #DEFAULT_MAX_KEYS} keys (the least recently used idle ones are evicted
 * beyond that), logins longer than {@link #MAX_LOGIN_KEY_CHARS} are kept as a hash, and each key keeps at most
 * its limit of failure times. Every key is made by an attempt that reached the password check, which costs the
 * server one Argon2 verification, so an attacker cannot create keys faster than the server checks passwords.
 */
public final class LoginThrottle {
    public static final int DEFAULT_MAX_KEYS = 100_000;
    static final int MAX_LOGIN_KEY_CHARS = 128;
    /** Failure times a login keeps beyond {@code delayAfter}: past about 30 doublings the delay is at its cap anyway. */
    private static final int LOGIN_FAILURES_KEPT_BEYOND_DELAY = 64;
    private static final long FIRST_DELAY_MILLIS = 1_000;

    private final int maxPerPair;
    private final int maxPerIp;
    private final int delayAfter;
    private final long windowMillis;
    private final long maxDelayMillis;
    private final int maxKeys;
    private final Clock clock;
    /** Access order: the eldest entries are the least recently used, evicted first when the map is full. */
    private final LinkedHashMap<String, Key> keys = new LinkedHashMap<>(256, 0.75f, true);

    /** Failures within the window and attempts in flight, of one pair, IP or login. */
    private static final class Key {
        final ArrayDeque<Long> failures = new ArrayDeque<>(4);
        int inFlight;
        /** Logins only: attempts from failed addresses wait until then. */
        long delayedUntil;
        /** Logins only: delayed attempts being checked (at most one). */
        int delayedInFlight;

        boolean idle(long now) {
            return failures.isEmpty() && inFlight <= 0 && delayedInFlight <= 0 && delayedUntil <= now;
        }
    }

    /** One login attempt; end it with exactly one of {@link #failed}, {@link #succeeded} or {@link #abandoned}. */
    public final class Attempt {
        private final String pairKey;
        private final String ipKey;
        private final String loginKey;
        private final boolean delayed;
        private boolean ended;

        private Attempt(String pairKey, String ipKey, String loginKey, boolean delayed) {
            this.pairKey = pairKey;
            this.ipKey = ipKey;
            this.loginKey = loginKey;
            this.delayed = delayed;
        }

        /** Wrong credentials: a failure of the pair, the IP and the login. */
        public void failed() {
            end(true, false);
        }

        /**
         * Right credentials: the pair's failures are forgotten, also in the counts of the IP and of the login (they
         * were the owner's typos, not an attack). The other addresses' failures of the login stay.
         */
        public void succeeded() {
            end(false, true);
        }

        /** Neither (an error while checking): counts for nothing. */
        public void abandoned() {
            end(false, false);
        }

        private void end(boolean failure, boolean success) {
            synchronized (LoginThrottle.this) {
                if (ended) return;
                ended = true;
                long now = clock.millis();
                Key pair = ended(pairKey, failure, maxPerPair, now);
                Key ip = ended(ipKey, failure, maxPerIp, now);
                Key login = ended(loginKey, failure, delayAfter + LOGIN_FAILURES_KEPT_BEYOND_DELAY, now);
                if (success) {
                    for (Long t : pair.failures) {
                        ip.failures.removeFirstOccurrence(t);
                        login.failures.removeFirstOccurrence(t);
                    }
                    pair.failures.clear();
                }
                if (delayed) login.delayedInFlight--;
                if (failure && login.failures.size() >= delayAfter) {
                    login.delayedUntil = Math.max(login.delayedUntil, now + delayMillis(login.failures.size()));
                }
                for (String k : new String[] {pairKey, ipKey, loginKey}) {
                    Key key = keys.get(k);
                    if (key != null && key.idle(now)) keys.remove(k);
                }
            }
        }

        private Key ended(String k, boolean failure, int keep, long now) {
            Key key = keys.computeIfAbsent(k, x -> new Key()); // present unless evicted while in flight (never)
            key.inFlight--;
            expire(key, now);
            if (failure) {
                key.failures.addLast(now);
                while (key.failures.size() > keep) key.failures.removeFirst();
            }
            return key;
        }
    }

    public LoginThrottle(Config.LoginSettings limits, Clock clock) {
        this(limits, clock, DEFAULT_MAX_KEYS);
    }

    LoginThrottle(Config.LoginSettings limits, Clock clock, int maxKeys) {
        this.maxPerPair = limits.maxFailuresPerLoginIp();
        this.maxPerIp = limits.maxFailuresPerIp();
        this.delayAfter = limits.delayAfter();
        this.windowMillis = limits.window().toMillis();
        this.maxDelayMillis = Math.max(FIRST_DELAY_MILLIS, limits.maxDelay().toMillis());
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** Starts an attempt of {@code login} from {@code ip}; throws 429 (with Retry-After) when it is throttled. */
    public synchronized Attempt begin(String login, String ip) {
        long now = clock.millis();
        if (keys.size() + 3 > maxKeys) makeRoom(now); // an attempt adds up to three keys
        String normalizedLogin = normalized(login);
        String loginKey = "l:" + normalizedLogin;
        String ipKey = "i:" + ip;
        String pairKey = "p:" + ip + " " + normalizedLogin;
        Key ipState = keys.get(ipKey);
        long wait = Math.max(limitWait(keys.get(pairKey), maxPerPair, now), limitWait(ipState, maxPerIp, now));
        Key loginState = keys.get(loginKey);
        boolean delayed = false;
        if (wait <= 0 && loginState != null && hasFailed(ipState, now) && underAttack(loginState, now)) {
            if (loginState.delayedInFlight > 0) wait = 1_000;
            else if (loginState.delayedUntil > now) wait = loginState.delayedUntil - now;
            else delayed = true;
        }
        if (wait > 0) throw ApiException.tooManyRequests(Math.max(1, (wait + 999) / 1000));
        keys.computeIfAbsent(pairKey, k -> new Key()).inFlight++;
        keys.computeIfAbsent(ipKey, k -> new Key()).inFlight++;
        Key l = keys.computeIfAbsent(loginKey, k -> new Key());
        l.inFlight++;
        if (delayed) l.delayedInFlight++;
        return new Attempt(pairKey, ipKey, loginKey, delayed);
    }

    /** Keys held now (for tests: the bound on memory). */
    synchronized int keyCount() {
        return keys.size();
    }

    /** The delay after the login's {@code failures}-th failure in the window: 1 s at {@code delayAfter}, doubling, capped. */
    private long delayMillis(int failures) {
        return Math.min(FIRST_DELAY_MILLIS << Math.min(failures - delayAfter, 30), maxDelayMillis);
    }

    /** How long until a pair or an IP may try again: 0 when it may now. */
    private long limitWait(Key key, int max, long now) {
        if (key == null) return 0;
        expire(key, now);
        if (key.failures.size() >= max) return key.failures.peekFirst() + windowMillis - now;
        if (key.failures.size() + key.inFlight >= max) return 1_000;
        return 0;
    }

    /** An address that failed within the window, or has an attempt being checked, is no longer clean. */
    private boolean hasFailed(Key ip, long now) {
        if (ip == null) return false;
        expire(ip, now);
        return !ip.failures.isEmpty() || ip.inFlight > 0;
    }

    private boolean underAttack(Key login, long now) {
        expire(login, now);
        return login.failures.size() >= delayAfter;
    }

    private void expire(Key key, long now) {
        while (!key.failures.isEmpty() && key.failures.peekFirst() <= now - windowMillis) key.failures.removeFirst();
    }

    /** Drops idle keys; if the map is still full, evicts the least recently used keys without attempts in flight. */
    private void makeRoom(long now) {
        keys.values().removeIf(key -> {
            expire(key, now);
            return key.idle(now);
        });
        int target = maxKeys - Math.max(1, maxKeys / 10);
        for (Iterator<Map.Entry<String, Key>> it = keys.entrySet().iterator(); keys.size() > target && it.hasNext(); ) {
            Key key = it.next().getValue();
            if (key.inFlight <= 0 && key.delayedInFlight <= 0) it.remove();
        }
    }

    /** Case-insensitive; a login longer than any real one is kept as its hash, so a key is small whatever is sent. */
    private static String normalized(String login) {
        String l = login.toLowerCase(Locale.ROOT);
        if (l.length() <= MAX_LOGIN_KEY_CHARS) return l;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(l.getBytes(StandardCharsets.UTF_8));
            return "#" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
