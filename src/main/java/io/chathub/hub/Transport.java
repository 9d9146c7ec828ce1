package io.chathub.hub;

import java.time.Duration;

/** The socket under a hub connection. Only the connection's {@link Outbox} writer calls {@link #send}. */
interface Transport {
    /** Sends one text message and waits until it is written; throws when it fails or takes longer than the timeout. */
    void send(String text, Duration timeout) throws Exception;

    /** Starts an orderly close (a WebSocket close frame with status 1000). */
    void close();

    /** Drops the connection at once, for a peer that does not read or has gone away. */
    void disconnect();

    String remoteAddress();
}
