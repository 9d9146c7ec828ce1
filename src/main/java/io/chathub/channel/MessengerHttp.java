package io.chathub.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.chathub.web.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * HTTP for the messengers' APIs: JSON calls, multipart uploads, bounded downloads. Requests time out (connect 5 s,
 * answer {@link #TIMEOUT}), so a send never holds its outbox row longer than the sender's lease. Nothing here logs:
 * URLs may carry secrets (Telegram's bot token is in the path), so errors are described by {@link #describe}.
 */
public final class MessengerHttp {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** An answer: status, body as text and as JSON (a missing node when it is not JSON), and a header lookup. */
    public record Response(int status, String text, JsonNode json, java.net.http.HttpHeaders headers) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The {@code Retry-After} header in seconds, when it gives one. */
        public Duration retryAfter() {
            return header("Retry-After").map(String::strip).filter(s -> s.matches("[0-9]{1,6}"))
                    .map(s -> Duration.ofSeconds(Long.parseLong(s))).orElse(null);
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    public Response get(String url, Map<String, String> headers) throws IOException {
        return send(request(url, headers).GET().build());
    }

    public Response postJson(String url, Map<String, String> headers, Object body) throws IOException {
        String json = body instanceof String s ? s : Json.write(body);
        return send(request(url, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    /** A multipart/form-data POST: text fields and one file field. */
    public Response postMultipart(String url, Map<String, String> headers, Map<String, String> fields, String fileField,
                                  Messenger.File file) throws IOException {
        String boundary = "chathub-" + UUID.randomUUID();
        var out = new ByteArrayOutputStream();
        for (var f : fields.entrySet()) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
                + file.name().replace("\"", "_").replace("\r", "_").replace("\n", "_") + "\"\r\nContent-Type: "
                + file.contentType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(Files.readAllBytes(file.path()));
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request(url, headers).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build());
    }

    /** GETs a file of at most {@code maxBytes}; throws {@link TooLarge} beyond, and IOException for a non-2xx answer. */
    public byte[] download(String url, Map<String, String> headers, long maxBytes) throws IOException {
        HttpResponse<InputStream> r;
        try {
            r = client.send(request(url, headers).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try (InputStream in = r.body()) {
            if (r.statusCode() < 200 || r.statusCode() >= 300) throw new IOException("download answered " + r.statusCode());
            long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > maxBytes) throw new TooLarge();
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (data.length > maxBytes) throw new TooLarge();
            return data;
        }
    }

    /** A file larger than the media limit. */
    public static final class TooLarge extends IOException {
        public TooLarge() {
            super("file too large", null);
        }
    }

    private static HttpRequest.Builder request(String url, Map<String, String> headers) {
        var b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        headers.forEach(b::header);
        return b;
    }

    private Response send(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), parse(r.body()), r.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) return MissingNode.getInstance();
        try {
            JsonNode n = Json.read(text);
            return n == null ? MissingNode.getInstance() : n;
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /** A network error in words fit for a log or a message's reason: its kind, with any secret of the channel masked. */
    public static String describe(IOException e, Messenger.Credentials credentials) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return redact(text, credentials);
    }

    /** {@code text} with every credential value in it replaced by {@code ***}. */
    public static String redact(String text, Messenger.Credentials credentials) {
        if (text == null) return null;
        String out = text;
        if (credentials != null) {
            for (String secret : credentials.values().values()) {
                if (secret != null && secret.length() >= 4) out = out.replace(secret, "***");
            }
        }
        return out;
    }
}
