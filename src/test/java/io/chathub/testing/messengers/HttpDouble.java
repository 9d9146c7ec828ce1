package io.chathub.testing.messengers;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chathub.web.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A local stand-in for a messenger's HTTP API, on a JDK {@link HttpServer} at a random loopback port: it answers what
 * the messenger's documentation says it answers, records every request, can be told to fail the next calls of a
 * method (429 with retry_after, 5xx, a permanent error) and to answer slowly, and calls the server back the way the
 * messenger does. The server's {@code CHATHUB_PUBLIC_URL} is a made-up https URL; the double sends to the real test
 * server whatever the server registered under that URL ({@link #route}).
 */
public abstract class HttpDouble implements AutoCloseable {

    /** A request as received: headers by lower-case name; {@code nanos}: System.nanoTime() when it came. */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body,
                          long nanos) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The parts of a multipart/form-data body, by name. */
        public Map<String, Part> parts() {
            return Multipart.parse(header("Content-Type"), body);
        }
    }

    /** One part of a multipart body. */
    public record Part(String name, String filename, String contentType, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** An answer to give. */
    public record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        public static Answer json(int status, Object body) {
            return new Answer(status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8), Map.of());
        }

        public static Answer bytes(int status, String contentType, byte[] body) {
            return new Answer(status, contentType, body, Map.of());
        }

        public Answer withHeader(String name, String value) {
            var h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Answer(status, contentType, body, h);
        }
    }

    private record Scripted(String pathEnd, Answer answer) {}

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Scripted> scripted = new ArrayDeque<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile String publicUrl;
    private volatile URI target;
    protected final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    protected HttpDouble() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The API's base URL, for the server's configuration. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Calls back to URLs under {@code publicUrl} go to {@code server} instead (the test server's real address). */
    public void route(String publicUrl, URI server) {
        this.publicUrl = publicUrl;
        this.target = server;
    }

    /** Every answer waits this long first (a messenger far away). */
    public void latency(Duration d) {
        latency = d;
    }

    /** The next call whose path ends with {@code pathEnd} gets this answer instead of the normal one (once). */
    public void failNext(String pathEnd, Answer answer) {
        synchronized (scripted) {
            scripted.add(new Scripted(pathEnd, answer));
        }
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<Request> requests(Predicate<Request> match) {
        return requests().stream().filter(match).toList();
    }

    public List<Request> requestsTo(String pathEnd) {
        return requests(r -> r.path().endsWith(pathEnd));
    }

    /** Waits up to {@code wait} until {@code n} recorded requests match; returns them. */
    public List<Request> await(Predicate<Request> match, int n, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (requests) {
            while (true) {
                List<Request> found = requests.stream().filter(match).toList();
                if (found.size() >= n) return found;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError(getClass().getSimpleName() + " got " + found.size() + " matching requests, expected "
                        + n + " within " + wait + "; all: " + requests.stream().map(r -> r.method() + " " + r.path()).toList());
                try {
                    requests.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    public void clear() {
        synchronized (requests) {
            requests.clear();
        }
        synchronized (scripted) {
            scripted.clear();
        }
    }

    /** The normal answer to a request. */
    protected abstract Answer answer(Request request) throws IOException;

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
            var request = new Request(x.getRequestMethod(), x.getRequestURI().getRawPath(), query(x.getRequestURI().getRawQuery()),
                    headers, body, System.nanoTime());
            synchronized (requests) {
                requests.add(request);
                requests.notifyAll();
            }
            Duration wait = latency;
            if (!wait.isZero()) Thread.sleep(wait);
            Answer answer = null;
            synchronized (scripted) {
                for (var it = scripted.iterator(); it.hasNext(); ) {
                    Scripted s = it.next();
                    if (request.path().endsWith(s.pathEnd())) {
                        answer = s.answer();
                        it.remove();
                        break;
                    }
                }
            }
            if (answer == null) answer = answer(request);
            answer.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
            if (answer.contentType() != null) x.getResponseHeaders().add("Content-Type", answer.contentType());
            x.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            byte[] msg = ("double failed: " + e).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(500, msg.length);
            x.getResponseBody().write(msg);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(k, v);
        }
        return q;
    }

    // ---- calling the server back

    /** A response of the server to a callback. */
    public record Reply(int status, String body, String contentType) {}

    /** The test server's address for a URL the server registered under its public URL. */
    protected URI resolve(String registeredUrl) {
        if (publicUrl == null || target == null) throw new IllegalStateException("route(publicUrl, server) first");
        if (!registeredUrl.startsWith(publicUrl + "/")) {
            throw new AssertionError("the server registered " + registeredUrl + ", not a URL under its public URL " + publicUrl);
        }
        return target.resolve(registeredUrl.substring(publicUrl.length()));
    }

    /** POSTs {@code body} to the server at {@code registeredUrl} (a webhook) with these headers. */
    protected Reply post(String registeredUrl, Map<String, String> headers, byte[] body) {
        var b = HttpRequest.newBuilder(resolve(registeredUrl)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    /** GETs {@code registeredUrl} from the server. */
    protected Reply get(String registeredUrl) {
        return send(HttpRequest.newBuilder(resolve(registeredUrl)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** GETs a file the server linked to; null when it is not 200. */
    protected byte[] fetch(String registeredUrl) {
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(resolve(registeredUrl)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
    }

    /** A small multipart/form-data parser (what the server sends: text fields and one file). */
    static final class Multipart {
        static Map<String, Part> parse(String contentType, byte[] body) {
            Map<String, Part> parts = new LinkedHashMap<>();
            if (contentType == null || !contentType.contains("boundary=")) return parts;
            String boundary = "--" + contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", "").strip();
            byte[] sep = boundary.getBytes(StandardCharsets.ISO_8859_1);
            int pos = indexOf(body, sep, 0);
            while (pos >= 0) {
                int start = pos + sep.length;
                if (start + 2 <= body.length && body[start] == '-' && body[start + 1] == '-') break;
                start += 2; // CRLF
                int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
                int next = indexOf(body, ("\r\n" + boundary).getBytes(StandardCharsets.ISO_8859_1), headerEnd);
                if (headerEnd < 0 || next < 0) break;
                String head = new String(body, start, headerEnd - start, StandardCharsets.UTF_8);
                byte[] data = java.util.Arrays.copyOfRange(body, headerEnd + 4, next);
                String name = attr(head, "name"), filename = attr(head, "filename"), type = null;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) type = line.substring(13).strip();
                }
                parts.put(name, new Part(name, filename, type, data));
                pos = next + 2;
            }
            return parts;
        }

        private static String attr(String head, String name) {
            int i = head.indexOf("; " + name + "=\"");
            if (i < 0) return null;
            int s = i + name.length() + 4;
            return head.substring(s, head.indexOf('"', s));
        }

        private static int indexOf(byte[] data, byte[] pattern, int from) {
            outer:
            for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
                for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
                return i;
            }
            return -1;
        }
    }
}
