package io.chathub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chathub.web.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An integrator's webhook endpoint for the tests: the JDK's HTTP server on a random loopback port that records every
 * request and answers as it is told — a status, or a status after a delay (longer than the server's timeout: an
 * attempt that times out). It verifies signatures the way a receiver would ({@link #verify}).
 */
public final class WebhookReceiver implements AutoCloseable {
    /** How the receiver answers one request. */
    public record Answer(int status, Duration delay) {
        public static Answer status(int status) {
            return new Answer(status, Duration.ZERO);
        }

        /** Answers only after {@code delay}: longer than the server's webhook timeout, the attempt times out. */
        public static Answer late(Duration delay) {
            return new Answer(200, delay);
        }
    }

    /** A request as it arrived, and how it was answered. Header names are lower case. */
    public record Request(String path, Map<String, String> headers, byte[] body, Instant at, Answer answer) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String event() {
            return header("X-ChatHub-Event");
        }

        public String deliveryId() {
            return header("X-ChatHub-Delivery");
        }

        /** Answered 2xx at once: a delivery that succeeded (a late answer came after the sender gave up). */
        public boolean succeeded() {
            return answer.status() / 100 == 2 && answer.delay().isZero();
        }
    }

    private final HttpServer http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Request> requests = new ArrayList<>();
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private volatile java.util.function.Function<Request, Answer> otherwise = r -> Answer.status(200);

    private WebhookReceiver(HttpServer http) {
        this.http = http;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            WebhookReceiver r = new WebhookReceiver(http);
            http.createContext("/", r::handle);
            http.setExecutor(r.executor);
            http.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>/hooks}. */
    public String url() {
        return url("127.0.0.1");
    }

    /** The endpoint under another host name or address, e.g. {@code localhost}. */
    public String url(String host) {
        return "http://" + host + ":" + http.getAddress().getPort() + "/hooks";
    }

    /** The next requests are answered so, in order; then as {@link #otherwise}. */
    public WebhookReceiver then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** How every request is answered once the script has run out (200 until told otherwise). */
    public WebhookReceiver otherwise(Answer answer) {
        otherwise = r -> answer;
        return this;
    }

    /** Answers each request (once the script has run out) as {@code answer} decides from it (recorded without its answer). */
    public WebhookReceiver otherwise(java.util.function.Function<Request, Answer> answer) {
        otherwise = answer;
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            Answer answer = script.poll();
            if (answer == null) answer = otherwise.apply(new Request(ex.getRequestURI().toString(), headers, body, Instant.now(), null));
            synchronized (requests) {
                requests.add(new Request(ex.getRequestURI().toString(), headers, body, Instant.now(), answer));
                requests.notifyAll();
            }
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay());
                } catch (InterruptedException e) {
                    return;
                }
            }
            byte[] out = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(answer.status(), out.length);
            ex.getResponseBody().write(out);
        } catch (IOException e) {
            // the sender gave up on a late answer and closed the connection
        }
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Waits until at least {@code n} requests have arrived; fails (saying what came) after {@code timeout}. */
    public List<Request> await(int n, Duration timeout) {
        return awaitMatching(r -> true, n, timeout);
    }

    /** Waits until at least {@code n} requests that match have arrived; returns those. */
    public List<Request> awaitMatching(Predicate<Request> filter, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (true) {
                List<Request> matching = requests.stream().filter(filter).toList();
                if (matching.size() >= n) return matching;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " webhook requests within " + timeout + ", got " + matching.size()
                            + ": " + requests.stream().map(r -> r.event() + " " + r.deliveryId()).toList());
                }
                try {
                    requests.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /**
     * True when the request carries a valid signature for {@code secret}, checked as a receiver should: the HMAC-SHA256
     * of {@code timestamp + "." + raw body}, compared in constant time, and a timestamp within five minutes of now.
     */
    public static boolean verify(Request r, String secret) {
        String timestamp = r.header("X-ChatHub-Timestamp");
        String signature = r.header("X-ChatHub-Signature");
        if (timestamp == null || signature == null || !timestamp.matches("[0-9]{1,12}")) return false;
        if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body()));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
