package io.chathub.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The local NATS server the cluster tests share; a missing one fails them, never skips them. */
public final class Nats {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 4222;

    private Nats() {}

    /** The URL, once the server answered a connect. */
    public static String url() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2_000);
        } catch (IOException e) {
            throw new IllegalStateException("NATS is not running on " + HOST + ":" + PORT
                    + "; the cluster tests need it (start nats-server) and are never skipped", e);
        }
        return "nats://" + HOST + ":" + PORT;
    }

    /** A subject prefix of the test's own: other test runs on the same NATS never mix in. */
    public static String freshPrefix() {
        return "test-" + java.util.UUID.randomUUID();
    }
}
