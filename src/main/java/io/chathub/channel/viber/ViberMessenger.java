package io.chathub.channel.viber;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.channel.Channel;
import io.chathub.channel.Hmac;
import io.chathub.channel.Messenger;
import io.chathub.channel.MessengerHttp;
import io.chathub.chat.Enums;
import io.chathub.web.ApiException;
import io.chathub.web.Json;
import io.chathub.web.JsonBody;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Viber REST bot API (https://developers.viber.com/docs/api/rest-bot-api/), at {@code CHATHUB_VIBER_API_URL}:
 * {@code get_account_info} checks the auth token, {@code set_webhook} points the bot at the channel's webhook (Viber
 * calls it back at once, signed, to check it), every callback's {@code X-Viber-Content-Signature} is the hex
 * HMAC-SHA256 of the raw body keyed with the auth token; replies go with {@code send_message} and the
 * {@code X-Viber-Auth-Token} header. Source 1 ViberBot.
 */
public final class ViberMessenger implements Messenger {
    static final int MAX_TEXT = 7000, MAX_PICTURE_TEXT = 120, MAX_SENDER_NAME = 28;
    static final long MAX_PICTURE_BYTES = 1024 * 1024;
    static final List<String> EVENTS = List.of("delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started");
    /** Viber's error statuses a later try may get past: 12 too many requests (100 per user and hour without a reply). */
    private static final Set<Integer> RETRY = Set.of(12);

    private final String api;
    private final MessengerHttp http;
    private final long maxDownload;

    public ViberMessenger(String apiUrl, MessengerHttp http, long maxDownload) {
        this.api = apiUrl;
        this.http = http;
        this.maxDownload = maxDownload;
    }

    @Override
    public String type() {
        return "viber";
    }

    @Override
    public int source() {
        return Enums.Source.VIBER_BOT;
    }

    /** Viber documents 500 requests per 10 s for broadcasts and none lower for send_message: 40/s stays well under it. */
    @Override
    public double sendsPerSecond() {
        return 40;
    }

    @Override
    public Credentials credentials(JsonBody body, boolean required) {
        if (!required && !body.has("authToken")) return null;
        String token = body.requiredText("authToken", 200).strip();
        if (!token.matches("[A-Za-z0-9-]{10,200}")) {
            throw ApiException.badRequest("authToken", "Field 'authToken' must be the bot's token from the Viber admin panel");
        }
        return new Credentials(Map.of("authToken", token));
    }

    private Map<String, String> auth(Credentials c) {
        return Map.of("X-Viber-Auth-Token", c.get("authToken"));
    }

    @Override
    public Account verify(Credentials credentials) {
        JsonNode r = call(credentials, "get_account_info", Map.of());
        if (r.path("status").asInt(-1) != 0) throw ApiException.badRequest("authToken", "Viber refused the auth token: " + message(r));
        return new Account(r.path("name").asText("Viber bot"), r.path("id").asText(null));
    }

    @Override
    public Credentials register(Channel channel, Credentials credentials, String url) {
        var body = new LinkedHashMap<String, Object>();
        body.put("url", url);
        body.put("event_types", EVENTS);
        body.put("send_name", true);
        body.put("send_photo", false);
        JsonNode r = call(credentials, "set_webhook", body);
        if (r.path("status").asInt(-1) != 0) throw ApiException.badRequest("Viber refused set_webhook: " + message(r));
        return credentials;
    }

    @Override
    public void unregister(Channel channel, Credentials credentials) {
        call(credentials, "set_webhook", Map.of("url", ""));
    }

    /** A call made while a request waits: 502 when Viber cannot be reached or fails. */
    private JsonNode call(Credentials c, String method, Object body) {
        try {
            MessengerHttp.Response r = http.postJson(api + "/" + method, auth(c), body);
            if (!r.ok()) throw ApiException.badGateway("Viber answered " + method + " with HTTP " + r.status());
            return r.json();
        } catch (IOException e) {
            throw ApiException.badGateway("Viber could not be reached (" + method + "): " + MessengerHttp.describe(e, c));
        }
    }

    private static String message(JsonNode r) {
        return r.path("status_message").asText("status " + r.path("status").asText("?"));
    }

    // ---- callbacks

    @Override
    public Callback parse(Channel channel, Credentials credentials, WebhookRequest request) {
        String signature = request.header("X-Viber-Content-Signature");
        if (!"POST".equals(request.method()) || signature == null
                || !Hmac.equal(Hmac.sha256Hex(credentials.get("authToken"), request.body()), signature.strip().toLowerCase(Locale.ROOT))) {
            throw new Unauthorized("missing or wrong X-Viber-Content-Signature");
        }
        JsonNode e;
        try {
            e = Json.MAPPER.readTree(request.body());
        } catch (IOException ex) {
            throw ApiException.badRequest("body", "The callback is not JSON");
        }
        if (e == null) return new Callback(List.of(), null);
        String token = e.path("message_token").asText("");
        List<Inbound> events = new ArrayList<>();
        switch (e.path("event").asText("")) {
            case "message" -> events.add(message("vb:" + token, e.path("sender"), e.path("message"), e.path("timestamp").asLong(0)));
            case "seen" -> events.add(new Inbound.Status(token, Enums.MessageStatus.READ, null));
            case "delivered" -> events.add(new Inbound.Status(token, Enums.MessageStatus.SUCCESS, null));
            case "failed" -> events.add(new Inbound.Status(token, Enums.MessageStatus.REJECTED,
                    "Viber: " + e.path("desc").asText("failed")));
            case "subscribed" -> events.add(new Inbound.Subscribed(e.path("user").path("id").asText(), customer(e.path("user"))));
            case "unsubscribed" -> events.add(new Inbound.Unsubscribed(e.path("user_id").asText()));
            case "conversation_started" -> events.add(new Inbound.Started(e.path("user").path("id").asText(), customer(e.path("user"))));
            default -> { } // "webhook": Viber checking the URL; "client_status" and the like
        }
        return new Callback(events, null);
    }

