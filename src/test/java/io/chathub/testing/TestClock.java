package io.chathub.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that the test moves forward: time-dependent rules (a window passing, a delay running out) are tested
 * without sleeping. Either the system clock plus an offset (for a server, whose tokens must look current), or
 * {@link #frozen} (time moves only when the test says). Thread-safe.
 */
public final class TestClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();
    private final boolean frozen;

    /** The system clock plus an offset that {@link #advance} moves. */
    public TestClock() {
        this(false);
    }

    private TestClock(boolean frozen) {
        this.frozen = frozen;
        if (frozen) offsetMillis.set(System.currentTimeMillis());
    }

    /** A clock standing at the present moment until {@link #advance}d. */
    public static TestClock frozen() {
        return new TestClock(true);
    }

    public void advance(Duration d) {
        offsetMillis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
        return (frozen ? 0 : System.currentTimeMillis()) + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock is UTC");
    }
}
