package io.chathub.channel;

import com.fasterxml.jackson.core.type.TypeReference;
import io.chathub.auth.SecretBox;
import io.chathub.web.Json;

import java.util.Map;

/**
 * Channel credentials at rest, sealed by the server's {@link SecretBox} (AES-256-GCM under CHATHUB_SECRET_KEY) with
 * the channel's type as the purpose: a sealed value moved to a channel of another type does not open.
 */
public final class CredentialBox {
    private final SecretBox box;

    public CredentialBox(SecretBox box) {
        this.box = box;
    }

    public String seal(String type, Messenger.Credentials credentials) {
        return box.encrypt(purpose(type), Json.write(credentials.values()));
    }

    public Messenger.Credentials open(String type, String sealed) {
        String json = box.decrypt(purpose(type), sealed);
        try {
            return new Messenger.Credentials(Json.MAPPER.readValue(json, new TypeReference<Map<String, String>>() {}));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read channel credentials");
        }
    }

    /** An HMAC-SHA256 under a key derived from the secret key for {@code purpose} (signed media links). */
    public byte[] mac(String purpose, String data) {
        return box.mac(purpose, data);
    }

    private static String purpose(String type) {
        return "chathub-channel:" + type;
    }
}
