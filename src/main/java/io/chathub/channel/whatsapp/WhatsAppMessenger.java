package io.chathub.channel.whatsapp;

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
 * The WhatsApp Cloud API (Graph API, https://developers.facebook.com/docs/whatsapp/cloud-api), at
 * {@code CHATHUB_WHATSAPP_API_URL}: the phone number is checked with {@code GET /{phoneNumberId}}; the webhook is set in
 * the Meta app (callback URL and verify token), which first checks it with the GET handshake ({@code hub.mode},
 * {@code hub.verify_token}, {@code hub.challenge}) and then signs every callback with {@code X-Hub-Signature-256}
 * ({@code sha256=} hex HMAC-SHA256 of the raw body keyed with the app secret). Callbacks bring {@code messages} and
 * {@code statuses}; replies go to {@code POST /{phoneNumberId}/messages}, files as links the Cloud API fetches. A
 * free-form reply is allowed only within 24 hours of the customer's last message (the customer-service window).
 */
public final class WhatsAppMessenger implements Messenger {
    static final int MAX_TEXT = 4096, MAX_CAPTION = 1024;
    static final Duration WINDOW = Duration.ofHours(24);
    /** Graph error codes a later try may get past: throughput and pair rate limits, temporary errors. */
    private static final Set<Integer> RETRY = Set.of(1, 2, 4, 17, 341, 613, 80007, 130429, 131000, 131016, 131048, 131056);
    private static final List<String> FIELDS = List.of("phoneNumberId", "accessToken", "appSecret", "verifyToken");

    private final String api;
    private final MessengerHttp http;
    private final long maxDownload;

    public WhatsAppMessenger(String apiUrl, MessengerHttp http, long maxDownload) {
        this.api = apiUrl;
        this.http = http;
        this.maxDownload = maxDownload;
    }

    @Override
    public String type() {
        return "whatsapp";
    }

    @Override
    public int source() {
        return Enums.Source.WHATSAPP;
    }

    /** The Cloud API allows 80 messages per second per business number by default: 60 stays under it. */
    @Override
    public double sendsPerSecond() {
        return 60;
    }

    @Override
    public Duration replyWindow() {
        return WINDOW;
    }

    @Override
    public Credentials credentials(JsonBody body, boolean required) {
        if (!required && FIELDS.stream().noneMatch(body::has)) return null;
        var values = new LinkedHashMap<String, String>();
        for (String f : FIELDS) values.put(f, body.requiredText(f, 1000).strip());
        if (!values.get("phoneNumberId").matches("[0-9]{1,30}")) {
            throw ApiException.badRequest("phoneNumberId", "Field 'phoneNumberId' must be the number's id from WhatsApp Manager (digits)");
        }
        if (values.get("verifyToken").length() < 8) {
            throw ApiException.badRequest("verifyToken", "Field 'verifyToken' must be at least 8 characters (you choose it; Meta sends it back)");
        }
        return new Credentials(values);
    }

    private static Map<String, String> auth(Credentials c) {
        return Map.of("Authorization", "Bearer " + c.get("accessToken"));
    }

    @Override
    public Account verify(Credentials credentials) {
        MessengerHttp.Response r;
        try {
            r = http.get(api + "/" + credentials.get("phoneNumberId") + "?fields=display_phone_number,verified_name", auth(credentials));
        } catch (IOException e) {
            throw ApiException.badGateway("WhatsApp could not be reached: " + MessengerHttp.describe(e, credentials));
        }
        if (r.status() >= 500) throw ApiException.badGateway("WhatsApp answered HTTP " + r.status());
        if (!r.ok()) throw ApiException.badRequest("accessToken", "WhatsApp refused the phone number or access token: " + error(r.json()));
        String name = r.json().path("verified_name").asText("");
        if (name.isBlank()) name = r.json().path("display_phone_number").asText("WhatsApp");
        return new Account(name, credentials.get("phoneNumberId"));
    }

    /** The Cloud API's webhook is the Meta app's: set its callback URL and verify token there (README). */
    @Override
    public Credentials register(Channel channel, Credentials credentials, String url) {
        return credentials;
    }

    @Override
    public void unregister(Channel channel, Credentials credentials) {
        // nothing to call: the callback URL is removed in the Meta app
    }

    private static String error(JsonNode json) {
        JsonNode e = json.path("error");
        String message = e.path("message").asText("");
        String details = e.path("error_data").path("details").asText("");
        String text = message.isBlank() ? "error" : message;
        if (!details.isBlank() && !details.equals(message)) text += " (" + details + ")";
        return e.has("code") ? text + " [" + e.path("code").asText() + "]" : text;
    }

    // ---- callbacks

    @Override
    public Callback parse(Channel channel, Credentials credentials, WebhookRequest request) {
        if ("GET".equals(request.method())) {
            if ("subscribe".equals(request.query().get("hub.mode"))
                    && Hmac.equal(credentials.get("verifyToken"), request.query().get("hub.verify_token"))
                    && request.query().get("hub.challenge") != null) {
                return new Callback(List.of(), new Reply(200, "text/plain", request.query().get("hub.challenge")));
            }
            throw new Unauthorized("wrong hub.verify_token in the verification request");
        }
        String signature = request.header("X-Hub-Signature-256");
        String expected = "sha256=" + Hmac.sha256Hex(credentials.get("appSecret"), request.body());
        if (signature == null || !Hmac.equal(expected, signature.strip().toLowerCase(Locale.ROOT))) {
            throw new Unauthorized("missing or wrong X-Hub-Signature-256");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(request.body());
        } catch (IOException e) {
            throw ApiException.badRequest("body", "The callback is not JSON");
        }
        List<Inbound> events = new ArrayList<>();
        if (body == null) return new Callback(events, null);
        for (JsonNode entry : body.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                if (!"messages".equals(change.path("field").asText())) continue;
                JsonNode value = change.path("value");
                String number = value.path("metadata").path("phone_number_id").asText("");
                if (!number.isEmpty() && !number.equals(credentials.get("phoneNumberId"))) continue; // another number of the app
                Map<String, String> names = new LinkedHashMap<>();
                for (JsonNode c : value.path("contacts")) names.put(c.path("wa_id").asText(), c.path("profile").path("name").asText(null));
                for (JsonNode m : value.path("messages")) events.add(message(m, names));
                for (JsonNode s : value.path("statuses")) {
                    Inbound status = status(s);
                    if (status != null) events.add(status);
                }
            }
        }
        return new Callback(events, null);
    }

    private static Inbound.Message message(JsonNode m, Map<String, String> names) {
        String from = m.path("from").asText();
        String type = m.path("type").asText("");
        String text = null;
        MediaRef media = null;
        String fallback = "[file]";
        switch (type) {
            case "text" -> text = m.path("text").path("body").asText("");
            case "image", "document", "audio", "video", "sticker" -> {
                JsonNode f = m.path(type);
                text = f.hasNonNull("caption") ? f.path("caption").asText() : null;
                String name = f.path("filename").asText(switch (type) {
                    case "image" -> "image.jpg";
                    case "audio" -> "audio.ogg";
                    case "video" -> "video.mp4";
                    case "sticker" -> "sticker.webp";
                    default -> "document";
                });
                if ("sticker".equals(type)) {
                    text = "[sticker]";
                } else {
                    media = new MediaRef(f.path("id").asText(), name, f.path("mime_type").asText(null), null, type);
                    fallback = switch (type) {
                        case "image" -> "[image]";
                        case "audio" -> "[voice message]";
                        case "video" -> "[video]";
                        default -> "[file: " + name + "]";
                    };
                }
            }
            case "location" -> text = "[location] " + m.path("location").path("latitude").asText() + ", "
                    + m.path("location").path("longitude").asText();
            case "contacts" -> {
                List<String> cards = new ArrayList<>();
                for (JsonNode c : m.path("contacts")) {
                    String phone = c.path("phones").path(0).path("phone").asText("");
                    cards.add((c.path("name").path("formatted_name").asText("") + " " + phone).strip());
                }
                text = "[contact] " + String.join("; ", cards);
            }
            case "button" -> text = m.path("button").path("text").asText("");
            case "interactive" -> {
                JsonNode i = m.path("interactive");
                text = i.path("button_reply").path("title").asText(i.path("list_reply").path("title").asText(""));
            }
            case "reaction" -> text = "[reaction " + m.path("reaction").path("emoji").asText("") + "]";
            default -> text = "[a WhatsApp message of a kind ChatHub does not show]";
        }
        return new Inbound.Message("wa:" + m.path("id").asText(), from, new Customer(from, names.get(from), "+" + from), text, media,
                fallback, m.path("timestamp").asLong(0) * 1000);
    }

    private static Inbound status(JsonNode s) {
        String id = s.path("id").asText("");
        return switch (s.path("status").asText("")) {
            case "sent", "delivered" -> new Inbound.Status(id, Enums.MessageStatus.SUCCESS, null);
            case "read" -> new Inbound.Status(id, Enums.MessageStatus.READ, null);
            case "failed" -> {
                JsonNode e = s.path("errors").path(0);
                String why = e.path("error_data").path("details").asText(e.path("message").asText(e.path("title").asText("failed")));
                yield new Inbound.Status(id, Enums.MessageStatus.REJECTED,
                        "WhatsApp: " + why + (e.has("code") ? " [" + e.path("code").asText() + "]" : ""));
            }
            default -> null;
        };
    }

    @Override
    public Download download(Credentials credentials, MediaRef media) throws IOException, MessengerException {
        MessengerHttp.Response r = http.get(api + "/" + media.ref(), auth(credentials));
        if (!r.ok()) throw new MessengerException("media " + media.ref() + ": " + error(r.json()));
        String url = r.json().path("url").asText("");
        if (url.isBlank()) throw new MessengerException("media " + media.ref() + " has no url");
        byte[] data = http.download(url, auth(credentials), maxDownload);
        return new Download(data, media.name(), r.json().path("mime_type").asText(media.mimeType()));
    }

    // ---- replies

    private static String kind(File f) {
        return switch (f.type()) {
            case Enums.MediaType.PHOTO -> List.of("image/jpeg", "image/png").contains(f.contentType()) ? "image" : "document";
            case Enums.MediaType.VIDEO -> "video";
            case Enums.MediaType.AUDIO -> "audio";
            default -> "document";
        };
    }

    @Override
    public String refuse(Outbound message) {
        String text = message.text();
        if (message.media() == null) {
            return text != null && text.length() > MAX_TEXT
                    ? "WhatsApp takes at most " + MAX_TEXT + " characters per message; this one has " + text.length() : null;
        }
        if (text == null || text.isBlank()) return null;
        if ("audio".equals(kind(message.media()))) return "WhatsApp sends audio without text: send the text as its own message";
        return text.length() > MAX_CAPTION
                ? "WhatsApp takes at most " + MAX_CAPTION + " characters of text with a file; send the text as its own message" : null;
    }

    @Override
    public SendResult send(Channel channel, Credentials credentials, Outbound message) {
        var body = new LinkedHashMap<String, Object>();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", message.peerId());
        File f = message.media();
        if (f == null) {
            body.put("type", "text");
            body.put("text", Map.of("preview_url", false, "body", message.text()));
        } else {
            String kind = kind(f);
            var file = new LinkedHashMap<String, Object>();
            file.put("link", f.publicUrl());
            if (message.text() != null && !message.text().isBlank()) file.put("caption", message.text());
            if ("document".equals(kind)) file.put("filename", f.name());
            body.put("type", kind);
            body.put(kind, file);
        }
        try {
            return result(http.postJson(api + "/" + credentials.get("phoneNumberId") + "/messages", auth(credentials), body));
        } catch (IOException e) {
            return new SendResult.Retry(null, MessengerHttp.describe(e, credentials));
        }
    }

    static SendResult result(MessengerHttp.Response r) {
        if (r.ok()) {
            String id = r.json().path("messages").path(0).path("id").asText("");
            if (!id.isBlank()) return new SendResult.Accepted(id);
            return new SendResult.Retry(null, "WhatsApp accepted the message without an id");
        }
        int code = r.json().path("error").path("code").asInt(-1);
        if (r.status() == 429 || RETRY.contains(code)) {
            Duration wait = r.retryAfter();
            return new SendResult.Retry(wait, "WhatsApp: " + error(r.json()));
        }
        if (r.status() >= 500 || r.json().isMissingNode()) return new SendResult.Retry(null, "WhatsApp answered HTTP " + r.status());
        return new SendResult.Rejected("WhatsApp: " + error(r.json()));
    }
}
