package io.chathub.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Argon2id password hashing with the OWASP Password Storage Cheat Sheet's first recommended
 * configuration: m = 19 MiB, t = 2, p = 1; 16-byte random salt, 32-byte hash, PHC string format.
 *
 * <p>Hashes are computed on a few platform threads of their own ({@link #THREADS}: half the cores, 1 to 4), and
 * the caller waits. Requests run on virtual threads, which are not time-sliced: computed there, a burst of logins
 * (each 0.1-0.3 s of CPU) would hold every carrier thread, and no other request would run until it was over; and
 * the checks' memory (19 MiB each) would grow with the number of cores. So at most {@code THREADS × 19 MiB} is
 * ever in use for Argon2, whatever the machine, and a login flood takes at most half the CPU.
 */
public final class Passwords {
    public static final int MEMORY_KIB = 19 * 1024;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    static final int THREADS = Math.clamp(Runtime.getRuntime().availableProcessors() / 2, 1, 4);
    private static final Argon2Function ARGON2ID =
            Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, 32, Argon2.ID, 19);
    private static final ExecutorService POOL =
            Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().daemon().name("chathub-argon2-", 1).factory());

    /**
     * A hash of a password nobody has: verified against when a login is unknown, so timing tells nothing. Made
     * here, not on the pool: a pool thread would wait for this class's initialization, which would wait for it.
     */
    private static final String DUMMY_HASH =
            Password.hash("chathub-dummy-password-" + System.nanoTime()).addRandomSalt(16).with(ARGON2ID).getResult();

    private Passwords() {}

    public static String hash(String password) {
        return onPool(() -> Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult());
    }

    public static boolean verify(String password, String hash) {
        if (hash == null) {
            onPool(() -> Password.check(password, DUMMY_HASH).with(ARGON2ID));
            return false;
        }
        return onPool(() -> Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash)));
    }

    private static <T> T onPool(Callable<T> work) {
        Future<T> result = POOL.submit(work);
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking a password", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error error) throw error;
            throw new IllegalStateException(e.getCause());
        }
    }
}
