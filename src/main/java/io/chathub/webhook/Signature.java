package io.chathub.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * A delivery's signature: {@code X-ChatHub-Signature: sha256=<hex>} where hex is HMAC-SHA256 keyed with the webhook's
 * secret (its UTF-8 bytes) over {@code <X-ChatHub-Timestamp> + "." + <the raw body>}.
 */
public final class Signature {
    private Signature() {}

    public static String header(String secret, long timestamp, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret, timestamp, body));
    }

    static byte[] hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
