package io.chathub.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most {@code max} events per key within a sliding {@code window} (a visitor's messages, an IP's new sessions).
 * One over the limit is a 429 problem with Retry-After (until the key's oldest event leaves the window) and is not
 * counted. Memory is bounded: at most {@code maxKeys} keys, the least recently used forgotten first.
 */
public final class RateLimiter {
    private final String what;
    private final int max;
    private final Duration window;
    private final Clock clock;
    private final int maxKeys;
    private final Map<String, ArrayDeque<Long>> keys;

    public RateLimiter(String what, int max, Duration window, Clock clock) {
        this(what, max, window, clock, 100_000);
    }

    public RateLimiter(String what, int max, Duration window, Clock clock, int maxKeys) {
        if (max < 1) throw new IllegalArgumentException(what + ": the limit must be at least 1");
        this.what = what;
        this.max = max;
        this.window = window;
        this.clock = clock;
        this.maxKeys = maxKeys;
        this.keys = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
                return size() > RateLimiter.this.maxKeys;
            }
        };
    }

    /** Counts one event of {@code key}, or throws 429 when the key has had {@code max} within the window. */
    public void take(String key) {
        long wait = tryTake(key);
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999) / 1000);
            throw ApiException.tooManyRequests("Too many " + what + "; try again in " + seconds + " s", seconds);
        }
    }

    /** Counts one event and returns 0, or returns the milliseconds until one more is allowed (not counted). */
    public synchronized long tryTake(String key) {
        long now = clock.millis();
        long from = now - window.toMillis();
        ArrayDeque<Long> events = keys.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!events.isEmpty() && events.peekFirst() <= from) events.pollFirst();
        if (events.size() >= max) return events.peekFirst() - from;
        events.addLast(now);
        return 0;
    }

    /** Takes back the last event of the key (the request it allowed was refused for another reason). */
    public synchronized void giveBack(String key) {
        ArrayDeque<Long> events = keys.get(key);
        if (events != null) events.pollLast();
    }
}
