package io.chathub.hub;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;

/**
 * What one connection receives: the handshake first, then hub messages. Jetty delivers a connection's WebSocket
 * messages one at a time, so this needs no locking. Parsing and protocol checks happen here, on the receiving
 * thread; invocations are handed to the connection's {@link SerialExecutor}, so a slow method never stops the
 * connection from reading (and so from seeing the client's Pings).
 *
 * <p>Every failure ends in the protocol's answer: a handshake error response before the handshake, a Close with
 * the error after it. Nothing a client sends can escape as an exception.
 */
final class Inbound {
    private static final Logger log = LoggerFactory.getLogger(Inbound.class);

    private final HubConnection connection;
    private final HubMethods methods;
    private final RecordBuffer records;
    private final Utf8Stream utf8 = new Utf8Stream();
    private boolean handshakeDone;

    Inbound(HubConnection connection, HubMethods methods, int maxMessageBytes) {
        this.connection = connection;
        this.methods = methods;
        this.records = new RecordBuffer(maxMessageBytes);
    }

    void onText(String text) {
        connection.touch();
        if (utf8.hasLeftover()) { // a text message in the middle of a character begun in a binary one
            connection.close(HubErrors.NOT_UTF8);
            return;
        }
        receive(text);
    }

    private void receive(String text) {
        HubConnection.State state = connection.state();
        if (state == HubConnection.State.CLOSING || state == HubConnection.State.CLOSED) return;
        try {
            for (String record : records.append(text)) {
                if (!handshakeDone) handshake(record);
                else dispatch(HubProtocol.parse(record));
                if (!isActive()) return;
            }
        } catch (HubProtocolException e) {
            if (handshakeDone) connection.close(HubErrors.protocol(e.getMessage()));
            else connection.failHandshake(HubErrors.handshake(e.getMessage()));
        } catch (RuntimeException e) {
            log.error("hub connection {}: unexpected failure while receiving", connection.connectionId(), e);
            if (handshakeDone) connection.close(HubErrors.INTERNAL);
            else connection.failHandshake(HubErrors.HANDSHAKE_FAILED);
        }
    }

    /**
     * A binary message is read as UTF-8 text, as ASP.NET Core does: its transport ignores the frame type, and the
     * official Java client sends its JSON in binary frames (as does a MessagePack client its handshake, which
     * then gets the "protocol not supported" answer). Bytes that are not UTF-8 are a protocol error.
     */
    void onBinary(ByteBuffer payload) {
        connection.touch();
        String text;
        try {
            text = utf8.decode(payload);
        } catch (CharacterCodingException e) {
            if (handshakeDone) connection.close(HubErrors.NOT_UTF8);
            else connection.failHandshake(HubErrors.handshake("The message is not valid UTF-8."));
            return;
        }
        receive(text);
    }

    void transportClosed() {
        connection.transportClosed();
    }

    private boolean isActive() {
        HubConnection.State s = connection.state();
        return s == HubConnection.State.HANDSHAKE || s == HubConnection.State.OPEN;
    }

    private void handshake(String record) {
        var request = HubProtocol.parseHandshake(record);
        if (!HubProtocol.NAME.equalsIgnoreCase(request.protocol())) {
            connection.failHandshake(HubErrors.unsupportedProtocol(request.protocol()));
        } else if (request.version() > HubProtocol.VERSION) {
            connection.failHandshake(HubErrors.unsupportedVersion(request.protocol(), request.version()));
        } else {
            handshakeDone = true;
            connection.open();
        }
    }

    private void dispatch(HubMessage message) {
        switch (message) {
            case HubMessage.Invocation invocation -> invoke(invocation);
            case HubMessage.StreamInvocation stream -> reply(stream.invocationId(), HubErrors.STREAMING_NOT_SUPPORTED);
            case HubMessage.Close close -> connection.closeQuietly();
            // Pings only prove the client alive (touch() did that); the rest is allowed and needs no answer.
            case HubMessage.Ping ping -> { }
            case HubMessage.CancelInvocation cancel -> { }
            case HubMessage.Completion completion -> { }
            case HubMessage.StreamItem item -> { }
            case HubMessage.StatefulReconnect ack -> { }
        }
    }

    private void invoke(HubMessage.Invocation invocation) {
        boolean queued = connection.executor().submit(() -> {
            Frame completion = methods.invoke(connection, invocation);
            if (completion != null) connection.deliver(completion);
        });
        if (!queued) connection.close(HubErrors.TOO_MANY_INVOCATIONS);
    }

    /** Refusals go through the same queue as results, so a client gets its answers in the order it asked. */
    private void reply(String invocationId, String error) {
        boolean queued = connection.executor().submit(() ->
                connection.deliver(HubProtocol.completionError(invocationId, error)));
        if (!queued) connection.close(HubErrors.TOO_MANY_INVOCATIONS);
    }
}
