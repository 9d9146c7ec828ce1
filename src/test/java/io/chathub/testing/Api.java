package io.chathub.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.web.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP client for one server: {@code api.post("/api/…").bearer(token).json(body).send()}.
 * Bodies are sent as given: a String is sent raw (so tests can send broken JSON), anything else is
 * written with the server's own Jackson mapper.
 */
public final class Api implements AutoCloseable {
    private final URI base;
    private final HttpClient client;
    private final List<Api> derived = new CopyOnWriteArrayList<>();

    /** A client of the server at {@code base}; close it to drop its connections. */
    public Api(URI base) {
        this(base, null);
    }

    private Api(URI base, InetAddress localAddress) {
        this.base = base;
        var builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (localAddress != null) builder.localAddress(localAddress);
        this.client = builder.build();
    }

    public URI base() {
        return base;
    }

    /**
     * The same server seen from another client address, e.g. 127.0.0.7: on Linux the whole 127/8
     * range is loopback, so tests can act as distinct client IPs. Closed with this client.
     */
    public Api from(InetAddress localAddress) {
        Api api = new Api(base, localAddress);
        derived.add(api);
        return api;
    }

    /** Closes the connections (keep-alive ones would otherwise hold up the server's graceful stop). */
    @Override
    public void close() {
        for (Api api : derived) api.close();
        client.close();
    }

    public Call get(String path) {
        return new Call("GET", path);
    }

    public Call post(String path) {
        return new Call("POST", path);
    }

    public Call put(String path) {
        return new Call("PUT", path);
    }

    public Call delete(String path) {
        return new Call("DELETE", path);
    }

    public Call method(String method, String path) {
        return new Call(method, path);
    }

    /** One request being built. */
    public final class Call {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        private boolean expectContinue;

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** {@code Authorization: Bearer <token>}, the token exactly as given (quotes and all). */
        public Call bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        /** {@code X-Authorization-Key: <token>}. */
        public Call key(String token) {
            return header("X-Authorization-Key", token);
        }

        public Call accept(String accept) {
            return header("Accept", accept);
        }

        /** A JSON body: a String is sent verbatim, anything else is serialized. */
        public Call json(Object value) {
            String text = value instanceof String s ? s : Json.write(value);
            headers.putIfAbsent("Content-Type", "application/json");
            body = HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
            return this;
        }

        /** A body of unknown length, sent with chunked transfer encoding (no Content-Length). */
        public Call chunked(byte[] bytes) {
            headers.putIfAbsent("Content-Type", "application/json");
            body = HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes));
            return this;
        }

        /**
         * {@code Expect: 100-continue}: the server may refuse the request (e.g. 413) before the body is sent, as
         * a client uploading something large should do; without it, a refusal while the body is still being sent
         * can reach the client as a broken pipe instead of the answer.
         */
        public Call expectContinue() {
            expectContinue = true;
            return this;
        }

        public Response send() {
            var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).method(method, body)
                    .expectContinue(expectContinue);
            headers.forEach(request::header);
            try {
                HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Response(method + " " + path, r.statusCode(), r.headers(), r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A response: status, headers and the body as text, or parsed as JSON. */
    public record Response(String request, int status, HttpHeaders headers, String text) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public String contentType() {
            return header("Content-Type").orElse("");
        }

        public JsonNode json() {
            try {
                return Json.read(text);
            } catch (JsonProcessingException e) {
                throw new AssertionError(request + " answered " + status + " with a body that is not JSON: " + text, e);
            }
        }

        /** A JSON-string body (such as a token), unwrapped. */
        public String jsonString() {
            JsonNode node = json();
            if (!node.isTextual()) throw new AssertionError(request + " answered " + status + " with no JSON string: " + text);
            return node.textValue();
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + contentType() + " " + text;
        }
    }
}
