package io.chathub.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonElement;
import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.HubConnectionState;
import io.chathub.web.Json;
import io.reactivex.rxjava3.core.Single;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The official Microsoft SignalR Java client connected to a server's {@code /chathub}, recording every
 * server → client event of SPEC §3 in arrival order. Tests wait for events with deadlines
 * ({@link #await}), never with sleeps.
 *
 * <p>{@link #connect} returns only once the server has run its "connected" listeners for the connection
 * (presence: the operator counts as online for routing): it makes one invocation round trip, and the hub
 * runs those listeners before any invocation of the connection.
 */
public final class HubClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);

    /** Events with one argument (a chat or a message). */
    private static final List<String> ONE_ARGUMENT = List.of("ChatCreated", "ReceiveMessage", "ReceiveMediaMessage", "ChatAssigned", "ChatRated");
    /** Events with two arguments ((chatId, status), (messageId, status), (chatId, author)). */
    private static final List<String> TWO_ARGUMENTS = List.of("ChatStatusChanged", "MessageStatusChanged", "Typing");

    /** One event as received: the client method invoked and its arguments. */
    public record Event(String target, List<JsonNode> args) {
        public JsonNode arg(int i) {
            return args.get(i);
        }

        /** The first argument's {@code id} (ChatCreated, ChatAssigned: chat id; Receive*Message: message id) or the first argument. */
        public long id() {
            JsonNode first = args.getFirst();
            return first.isObject() ? first.path("id").asLong() : first.asLong();
        }

        /** The chat the event is about. */
        public long chatId() {
            JsonNode first = args.getFirst();
            return switch (target) {
                case "ReceiveMessage", "ReceiveMediaMessage" -> first.path("chatId").asLong();
                case "ChatCreated", "ChatAssigned" -> first.path("id").asLong();
                case "ChatStatusChanged", "Typing" -> first.asLong();
                default -> throw new IllegalStateException(target + " names no chat");
            };
        }

        @Override
        public String toString() {
            return target + args;
        }
    }

    private final String name;
    private final HubConnection connection;
    private final List<Event> received = new ArrayList<>();
    private final CompletableFuture<Exception> closed = new CompletableFuture<>();

    private HubClient(String name, HubConnection connection) {
        this.name = name;
        this.connection = connection;
    }

    /** Connects to {@code <base>/chathub} with the token (negotiating first, as browsers do by default). */
    public static HubClient connect(URI base, String token) {
        return connect(base, token, "hub client");
    }

    public static HubClient connect(URI base, String token, String name) {
        HubConnection c = HubConnectionBuilder.create(base.resolve("/chathub").toString())
                .withAccessTokenProvider(Single.just(token)).build();
        var client = new HubClient(name, c);
        for (String target : ONE_ARGUMENT) {
            c.on(target, (JsonElement a) -> client.record(target, a), JsonElement.class);
        }
        for (String target : TWO_ARGUMENTS) {
            c.on(target, (JsonElement a, JsonElement b) -> client.record(target, a, b), JsonElement.class, JsonElement.class);
        }
        c.onClosed(e -> client.closed.complete(e));
        if (!c.start().blockingAwait(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not connect within " + WAIT);
        }
        if (c.getConnectionState() != HubConnectionState.CONNECTED) throw new AssertionError(name + " is not connected");
        client.syncWithServer();
        return client;
    }

    /** One invocation round trip (Typing of chat 0, refused): the server's connected listeners have run after it. */
    private void syncWithServer() {
        try {
            connection.invoke("Typing", 0).blockingAwait(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (com.microsoft.signalr.HubException expected) {
            return;
        }
        throw new AssertionError("Typing(0) was expected to fail");
    }

    private void record(String target, JsonElement... args) {
        List<JsonNode> values = new ArrayList<>(args.length);
        for (JsonElement a : args) values.add(toJackson(a));
        synchronized (received) {
            received.add(new Event(target, List.copyOf(values)));
            received.notifyAll();
        }
    }

    private static JsonNode toJackson(JsonElement element) {
        try {
            return Json.read(element == null ? "null" : element.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Invokes a hub method that answers with a value; a completion error is thrown as {@link com.microsoft.signalr.HubException}. */
    public JsonNode invoke(String method, Object... args) {
        JsonElement result = connection.invoke(JsonElement.class, method, args)
                .timeout(WAIT.toSeconds(), TimeUnit.SECONDS).blockingGet();
        return toJackson(result);
    }

    /** Invokes a hub method that answers with no value. */
    public void call(String method, Object... args) {
        if (!connection.invoke(method, args).blockingAwait(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(method + " got no completion within " + WAIT);
        }
    }

    /** The error message of an invocation that must fail. */
    public String failure(String method, Object... args) {
        try {
            connection.invoke(JsonElement.class, method, args).timeout(WAIT.toSeconds(), TimeUnit.SECONDS).blockingGet();
        } catch (com.microsoft.signalr.HubException e) {
            return e.getMessage();
        }
        throw new AssertionError(method + " succeeded but was expected to fail");
    }

    /** Everything received so far, in arrival order. */
    public List<Event> events() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Everything received so far with this target, in arrival order. */
    public List<Event> events(String target) {
        return events().stream().filter(e -> e.target().equals(target)).toList();
    }

    /** The first event (received so far or within {@link #WAIT}) with this target that matches; fails when none comes. */
    public Event await(String target, Predicate<Event> match) {
        return awaitMatching(e -> e.target().equals(target) && match.test(e), WAIT, target);
    }

    /** The first event with this target about this chat. */
    public Event awaitChat(String target, long chatId) {
        return await(target, e -> e.chatId() == chatId);
    }

    /** Waits until at least {@code n} events with this target have come; returns all of them. */
    public List<Event> awaitCount(String target, int n) {
        return awaitCount(target, n, WAIT);
    }

    public List<Event> awaitCount(String target, int n, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (received) {
            while (true) {
                List<Event> matching = received.stream().filter(e -> e.target().equals(target)).toList();
                if (matching.size() >= n) return matching;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + " got " + matching.size() + " " + target + " events, expected " + n
                            + " within " + wait);
                }
                waitOn(left);
            }
        }
    }

    private Event awaitMatching(Predicate<Event> match, Duration wait, String what) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (received) {
            while (true) {
                for (Event e : received) if (match.test(e)) return e;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + " got no matching " + what + " within " + wait + "; received: " + received);
                }
                waitOn(left);
            }
        }
    }

    private void waitOn(long nanos) {
        try {
            received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public boolean isConnected() {
        return connection.getConnectionState() == HubConnectionState.CONNECTED;
    }

    /** The error the connection was closed with (null for a clean close); fails when it is not closed within {@link #WAIT}. */
    public Exception awaitClosed() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + " was not closed within " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (connection.getConnectionState() != HubConnectionState.DISCONNECTED) {
            connection.stop().blockingAwait(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
