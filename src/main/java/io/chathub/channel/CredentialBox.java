package io.chathub.channel;

import com.fasterxml.jackson.core.type.TypeReference;
import io.chathub.web.Json;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Channel credentials at rest: AES-256-GCM under the server's secret key ({@link io.chathub.auth.Secrets#secretKey}),
 * a random 96-bit nonce per sealing, the channel's type as associated data (a sealed value moved to a channel of
 * another type does not open). Stored as {@code v1:<base64(nonce || ciphertext || tag)>}.
 */
public final class CredentialBox {
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final byte[] rawKey;

    public CredentialBox(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("the secret key must be 256 bits");
        this.rawKey = key.clone();
        this.key = new SecretKeySpec(this.rawKey, "AES");
    }

    public String seal(String type, Messenger.Credentials credentials) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(type));
            byte[] sealed = c.doFinal(Json.write(credentials.values()).getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt channel credentials", e);
        }
    }

    public Messenger.Credentials open(String type, String sealed) {
        if (sealed == null || !sealed.startsWith(VERSION)) throw new IllegalStateException("unknown credential format");
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            c.updateAAD(aad(type));
            byte[] plain = c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            Map<String, String> values = Json.MAPPER.readValue(plain, new TypeReference<Map<String, String>>() {});
            return new Messenger.Credentials(values);
        } catch (GeneralSecurityException | java.io.IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot decrypt channel credentials (was CHATHUB_SECRET_KEY changed?)");
        }
    }

    /** An HMAC-SHA256 under a key derived from the secret key for {@code purpose} (signed media links). */
    public byte[] mac(String purpose, String data) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(rawKey, "HmacSHA256"));
            byte[] subKey = derive.doFinal(("chathub:" + purpose).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(subKey, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] aad(String type) {
        return ("chathub-channel:" + type).getBytes(StandardCharsets.UTF_8);
    }
}
