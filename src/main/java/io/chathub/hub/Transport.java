package io.chathub.hub;

/** The socket under a hub connection. Only the connection's {@link Outbox} calls {@link #send}, one write at a time. */
interface Transport {
    /** Told once how a {@link #send} ended; it may be told before {@code send} returns, on the calling thread. */
    interface Written {
        void written();

        void failed(Throwable cause);
    }

    /**
     * Starts writing one WebSocket text message of {@code length} bytes of UTF-8 from {@code utf8} (not changed
     * while it is written) and returns without waiting: {@code done} is told when it is written or has failed.
     */
    void send(byte[] utf8, int length, Written done);

    /** Starts an orderly close (a WebSocket close frame with status 1000). */
    void close();

    /** Drops the connection at once, for a peer that does not read or has gone away. */
    void disconnect();

    String remoteAddress();
}
