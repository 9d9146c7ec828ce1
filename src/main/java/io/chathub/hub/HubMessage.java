package io.chathub.hub;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** A message of the SignalR hub protocol as received from a client (see HubProtocol.md, "JSON Encoding"). */
sealed interface HubMessage {

    /** Type 1. Without an invocation id it is non-blocking: the caller expects no Completion. */
    record Invocation(String invocationId, String target, List<JsonNode> arguments, boolean hasStreams) implements HubMessage {
        boolean expectsCompletion() {
            return invocationId != null;
        }
    }

    /** Type 2: an item of a stream the client uploads; we never accept uploads, so these are ignored. */
    record StreamItem(String invocationId) implements HubMessage {}

    /** Type 3: the result of a server-to-client invocation; we never ask clients for results, so these are ignored. */
    record Completion(String invocationId) implements HubMessage {}

    /** Type 4: the client asks for a streamed result. */
    record StreamInvocation(String invocationId, String target) implements HubMessage {}

    /** Type 5: cancels an invocation; ours run to completion, and the protocol lets the callee ignore it. */
    record CancelInvocation(String invocationId) implements HubMessage {}

    /** Type 6: keep-alive; receiving anything at all resets the client timeout. */
    record Ping() implements HubMessage {}

    /** Type 7: the client is closing the connection. */
    record Close(String error) implements HubMessage {}

    /** Types 8 (Ack) and 9 (Sequence) belong to stateful reconnect, which we do not offer at negotiate. */
    record StatefulReconnect(int type) implements HubMessage {}
}
