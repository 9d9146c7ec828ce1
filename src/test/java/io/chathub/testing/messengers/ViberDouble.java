package io.chathub.testing.messengers;

import io.chathub.channel.Hmac;
import io.chathub.web.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Viber REST bot API as https://developers.viber.com/docs/api/rest-bot-api/ documents it: POST
 * {@code get_account_info}, {@code set_webhook} and {@code send_message} with the {@code X-Viber-Auth-Token} header,
 * answers {@code {status, status_message, …}} (status 0 = ok, 2 invalidAuthToken, …). {@code set_webhook} calls the URL
 * back at once with a signed {@code webhook} event and fails with status 1 invalidUrl unless it answers 200, as Viber
 * does; callbacks carry {@code X-Viber-Content-Signature}, the hex HMAC-SHA256 of the body with the auth token.
 * send_message of a picture, video or file fetches its {@code media} URL, as Viber does.
 */
public final class ViberDouble extends HttpDouble {

    /** A bot account and its webhook. */
    public static final class Account {
        public final String id, name;
        public volatile String webhookUrl;
        public volatile List<String> eventTypes;

        Account(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    /** A message the server sent, with the file fetched from its media URL (null when none or not fetchable). */
    public record Sent(String token, String receiver, String type, String text, String senderName, String media, byte[] file,
                       String fileName, String messageToken) {}

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, byte[]> media = new ConcurrentHashMap<>();
    private final List<Sent> sent = new ArrayList<>();
    private final AtomicLong tokens = new AtomicLong(5_098_034_272_017_990_000L);

    /** A new bot; returns its auth token. */
    public String newAccount(String name) {
        String token = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16) + "-"
                + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        accounts.put(token, new Account("pa:" + Math.abs(token.hashCode()), name));
        return token;
    }

    public Account account(String token) {
        return accounts.get(token);
    }

    public List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** A picture a customer sends: served by the double at a URL, as Viber's media links are. */
    public String media(byte[] data) {
        String id = java.util.UUID.randomUUID().toString();
        media.put(id, data);
        return url() + "/media/" + id;
    }

    @Override
    protected Answer answer(Request r) {
        if ("GET".equals(r.method()) && r.path().startsWith("/media/")) {
            byte[] data = media.get(r.path().substring(7));
            return data == null ? Answer.bytes(404, "text/plain", new byte[0]) : Answer.bytes(200, "image/jpeg", data);
        }
        Account account = accounts.get(r.header("X-Viber-Auth-Token") == null ? "" : r.header("X-Viber-Auth-Token"));
        if (account == null) return status(2, "invalidAuthToken");
        return switch (r.path()) {
            case "/get_account_info" -> {
                var info = new LinkedHashMap<String, Object>();
                info.put("status", 0);
                info.put("status_message", "ok");
                info.put("id", account.id);
                info.put("name", account.name);
                info.put("uri", account.name.toLowerCase().replace(' ', '-'));
                info.put("webhook", account.webhookUrl == null ? "" : account.webhookUrl);
                info.put("subscribers_count", 0);
                yield Answer.json(200, info);
            }
            case "/set_webhook" -> setWebhook(r, account);
            case "/send_message" -> send(r, account);
            default -> Answer.json(404, Map.of("status", 3, "status_message", "badData"));
        };
    }

    private Answer setWebhook(Request r, Account account) {
        var body = r.json();
        String url = body.path("url").asText("");
        if (url.isEmpty()) {
            account.webhookUrl = null;
            return status(0, "ok");
        }
        if (!url.startsWith("https://")) return status(1, "invalidUrl");
        // Viber checks the URL at once: a signed "webhook" event that must be answered 200.
        String token = r.header("X-Viber-Auth-Token");
        var check = Map.of("event", "webhook", "timestamp", System.currentTimeMillis(), "chat_hostname", "SN-CHAT-01_",
                "message_token", tokens.incrementAndGet());
        Reply reply = signedPost(url, token, Json.write(check));
        if (reply.status() != 200) return status(1, "invalidUrl");
        account.webhookUrl = url;
        var types = new ArrayList<String>();
        body.path("event_types").forEach(t -> types.add(t.asText()));
        account.eventTypes = types;
        var ok = new LinkedHashMap<String, Object>();
        ok.put("status", 0);
        ok.put("status_message", "ok");
        ok.put("chat_hostname", "SN-CHAT-01_");
        ok.put("event_types", types);
        return Answer.json(200, ok);
    }

    private Answer send(Request r, Account account) {
        var body = r.json();
        String receiver = body.path("receiver").asText("");
        String type = body.path("type").asText("");
        if (receiver.isEmpty() || type.isEmpty() || body.path("sender").path("name").asText("").isEmpty()) return status(4, "missingData");
        byte[] file = null;
        String link = body.path("media").asText(null);
        if (link != null && List.of("picture", "video", "file").contains(type)) {
            file = fetch(link);
            if (file == null) return status(3, "badData");
        }
        String messageToken = String.valueOf(tokens.incrementAndGet());
        synchronized (sent) {
            sent.add(new Sent(r.header("X-Viber-Auth-Token"), receiver, type, body.path("text").asText(null),
                    body.path("sender").path("name").asText(), link, file, body.path("file_name").asText(null), messageToken));
        }
        var ok = new LinkedHashMap<String, Object>();
        ok.put("status", 0);
        ok.put("status_message", "ok");
        ok.put("message_token", Long.parseLong(messageToken));
        ok.put("chat_hostname", "SN-CHAT-01_");
        return Answer.json(200, ok);
    }

    public static Answer status(int status, String message) {
        return Answer.json(200, Map.of("status", status, "status_message", message, "chat_hostname", "SN-CHAT-01_"));
    }

    // ---- callbacks

    private Reply signedPost(String url, String token, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return post(url, Map.of("X-Viber-Content-Signature", Hmac.sha256Hex(token, body)), body);
    }

    /** Sends a callback event (signed as Viber signs it) to the bot's webhook; returns the server's answer. */
    public Reply callback(String token, Map<String, Object> event) {
        Account account = accounts.get(token);
        if (account.webhookUrl == null) throw new AssertionError("no webhook set for " + account.id);
        var e = new LinkedHashMap<String, Object>();
        e.put("timestamp", System.currentTimeMillis());
        e.put("chat_hostname", "SN-CHAT-01_");
        e.putAll(event);
        return signedPost(account.webhookUrl, token, Json.write(e));
    }

    /** The same event with a signature of someone who does not know the auth token (or none). */
    public Reply forged(String token, Map<String, Object> event, String signature) {
        byte[] body = Json.write(event).getBytes(StandardCharsets.UTF_8);
        return post(accounts.get(token).webhookUrl, signature == null ? Map.of() : Map.of("X-Viber-Content-Signature", signature), body);
    }

    /** A user's message event: {@code message} is Viber's message object ({@code {type:"text", text:"…"}}). */
    public Map<String, Object> message(String userId, String name, Map<String, Object> message) {
        var sender = new LinkedHashMap<String, Object>();
        sender.put("id", userId);
        sender.put("name", name);
        sender.put("language", "uk");
        sender.put("country", "UA");
        sender.put("api_version", 10);
        return Map.of("event", "message", "message_token", tokens.incrementAndGet(), "sender", sender, "message", message);
    }
}
