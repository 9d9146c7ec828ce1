package io.chathub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.web.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket client (java.net.http) that speaks the hub protocol by hand, to test what the official client
 * never sends. It collects every received record, and knows when the server closed the socket. A "paused" client
 * stops reading after the handshake response, like a client on a dead network.
 */
final class RawHubClient implements AutoCloseable {
    static final char RS = '\u001e';
    static final String HANDSHAKE = "{\"protocol\":\"json\",\"version\":1}" + RS;
    private static final Duration WAIT = Duration.ofSeconds(10);

    final BlockingQueue<String> records = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final boolean paused;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private RawHubClient(boolean paused) {
        this.paused = paused;
    }

    static RawHubClient connect(String url) throws Exception {
        return connect(url, false);
    }

    static RawHubClient connect(String url, boolean pauseAfterFirstMessage) throws Exception {
        var client = new RawHubClient(pauseAfterFirstMessage);
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(url), client.listener()).get(10, TimeUnit.SECONDS);
        return client;
    }

    /** Connects and completes the handshake. */
    static RawHubClient open(String url) throws Exception {
        var client = connect(url);
        client.send(HANDSHAKE);
        JsonNode response = client.next();
        if (!response.isEmpty()) throw new IllegalStateException("handshake failed: " + response);
        return client;
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    void sendRecord(String json) throws Exception {
        send(json + RS);
    }

    void sendBinary(byte[] data) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
    }

    /** The next record, or an exception when none comes in time. */
    JsonNode next() throws Exception {
        String record = records.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (record == null) throw new AssertionError("no message from the server within " + WAIT);
        return Json.read(record);
    }

    /** The next record that is not a Ping. */
    JsonNode nextNonPing() throws Exception {
        while (true) {
            JsonNode m = next();
            if (m.path("type").asInt() != 6) return m;
        }
    }

    /** Waits for the server to close the socket; its status code. */
    int awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    split(partial.toString());
                    partial.setLength(0);
                }
                if (!paused) webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        };
    }

    private void split(String message) {
        for (String record : message.split(String.valueOf(RS))) {
            if (!record.isEmpty()) records.add(record);
        }
    }

    @Override
    public void close() {
        if (socket != null && !closed.isDone()) socket.abort();
    }
}
