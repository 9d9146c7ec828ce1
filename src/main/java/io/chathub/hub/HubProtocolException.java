package io.chathub.hub;

/**
 * A client broke the hub protocol: bad JSON, a missing or mistyped field, an unknown message type, an oversized
 * message. The connection is closed with a Close message naming the problem, as ASP.NET Core does for its
 * {@code InvalidDataException}; the message must therefore never carry anything but the client's own mistake.
 */
final class HubProtocolException extends RuntimeException {
    HubProtocolException(String message) {
        super(message, null, false, false);
    }
}
