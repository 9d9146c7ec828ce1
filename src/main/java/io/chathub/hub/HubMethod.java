package io.chathub.hub;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A method clients may invoke on the hub, registered with {@link Hub#method}. It runs on a virtual thread, after
 * the previous invocation of the same connection has finished, so it may block (database, other services).
 *
 * <p>The arguments are the invocation's JSON values, already checked to be as many as registered; convert them with
 * {@code io.chathub.web.Json.MAPPER}. The return value is serialized as the Completion's {@code result} (null sends a
 * Completion without a result, as for a void method). Throw {@link HubException} to answer with an error message.
 */
@FunctionalInterface
public interface HubMethod {
    Object invoke(HubConnection connection, List<JsonNode> arguments) throws Exception;
}
