package io.chathub.channel;

/**
 * A channel's send rate: at most {@code perSecond} sends per second on average, bursts of at most one second's worth.
 * {@link #acquire} blocks the (virtual) thread until its send may go.
 */
final class TokenBucket {
    private final long intervalNanos;
    private final long burstNanos;
    private long next = System.nanoTime();

    TokenBucket(double perSecond) {
        if (perSecond <= 0) throw new IllegalArgumentException("rate must be positive");
        this.intervalNanos = (long) (1_000_000_000L / perSecond);
        this.burstNanos = Math.max(0, (long) Math.floor(perSecond) - 1) * intervalNanos;
    }

    /** Nanoseconds to wait before the send this reserves may go (0: at once). */
    synchronized long reserve() {
        long now = System.nanoTime();
        if (next < now - burstNanos) next = now - burstNanos;
        long slot = next;
        next += intervalNanos;
        return Math.max(0, slot - now);
    }

    void acquire() throws InterruptedException {
        long wait = reserve();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
}
