package io.chathub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The methods clients may invoke, and the invocation of one of them turned into its Completion. Names match
 * case-insensitively, as ASP.NET Core's hub dispatcher does, so clients that call "sendMessage" keep working.
 */
final class HubMethods {
    private static final Logger log = LoggerFactory.getLogger(HubMethods.class);

    private record Registered(String name, int argumentCount, HubMethod handler) {}

    private final Map<String, Registered> methods = new ConcurrentHashMap<>();

    void add(String name, int argumentCount, HubMethod handler) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a hub method needs a name");
        if (argumentCount < 0) throw new IllegalArgumentException("argumentCount must be >= 0");
        if (handler == null) throw new IllegalArgumentException("hub method " + name + " needs a handler");
        var added = methods.putIfAbsent(key(name), new Registered(name, argumentCount, handler));
        if (added != null) throw new IllegalArgumentException("hub method " + name + " is already registered");
    }

    /** Runs the invocation; returns its Completion, or null for a non-blocking invocation (no invocation id). */
    Frame invoke(HubConnection connection, HubMessage.Invocation invocation) {
        String error = null;
        Object result = null;
        try {
            result = call(connection, invocation);
        } catch (HubException e) {
            error = e.getMessage();
        } catch (InvocationRefused e) {
            error = e.getMessage();
        } catch (Exception e) {
            log.error("hub method '{}' failed for connection {}", invocation.target(), connection.connectionId(), e);
            error = HubErrors.unexpected(invocation.target());
        }
        if (!invocation.expectsCompletion()) return null;
        if (error != null) return HubProtocol.completionError(invocation.invocationId(), error);
        try {
            return HubProtocol.completionResult(invocation.invocationId(), result);
        } catch (RuntimeException e) {
            log.error("result of hub method '{}' cannot be serialized", invocation.target(), e);
            return HubProtocol.completionError(invocation.invocationId(), HubErrors.unexpected(invocation.target()));
        }
    }

    private Object call(HubConnection connection, HubMessage.Invocation invocation) throws Exception {
        Registered method = methods.get(key(invocation.target()));
        if (method == null) {
            log.debug("unknown hub method '{}' invoked by {}", invocation.target(), connection.connectionId());
            throw new InvocationRefused(HubErrors.unknownMethod(invocation.target()));
        }
        if (invocation.hasStreams()) throw new InvocationRefused(HubErrors.STREAMING_NOT_SUPPORTED);
        List<JsonNode> args = invocation.arguments();
        if (args.size() != method.argumentCount()) {
            throw new InvocationRefused(HubErrors.argumentCount(invocation.target(), args.size(), method.argumentCount()));
        }
        return method.handler().invoke(connection, args);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The hub itself refuses the call before any handler runs. */
    private static final class InvocationRefused extends Exception {
        InvocationRefused(String message) {
            super(message, null, false, false);
        }
    }
}
