package io.chathub.hub;

import java.security.SecureRandom;
import java.util.Base64;

/** Random, unguessable ids: a negotiate connection token is a bearer secret for attaching a WebSocket. */
final class ConnectionIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private ConnectionIds() {}

    static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
