package io.chathub.hub;

import io.chathub.auth.TokenException;

import java.time.Duration;

/**
 * Every error text the hub sends, in one place. They follow ASP.NET Core SignalR's wording (with its detailed
 * errors on, which is safe here because the details only ever describe the client's own mistake), so clients
 * written against an ASP.NET server read them the same way.
 */
final class HubErrors {
    static final String TOO_SLOW = "Connection closed: client too slow";
    static final String TOKEN_EXPIRED = TokenException.EXPIRED;
    static final String HANDSHAKE_CANCELED = "Handshake was canceled.";
    static final String STREAMING_NOT_SUPPORTED = "Streaming is not supported";
    static final String TOO_MANY_INVOCATIONS = protocol("Too many pending invocations.");
    static final String NOT_UTF8 = protocol("The message is not valid UTF-8.");
    static final String INTERNAL = "Connection closed with an error.";
    static final String HANDSHAKE_FAILED = "An unexpected error occurred during connection handshake.";

    private HubErrors() {}

    static String protocol(String detail) {
        return "Connection closed with an error. InvalidDataException: " + detail;
    }

    static String handshake(String detail) {
        return "An unexpected error occurred during connection handshake. InvalidDataException: " + detail;
    }

    static String unsupportedProtocol(String protocol) {
        return "The protocol '" + protocol + "' is not supported.";
    }

    static String unsupportedVersion(String protocol, int version) {
        return "The server does not support version " + version + " of the '" + protocol + "' protocol.";
    }

    static String clientTimeout(Duration timeout) {
        return "Connection closed with an error. Client timeout (" + timeout.toMillis()
                + "ms) elapsed without receiving a message from the client.";
    }

    static String unknownMethod(String target) {
        return "Unknown hub method '" + target + "'";
    }

    static String argumentCount(String target, int provided, int expected) {
        return "Failed to invoke '" + target + "' due to an error on the server. InvalidDataException: Invocation provides "
                + provided + " argument(s) but target expects " + expected + ".";
    }

    static String unexpected(String target) {
        return "An unexpected error occurred invoking '" + target + "' on the server.";
    }
}
