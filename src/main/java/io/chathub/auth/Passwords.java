package io.chathub.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id password hashing with the OWASP Password Storage Cheat Sheet's first recommended
 * configuration: m = 19 MiB, t = 2, p = 1; 16-byte random salt, 32-byte hash, PHC string format.
 */
public final class Passwords {
    public static final int MEMORY_KIB = 19 * 1024;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    private static final Argon2Function ARGON2ID =
            Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, 32, Argon2.ID, 19);

    /** A hash of a password nobody has: verified against when a login is unknown, so timing tells nothing. */
    private static final String DUMMY_HASH = hash("chathub-dummy-password-" + System.nanoTime());

    private Passwords() {}

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    public static boolean verify(String password, String hash) {
        if (hash == null) {
            Password.check(password, DUMMY_HASH).with(ARGON2ID);
            return false;
        }
        return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    }
}
