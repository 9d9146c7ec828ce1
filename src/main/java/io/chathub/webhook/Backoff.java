package io.chathub.webhook;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: {@code base} after the first attempt, twice as long after each further one
 * (at most 6 h between two attempts), each wait ±20 % at random so that many deliveries failed together do not come
 * back together; the last attempt is made when the window since the event ends (24 h by default) — none after it.
 * With the defaults (10 s, 24 h): after about 10 s, 20 s, 40 s, … 5.7 h, then 6 h, 6 h, and a last one at 24 h:
 * about 16 attempts.
 */
final class Backoff {
    static final Duration MAX_WAIT = Duration.ofHours(6);

    private final long baseMillis;
    private final long windowMillis;
    private final RandomGenerator random;

    Backoff(Duration base, Duration window, RandomGenerator random) {
        this.baseMillis = base.toMillis();
        this.windowMillis = window.toMillis();
        this.random = random;
    }

    /**
     * The time of the next attempt after {@code attemptsMade} failed ones of a delivery made at {@code createdAt},
     * or -1 when there is none (the window has ended).
     */
    long next(int attemptsMade, long createdAt, long now) {
        long end = createdAt + windowMillis;
        if (now >= end) return -1;
        double wait = Math.min((double) MAX_WAIT.toMillis(), baseMillis * Math.pow(2, Math.max(0, attemptsMade - 1)));
        wait *= 0.8 + 0.4 * random.nextDouble();
        return Math.min(end, now + Math.max(1, (long) wait));
    }
}
