package io.chathub.auth;

import io.chathub.config.Config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The JWT signing secret: CHATHUB_JWT_SECRET, else one generated once and kept in the data dir. */
public final class Secrets {
    static final String FILE = "jwt-secret";

    private Secrets() {}

    public static byte[] jwtSecret(Config config) {
        if (config.jwtSecret() != null) {
            byte[] bytes = config.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) throw new IllegalArgumentException("CHATHUB_JWT_SECRET must be at least 32 bytes long");
            return bytes;
        }
        Path file = config.dataDir().resolve(FILE);
        try {
            if (Files.exists(file)) return Base64.getUrlDecoder().decode(Files.readString(file).strip());
            Files.createDirectories(config.dataDir());
            byte[] secret = new byte[48];
            new SecureRandom().nextBytes(secret);
            Path tmp = Files.createTempFile(config.dataDir(), FILE, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the JWT secret file " + file, e);
        }
    }
}
