package io.chathub.hub;

/**
 * Thrown by a hub method to fail an invocation with a message meant for the caller: the client receives a Completion
 * whose {@code error} is exactly this message. Any other exception is reported to the client only as
 * "An unexpected error occurred invoking 'Method' on the server." so that internals never leak.
 */
public class HubException extends RuntimeException {
    public HubException(String message) {
        super(message, null, false, false);
    }
}
