package io.chathub.auth;

import io.chathub.web.ApiException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Limits failed logins per login and per client IP within a sliding window. Once a key reaches its
 * limit, further attempts are refused with 429 and Retry-After until its oldest failure leaves the
 * window — without checking the password, so guessing costs the attacker the whole window.
 *
 * <p>Attempts whose password is still being checked count against the limit too: otherwise many
 * concurrent guesses would all pass the check before the first of them had failed. An attempt refused
 * only because of such in-flight attempts gets Retry-After 1.
 */
public final class LoginThrottle {
    private static final int MAX_KEYS = 100_000;

    private final int maxPerLogin;
    private final int maxPerIp;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Key> keys = new HashMap<>();

    /** Failures within the window and attempts in flight, of one login or one IP. */
    private static final class Key {
        final ArrayDeque<Long> failures = new ArrayDeque<>();
        int inFlight;
    }

    /** One login attempt; end it with exactly one of {@link #failed}, {@link #succeeded} or {@link #abandoned}. */
    public final class Attempt {
        private final String loginKey;
        private final String ipKey;
        private boolean ended;

        private Attempt(String loginKey, String ipKey) {
            this.loginKey = loginKey;
            this.ipKey = ipKey;
        }

        /** Wrong credentials: counts as a failure of the login and of the IP. */
        public void failed() {
            end(true);
        }

        /** Right credentials: the login's failures are forgotten. */
        public void succeeded() {
            synchronized (LoginThrottle.this) {
                end(false);
                Key key = keys.get(loginKey);
                if (key != null) {
                    key.failures.clear();
                    if (key.inFlight <= 0) keys.remove(loginKey);
                }
            }
        }

        /** Neither (an error while checking): counts for nothing. */
        public void abandoned() {
            end(false);
        }

        private void end(boolean failure) {
            synchronized (LoginThrottle.this) {
                if (ended) return;
                ended = true;
                long now = clock.millis();
                for (String k : new String[] {loginKey, ipKey}) {
                    Key key = keys.computeIfAbsent(k, x -> new Key());
                    key.inFlight--;
                    if (failure) key.failures.addLast(now);
                    expire(key, now);
                    if (key.inFlight <= 0 && key.failures.isEmpty()) keys.remove(k);
                }
            }
        }
    }

    public LoginThrottle(int maxPerLogin, int maxPerIp, Duration window, Clock clock) {
        this.maxPerLogin = maxPerLogin;
        this.maxPerIp = maxPerIp;
        this.window = window;
        this.clock = clock;
    }

    /** Starts an attempt; throws 429 when the login or the IP has used up its failures. */
    public synchronized Attempt begin(String login, String ip) {
        long now = clock.millis();
        if (keys.size() > MAX_KEYS) prune(now);
        String loginKey = loginKey(login);
        String ipKey = ipKey(ip);
        long wait = Math.max(waitMillis(loginKey, maxPerLogin, now), waitMillis(ipKey, maxPerIp, now));
        if (wait > 0) throw ApiException.tooManyRequests(Math.max(1, (wait + 999) / 1000));
        keys.computeIfAbsent(loginKey, k -> new Key()).inFlight++;
        keys.computeIfAbsent(ipKey, k -> new Key()).inFlight++;
        return new Attempt(loginKey, ipKey);
    }

    private static String loginKey(String login) {
        return "l:" + login.toLowerCase(Locale.ROOT);
    }

    private static String ipKey(String ip) {
        return "i:" + ip;
    }

    /** How long until the key may try again: 0 when it may now. */
    private long waitMillis(String k, int max, long now) {
        Key key = keys.get(k);
        if (key == null) return 0;
        expire(key, now);
        if (key.failures.size() >= max) return key.failures.peekFirst() + window.toMillis() - now;
        if (key.failures.size() + key.inFlight >= max) return 1000;
        return 0;
    }

    private void expire(Key key, long now) {
        while (!key.failures.isEmpty() && key.failures.peekFirst() <= now - window.toMillis()) key.failures.removeFirst();
    }

    private void prune(long now) {
        keys.values().removeIf(key -> {
            expire(key, now);
            return key.failures.isEmpty() && key.inFlight <= 0;
        });
    }
}
