package io.chathub.auth;

import io.chathub.web.ApiException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins per login and per client IP within a sliding window. Once a key reaches its
 * limit, further attempts are refused with 429 and Retry-After until its oldest failure leaves the
 * window — without checking the password, so guessing costs the attacker the whole window.
 */
public final class LoginThrottle {
    private static final int MAX_KEYS = 100_000;

    private final int maxPerLogin;
    private final int maxPerIp;
    private final Duration window;
    private final Clock clock;
    private final Map<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(int maxPerLogin, int maxPerIp, Duration window, Clock clock) {
        this.maxPerLogin = maxPerLogin;
        this.maxPerIp = maxPerIp;
        this.window = window;
        this.clock = clock;
    }

    /** Throws 429 when the login or the IP has used up its failures. */
    public void check(String login, String ip) {
        long now = clock.millis();
        long wait = Math.max(waitMillis(loginKey(login), maxPerLogin, now), waitMillis(ipKey(ip), maxPerIp, now));
        if (wait > 0) throw ApiException.tooManyRequests(Math.max(1, (wait + 999) / 1000));
    }

    public void failed(String login, String ip) {
        long now = clock.millis();
        if (failures.size() > MAX_KEYS) prune(now);
        add(loginKey(login), now);
        add(ipKey(ip), now);
    }

    public void succeeded(String login) {
        failures.remove(loginKey(login));
    }

    private static String loginKey(String login) {
        return "l:" + login.toLowerCase(Locale.ROOT);
    }

    private static String ipKey(String ip) {
        return "i:" + ip;
    }

    private void add(String key, long now) {
        failures.compute(key, (k, q) -> {
            ArrayDeque<Long> d = q == null ? new ArrayDeque<>() : q;
            expire(d, now);
            d.addLast(now);
            return d;
        });
    }

    private long waitMillis(String key, int max, long now) {
        long[] wait = {0};
        failures.computeIfPresent(key, (k, d) -> {
            expire(d, now);
            if (d.size() >= max) wait[0] = d.peekFirst() + window.toMillis() - now;
            return d.isEmpty() ? null : d;
        });
        return wait[0];
    }

    private void expire(ArrayDeque<Long> d, long now) {
        while (!d.isEmpty() && d.peekFirst() <= now - window.toMillis()) d.removeFirst();
    }

    private void prune(long now) {
        failures.replaceAll((k, d) -> {
            expire(d, now);
            return d;
        });
        failures.values().removeIf(ArrayDeque::isEmpty);
    }
}
