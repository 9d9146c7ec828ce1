package io.chathub.testing.messengers;

import io.chathub.channel.Hmac;
import io.chathub.web.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The WhatsApp Cloud API (Graph API) as Meta documents it: {@code GET /{phone-number-id}} (Bearer access token),
 * {@code POST /{phone-number-id}/messages} answering {@code {messaging_product, contacts, messages:[{id}]}} or a Graph
 * error {@code {error:{message, type, code, error_data, fbtrace_id}}}, {@code GET /{media-id}} with the file's
 * {@code url}, which itself needs the Bearer token. Files the server sends as {@code link} are fetched. Callbacks are
 * the Meta app's: the GET verification handshake and POSTs signed with {@code X-Hub-Signature-256}.
 */
public final class WhatsAppDouble extends HttpDouble {

    /** A business phone number with its access token. */
    public record Number(String id, String accessToken, String verifiedName, String display) {}

    /** A message the server sent, with a linked file as fetched. */
    public record Sent(String phoneNumberId, String to, String type, String text, String link, byte[] file, String id) {}

    private final Map<String, Number> numbers = new ConcurrentHashMap<>();
    private final Map<String, byte[]> media = new ConcurrentHashMap<>();
    private final List<Sent> sent = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(1);
    private static final AtomicLong NUMBER_IDS = new AtomicLong(106_540_352_242_922L);

    public Number newNumber(String verifiedName) {
        String id = String.valueOf(NUMBER_IDS.incrementAndGet());
        var n = new Number(id, "EAAG" + java.util.UUID.randomUUID().toString().replace("-", ""), verifiedName, "+1 555 0100");
        numbers.put(id, n);
        return n;
    }

    public List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** A file a customer sent, kept by the Cloud API; returns its media id. */
    public String media(byte[] data) {
        String id = String.valueOf(9_000_000 + ids.incrementAndGet());
        media.put(id, data);
        return id;
    }

    @Override
    protected Answer answer(Request r) {
        String path = r.path();
        if (path.startsWith("/media-file/")) {
            if (!authorized(r)) return error(401, 190, "Invalid OAuth access token.");
            byte[] data = media.get(path.substring(12));
            return data == null ? error(404, 100, "Unsupported get request.") : Answer.bytes(200, "image/jpeg", data);
        }
        String[] parts = path.substring(1).split("/");
        if (!authorized(r)) return error(401, 190, "Invalid OAuth access token - Cannot parse access token");
        if ("GET".equals(r.method()) && parts.length == 1 && media.containsKey(parts[0])) {
            byte[] data = media.get(parts[0]);
            return Answer.json(200, Map.of("messaging_product", "whatsapp", "url", url() + "/media-file/" + parts[0],
                    "mime_type", "image/jpeg", "sha256", "x", "file_size", data.length, "id", parts[0]));
        }
        Number number = numbers.get(parts[0]);
        if (number == null || !number.accessToken().equals(bearer(r))) {
            return error(400, 100, "Unsupported request - method type: " + r.method().toLowerCase());
        }
        if ("GET".equals(r.method()) && parts.length == 1) {
            return Answer.json(200, Map.of("verified_name", number.verifiedName(), "display_phone_number", number.display(),
                    "id", number.id(), "quality_rating", "GREEN"));
        }
        if ("POST".equals(r.method()) && parts.length == 2 && parts[1].equals("messages")) return send(r, number);
        return error(400, 100, "Unsupported request");
    }

    private static String bearer(Request r) {
        String a = r.header("Authorization");
        return a != null && a.startsWith("Bearer ") ? a.substring(7) : null;
    }

    private boolean authorized(Request r) {
        String token = bearer(r);
        return token != null && numbers.values().stream().anyMatch(n -> n.accessToken().equals(token));
    }

    private Answer send(Request r, Number number) {
        var body = r.json();
        if (!"whatsapp".equals(body.path("messaging_product").asText())) return error(400, 100, "The parameter messaging_product is required.");
        String to = body.path("to").asText("");
        String type = body.path("type").asText("text");
        String text = "text".equals(type) ? body.path("text").path("body").asText(null) : body.path(type).path("caption").asText(null);
        String link = body.path(type).path("link").asText(null);
        byte[] file = null;
        if (link != null) {
            file = fetch(link);
            if (file == null) return error(400, 131053, "Media upload error");
        }
        String id = "wamid.HBgL" + ids.incrementAndGet();
        synchronized (sent) {
            sent.add(new Sent(number.id(), to, type, text, link, file, id));
        }
        return Answer.json(200, Map.of("messaging_product", "whatsapp", "contacts", List.of(Map.of("input", to, "wa_id", to)),
                "messages", List.of(Map.of("id", id))));
    }

