package io.chathub.auth;

import io.chathub.config.Config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server's secrets: the JWT signing secret (CHATHUB_JWT_SECRET) and the key that encrypts what it must store
 * and use again (channels' credentials, webhooks' signing secrets: CHATHUB_SECRET_KEY, {@link SecretBox}); each,
 * when not configured, generated once and kept in a file of the data dir (mode 600).
 */
public final class Secrets {
    static final String FILE = "jwt-secret";
    static final String KEY_FILE = "secret-key";

    private Secrets() {}

    public static byte[] jwtSecret(Config config) {
        if (config.jwtSecret() != null) {
            byte[] bytes = config.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) throw new IllegalArgumentException("CHATHUB_JWT_SECRET must be at least 32 bytes long");
            return bytes;
        }
        return Base64.getUrlDecoder().decode(generatedOnce(config.dataDir(), FILE, 48, "the JWT secret"));
    }

    /**
     * The 256-bit key of {@link SecretBox} (channels' credentials, webhooks' secrets, signed media links): the SHA-256
     * of CHATHUB_SECRET_KEY (at least 32 characters), else of a random secret generated once into
     * {@code $CHATHUB_DATA_DIR/secret-key}. Every node of a cluster needs the same key; losing it loses what was stored
     * with it (connect the channels again, rotate the webhooks' secrets).
     */
    public static byte[] secretKey(Config config) {
        String configured = config.secretKey();
        if (configured != null && configured.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("CHATHUB_SECRET_KEY must be at least 32 characters long");
        }
        String secret = configured != null ? configured : generatedOnce(config.dataDir(), KEY_FILE, 32, "the secret key");
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This node's id: CHATHUB_NODE_ID, else generated once into {@code $CHATHUB_DATA_DIR/node-id} (not a secret; kept
     * like one): the same node after a restart, so that it can take back what it held when it was killed (outbox
     * leases, its presence rows). Every node of a cluster needs its own.
     */
    public static String nodeId(Config config) {
        if (config.cluster().nodeId() != null) return config.cluster().nodeId();
        return generatedOnce(config.dataDir(), "node-id", 16, "the node id");
    }

    /** The base64url text of {@code bytes} random bytes kept in {@code name} in the data dir, made on first use. */
    private static String generatedOnce(Path dataDir, String name, int bytes, String what) {
        Path file = dataDir.resolve(name);
        try {
            if (Files.exists(file)) return Files.readString(file).strip();
            Files.createDirectories(dataDir);
            byte[] secret = new byte[bytes];
            new SecureRandom().nextBytes(secret);
            String text = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            Path tmp = Files.createTempFile(dataDir, name, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the file of " + what + " " + file, e);
        }
    }
}
