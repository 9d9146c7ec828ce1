package io.chathub.auth;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts secrets that ChatHub must use again later (a webhook's signing secret, a channel's credentials) before
 * they are stored: AES-256-GCM with a random 96-bit nonce per value, written {@code v1:<base64url(nonce | ciphertext
 * | tag)>}. The purpose is bound as associated data, so a value encrypted for one purpose does not decrypt as another.
 * Also MACs under keys derived from it per purpose (signed links). The key comes from {@link Secrets#secretKey}.
 */
public final class SecretBox {
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("the secret key must be 32 bytes");
        this.key = new SecretKeySpec(key, "AES");
    }

    public String encrypt(String purpose, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, purpose);
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a secret", e);
        }
    }

    /** The plaintext; fails when the value was made with another key or purpose, or was changed. */
    public String decrypt(String purpose, String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) throw new IllegalStateException("not an encrypted secret");
        byte[] in = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
        if (in.length < NONCE_BYTES + TAG_BITS / 8) throw new IllegalStateException("encrypted secret is too short");
        byte[] nonce = java.util.Arrays.copyOf(in, NONCE_BYTES);
        try {
            byte[] plain = cipher(Cipher.DECRYPT_MODE, nonce, purpose).doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a secret (was CHATHUB_SECRET_KEY changed?)", e);
        }
    }

    /** HMAC-SHA256 of {@code data} under a key derived from the secret key for {@code purpose}. */
    public byte[] mac(String purpose, String data) {
        try {
            javax.crypto.Mac derive = javax.crypto.Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            byte[] subKey = derive.doFinal(("chathub:" + purpose).getBytes(StandardCharsets.UTF_8));
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(subKey, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String purpose) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