    /** A Graph API error answer. */
    public static Answer error(int status, int code, String message) {
        var e = new LinkedHashMap<String, Object>();
        e.put("message", message);
        e.put("type", "OAuthException");
        e.put("code", code);
        e.put("error_data", Map.of("messaging_product", "whatsapp", "details", message));
        e.put("fbtrace_id", "Az8or2yhqkZfEZ-_4Qn_Bam");
        return Answer.json(status, Map.of("error", e));
    }

    // ---- the Meta app's callbacks

    /** The verification handshake Meta makes when the callback URL is saved in the app. */
    public Reply verify(String callbackUrl, String verifyToken, String challenge) {
        return get(callbackUrl + "?hub.mode=subscribe&hub.verify_token=" + java.net.URLEncoder.encode(verifyToken, StandardCharsets.UTF_8)
                + "&hub.challenge=" + challenge);
    }

    /** A notification with a customer's message, signed with the app secret. */
    public Reply message(String callbackUrl, String appSecret, Number number, String waId, String name, Map<String, Object> message) {
        var m = new LinkedHashMap<String, Object>();
        m.put("from", waId);
        m.put("id", "wamid.IN" + ids.incrementAndGet());
        m.put("timestamp", String.valueOf(Instant.now().getEpochSecond()));
        m.putAll(message);
        var value = new LinkedHashMap<String, Object>();
        value.put("messaging_product", "whatsapp");
        value.put("metadata", Map.of("display_phone_number", "15550100", "phone_number_id", number.id()));
        value.put("contacts", List.of(Map.of("profile", Map.of("name", name), "wa_id", waId)));
        value.put("messages", List.of(m));
        return notify(callbackUrl, appSecret, value);
    }

    /** A notification with a status of a message the server sent. */
    public Reply status(String callbackUrl, String appSecret, Number number, String wamid, String recipient, String status) {
        var s = new LinkedHashMap<String, Object>();
        s.put("id", wamid);
        s.put("status", status);
        s.put("timestamp", String.valueOf(Instant.now().getEpochSecond()));
        s.put("recipient_id", recipient);
        if ("failed".equals(status)) {
            s.put("errors", List.of(Map.of("code", 131026, "title", "Message undeliverable", "message", "Message undeliverable",
                    "error_data", Map.of("details", "Message Undeliverable."))));
        }
        var value = new LinkedHashMap<String, Object>();
        value.put("messaging_product", "whatsapp");
        value.put("metadata", Map.of("display_phone_number", "15550100", "phone_number_id", number.id()));
        value.put("statuses", List.of(s));
        return notify(callbackUrl, appSecret, value);
    }

    public Reply notify(String callbackUrl, String appSecret, Map<String, Object> value) {
        byte[] body = body(value);
        return post(callbackUrl, Map.of("X-Hub-Signature-256", "sha256=" + Hmac.sha256Hex(appSecret, body)), body);
    }

    /** A notification signed with another secret, or not at all. */
    public Reply forged(String callbackUrl, Map<String, Object> value, String signature) {
        return post(callbackUrl, signature == null ? Map.of() : Map.of("X-Hub-Signature-256", signature), body(value));
    }

    private static byte[] body(Map<String, Object> value) {
        var change = Map.of("value", value, "field", "messages");
        var entry = Map.of("id", "102290129340398", "changes", List.of(change));
        return Json.write(Map.of("object", "whatsapp_business_account", "entry", List.of(entry))).getBytes(StandardCharsets.UTF_8);
    }

    public Map<String, Object> textMessage(String text) {
        return Map.of("type", "text", "text", Map.of("body", text));
    }

    /** A message object whose timestamp is {@code at} (an old message, for the 24-hour window). */
    public static Map<String, Object> at(Map<String, Object> message, Instant at) {
        var m = new LinkedHashMap<>(message);
        m.put("timestamp", String.valueOf(at.getEpochSecond()));
        return m;
    }
}
