package io.chathub.auth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Argon2id checks: right and wrong passwords, and a flood of them that leaves the server's virtual threads running. */
class PasswordsTest {
    static final String PASSWORD = "correct horse battery";

    @Test
    void aHashVerifiesItsPasswordOnly() {
        String hash = Passwords.hash(PASSWORD);

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(Passwords.verify(PASSWORD, hash)).isTrue();
        assertThat(Passwords.verify(PASSWORD + "!", hash)).isFalse();
        assertThat(Passwords.verify(PASSWORD, null)).as("an unknown login").isFalse();
    }

    /**
     * Requests run on virtual threads, which are not time-sliced: were Argon2 (0.1-0.3 s of CPU and 19 MiB each)
     * computed on them, a burst of logins would hold every carrier thread until it is done, and nothing else (a
     * health check, a message) would run meanwhile; the checks' memory would grow with the number of cores.
     */
    @Test
    void aFloodOfChecksLeavesTheVirtualThreadsFree() throws Exception {
        String hash = Passwords.hash(PASSWORD);
        int checks = 8 * Runtime.getRuntime().availableProcessors();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < checks; i++) {
                results.add(executor.submit(() -> {
                    start.await();
                    return Passwords.verify("wrong guess", hash);
                }));
            }
            start.countDown();
            Thread.sleep(100); // the checks are under way

            long asked = System.nanoTime();
            for (int i = 0; i < 5; i++) executor.submit(() -> "a request that is not a login").get(30, TimeUnit.SECONDS);
            long waitedMillis = (System.nanoTime() - asked) / 1_000_000;

            assertThat(waitedMillis).as("ms 5 virtual threads, one after the other, took to run while %d checks were under way",
                    checks).isLessThan(300);
            for (Future<Boolean> r : results) assertThat(r.get(60, TimeUnit.SECONDS)).isFalse();
        }
    }
}
