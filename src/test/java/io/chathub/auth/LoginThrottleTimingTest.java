package io.chathub.auth;

import io.chathub.config.Config;
import io.chathub.testing.TestClock;
import io.chathub.web.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The throttle's clocks, on a frozen {@link TestClock} moved by the test: the growing delays of a distributed
 * attack, their cap, their end, one delayed attempt at a time, the window, and the bound on memory. The HTTP
 * behaviour (429, Retry-After, which addresses get through) is in {@code api.LoginThrottleTest}.
 */
class LoginThrottleTimingTest {
    static final Duration WINDOW = Duration.ofMinutes(15);
    final TestClock clock = TestClock.frozen();

    /** Pair and IP limits out of the way: only the login's distributed-attack delays act. */
    LoginThrottle throttle(int delayAfter, Duration maxDelay) {
        return new LoginThrottle(new Config.LoginSettings(1_000, 1_000, WINDOW, delayAfter, maxDelay), clock);
    }

    static String ip(int n) {
        return "198.51.100." + n;
    }

    /** The Retry-After (seconds) of a refused attempt, or 0 when the attempt may go to the password check. */
    static long retryAfter(LoginThrottle throttle, String login, String ip) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> throttle.begin(login, ip).abandoned());
        if (e == null) return 0;
        assertThat(e.status()).isEqualTo(429);
        return ((Number) e.extensions().get("retryAfter")).longValue();
    }

    static void fail(LoginThrottle throttle, String login, String ip) {
        throttle.begin(login, ip).failed();
    }

    @Test
    void delaysDoubleFromOneSecondUpToTheCapWithEveryFailureOfTheLogin() {
        var throttle = throttle(3, Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            assertThat(retryAfter(throttle, "acme", ip(0))).as("before the attack: no delay").isZero();
            fail(throttle, "acme", ip(i));
        }

        List<Long> delays = new ArrayList<>();
        delays.add(retryAfter(throttle, "acme", ip(0)));
        for (int i = 3; i < 8; i++) {
            fail(throttle, "acme", ip(i)); // a fresh address: never delayed, each failure doubles the delay
            delays.add(retryAfter(throttle, "acme", ip(0)));
        }

        assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
        assertThat(retryAfter(throttle, "acme", ip(100))).as("an address that has not failed").isZero();
        assertThat(retryAfter(throttle, "other", ip(0))).as("another login is not under attack").isZero();
    }

    @Test
    void whenTheDelayIsOverOneDelayedAttemptAtATimeIsChecked() {
        var throttle = throttle(2, Duration.ofMinutes(5));
        fail(throttle, "acme", ip(1));
        fail(throttle, "acme", ip(2));
        assertThat(retryAfter(throttle, "acme", ip(1))).isEqualTo(1);

        clock.advance(Duration.ofMillis(1_001));
        LoginThrottle.Attempt first = throttle.begin("acme", ip(1));
        assertThat(retryAfter(throttle, "acme", ip(2))).as("another failed address while one is checked").isEqualTo(1);
        assertThat(retryAfter(throttle, "acme", ip(1))).as("the same address again").isEqualTo(1);
        assertThat(retryAfter(throttle, "acme", ip(3))).as("a clean address is not held up").isZero();
        first.failed();

        assertThat(retryAfter(throttle, "acme", ip(2))).as("the third failure: 2 s").isEqualTo(2);
        clock.advance(Duration.ofMillis(1_500));
        assertThat(retryAfter(throttle, "acme", ip(2))).isEqualTo(1);
        clock.advance(Duration.ofMillis(500));
        assertThat(retryAfter(throttle, "acme", ip(2))).isZero();
    }

    @Test
    void delaysEndWhenTheFailuresHaveLeftTheWindow() {
        var throttle = throttle(2, Duration.ofMinutes(5));
        for (int i = 0; i < 12; i++) fail(throttle, "acme", ip(i));
        assertThat(retryAfter(throttle, "acme", ip(0))).isEqualTo(300);

        clock.advance(WINDOW);

        assertThat(retryAfter(throttle, "acme", ip(0))).isZero();
        fail(throttle, "acme", ip(0));
        assertThat(retryAfter(throttle, "acme", ip(0))).as("one failure is no attack").isZero();
    }

    @Test
    void thePairLimitLiftsWhenItsOldestFailureLeavesTheWindow() {
        var throttle = new LoginThrottle(new Config.LoginSettings(2, 100, WINDOW, 100, Duration.ofMinutes(5)), clock);
        fail(throttle, "acme", ip(1));
        clock.advance(Duration.ofMinutes(5));
        fail(throttle, "acme", ip(1));

        assertThat(retryAfter(throttle, "acme", ip(1))).isEqualTo(WINDOW.minusMinutes(5).toSeconds());
        clock.advance(WINDOW.minusMinutes(5).minusSeconds(1));
        assertThat(retryAfter(throttle, "acme", ip(1))).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(retryAfter(throttle, "acme", ip(1))).isZero();
    }

    @Test
    void aSuccessForgetsThePairsFailuresAlsoInTheCountsOfTheAddressAndTheLogin() {
        var throttle = new LoginThrottle(new Config.LoginSettings(2, 3, WINDOW, 2, Duration.ofMinutes(5)), clock);
        fail(throttle, "acme", ip(1)); // the owner's typo
        fail(throttle, "other", ip(1));
        fail(throttle, "acme", ip(2)); // the login's second failure: failed addresses wait 1 s
        clock.advance(Duration.ofSeconds(1));
        throttle.begin("acme", ip(1)).succeeded();

        fail(throttle, "acme", ip(3));
        assertThat(retryAfter(throttle, "acme", ip(2))).as("2 failures of the login (the typo is forgotten), not 3")
                .isEqualTo(1);
        fail(throttle, "bob", ip(1));
        assertThat(retryAfter(throttle, "carol", ip(1))).as("2 failures of the address, not 3").isZero();
        fail(throttle, "dave", ip(1));
        assertThat(retryAfter(throttle, "carol", ip(1))).as("3 of 3").isEqualTo(WINDOW.toSeconds() - 1);
    }

    @Test
    void memoryIsBoundedWhateverTheNumberOfLoginsAndAddresses() {
        var throttle = new LoginThrottle(new Config.LoginSettings(5, 20, WINDOW, 10, Duration.ofMinutes(5)), clock, 1_000);
        for (int i = 0; i < 5_000; i++) {
            fail(throttle, "login-" + i + "-" + "x".repeat(10_000), "10.0." + (i / 250) + "." + (i % 250));
            assertThat(throttle.keyCount()).isLessThanOrEqualTo(1_000);
        }
    }
}