    private static Customer customer(JsonNode user) {
        String name = user.path("name").asText("");
        return new Customer(user.path("id").asText(), name.isBlank() ? null : name, null);
    }

    private static Inbound.Message message(String key, JsonNode sender, JsonNode m, long timestamp) {
        String type = m.path("type").asText("");
        String text = m.hasNonNull("text") ? m.path("text").asText() : null;
        MediaRef media = null;
        String fallback = "[file]";
        switch (type) {
            case "picture" -> {
                media = new MediaRef(m.path("media").asText(), m.path("file_name").asText("picture.jpg"), null, size(m), "picture");
                fallback = "[picture]";
            }
            case "video" -> {
                media = new MediaRef(m.path("media").asText(), m.path("file_name").asText("video.mp4"), null, size(m), "video");
                fallback = "[video]";
            }
            case "file" -> {
                String name = m.path("file_name").asText("file");
                media = new MediaRef(m.path("media").asText(), name, null, size(m), "file");
                fallback = "[file: " + name + "]";
            }
            case "sticker" -> text = "[sticker]";
            case "contact" -> text = "[contact] " + (m.path("contact").path("name").asText("") + " "
                    + m.path("contact").path("phone_number").asText("")).strip();
            case "location" -> text = "[location] " + m.path("location").path("lat").asText() + ", " + m.path("location").path("lon").asText();
            case "url" -> text = m.path("media").asText(text == null ? "" : text);
            case "text" -> { }
            default -> { if (text == null) text = "[a Viber message of a kind ChatHub does not show]"; }
        }
        if (media != null && (media.ref() == null || media.ref().isBlank())) media = null;
        String peer = sender.path("id").asText();
        return new Inbound.Message(key, peer, customer(sender), text, media, fallback, timestamp);
    }

    private static Long size(JsonNode m) {
        return m.path("size").canConvertToLong() ? m.path("size").asLong() : null;
    }

    @Override
    public Download download(Credentials credentials, MediaRef media) throws IOException {
        byte[] data = http.download(media.ref(), Map.of(), maxDownload);
        return new Download(data, media.name(), null);
    }

    @Override
    public Reply welcome(Channel channel, String greeting) {
        var body = new LinkedHashMap<String, Object>();
        body.put("sender", sender(channel));
        body.put("type", "text");
        body.put("text", greeting.length() > MAX_TEXT ? greeting.substring(0, MAX_TEXT) : greeting);
        return new Reply(200, "application/json", Json.write(body));
    }

    private static Map<String, Object> sender(Channel channel) {
        var s = new LinkedHashMap<String, Object>();
        String name = channel.name();
        s.put("name", name.length() > MAX_SENDER_NAME ? name.substring(0, MAX_SENDER_NAME) : name);
        if (channel.avatar() != null) s.put("avatar", channel.avatar());
        return s;
    }

    // ---- replies

    private static boolean picture(File f) {
        return f.type() == Enums.MediaType.PHOTO && List.of("image/jpeg", "image/png", "image/gif").contains(f.contentType())
                && f.size() <= MAX_PICTURE_BYTES;
    }

    @Override
    public String refuse(Outbound message) {
        String text = message.text();
        if (message.media() == null) {
            return text != null && text.length() > MAX_TEXT
                    ? "Viber takes at most " + MAX_TEXT + " characters per message; this one has " + text.length() : null;
        }
        if (text == null || text.isBlank()) return null;
        if (!picture(message.media())) return "Viber sends this kind of file without text: send the text as its own message";
        return text.length() > MAX_PICTURE_TEXT
                ? "Viber takes at most " + MAX_PICTURE_TEXT + " characters of text with a picture; send the text as its own message" : null;
    }

    @Override
    public SendResult send(Channel channel, Credentials credentials, Outbound message) {
        var body = new LinkedHashMap<String, Object>();
        body.put("receiver", message.peerId());
        body.put("min_api_version", 1);
        body.put("sender", sender(channel));
        File f = message.media();
        if (f == null) {
            body.put("type", "text");
            body.put("text", message.text());
        } else if (picture(f)) {
            body.put("type", "picture");
            body.put("text", message.text() == null ? "" : message.text());
            body.put("media", f.publicUrl());
        } else if (f.type() == Enums.MediaType.VIDEO) {
            body.put("type", "video");
            body.put("media", f.publicUrl());
            body.put("size", f.size());
        } else {
            body.put("type", "file");
            body.put("media", f.publicUrl());
            body.put("size", f.size());
            body.put("file_name", f.name());
        }
        try {
            MessengerHttp.Response r = http.postJson(api + "/send_message", auth(credentials), body);
            return result(r);
        } catch (IOException e) {
            return new SendResult.Retry(null, MessengerHttp.describe(e, credentials));
        }
    }

    static SendResult result(MessengerHttp.Response r) {
        if (r.status() == 429) return new SendResult.Retry(r.retryAfter(), "Viber answered HTTP 429");
        if (r.status() >= 500 || !r.ok() || r.json().isMissingNode()) return new SendResult.Retry(null, "Viber answered HTTP " + r.status());
        int status = r.json().path("status").asInt(-1);
        if (status == 0) return new SendResult.Accepted(r.json().path("message_token").asText());
        if (RETRY.contains(status)) return new SendResult.Retry(Duration.ofMinutes(1), "Viber: " + message(r.json()));
        return new SendResult.Rejected("Viber: " + message(r.json()));
    }
}
