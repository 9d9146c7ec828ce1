package io.chathub.channel.telegram;

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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Telegram Bot API (https://core.telegram.org/bots/api), at {@code CHATHUB_TELEGRAM_API_URL}: {@code getMe} checks
 * the bot token, {@code setWebhook} with a random {@code secret_token} (which Telegram sends back in
 * {@code X-Telegram-Bot-Api-Secret-Token} with every update), updates' {@code message} and {@code edited_message},
 * files by {@code getFile}, replies by {@code sendMessage}, {@code sendPhoto} and {@code sendDocument}. The bot token is
 * part of every URL, so URLs are never logged.
 */
public final class TelegramMessenger implements Messenger {
    static final Pattern BOT_TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{20,100}");
    static final int MAX_TEXT = 4096, MAX_CAPTION = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String api;
    private final MessengerHttp http;
    private final long maxDownload;

    /** {@code maxDownload}: the largest file this server stores (the media limit; getFile serves at most 20 MB anyway). */
    public TelegramMessenger(String apiUrl, MessengerHttp http, long maxDownload) {
        this.api = apiUrl;
        this.http = http;
        this.maxDownload = maxDownload;
    }

    @Override
    public String type() {
        return "telegram";
    }

    @Override
    public int source() {
        return Enums.Source.TELEGRAM;
    }

    /** Telegram: "not more than 30 messages per second" per bot; 25 leaves room for its own count. */
    @Override
    public double sendsPerSecond() {
        return 25;
    }

    /** The Bot API tells a bot nothing of its messages' delivery or reading. */
    @Override
    public boolean reportsStatuses() {
        return false;
    }

    @Override
    public Credentials credentials(JsonBody body, boolean required) {
        if (!required && !body.has("botToken")) return null;
        String token = body.requiredText("botToken", 200).strip();
        if (!BOT_TOKEN.matcher(token).matches()) {
            throw ApiException.badRequest("botToken", "Field 'botToken' must be a bot token as @BotFather gives it (123456789:AAH…)");
        }
        return new Credentials(Map.of("botToken", token));
    }

    private String method(Credentials c, String name) {
        return api + "/bot" + c.get("botToken") + "/" + name;
    }

    @Override
    public Account verify(Credentials credentials) {
        MessengerHttp.Response r = call(credentials, () -> http.get(method(credentials, "getMe"), Map.of()), "getMe");
        if (!r.json().path("ok").asBoolean(false)) {
            throw ApiException.badRequest("botToken", "Telegram refused the bot token: " + description(r));
        }
        JsonNode bot = r.json().path("result");
        String name = bot.path("first_name").asText("");
        if (name.isBlank()) name = bot.path("username").asText("Telegram bot");
        return new Account(name, bot.path("id").asText());
    }

    @Override
    public Credentials register(Channel channel, Credentials credentials, String url) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes); // A-Z a-z 0-9 _ -, as Telegram allows
        var body = new LinkedHashMap<String, Object>();
        body.put("url", url);
        body.put("secret_token", secret);
        body.put("allowed_updates", List.of("message", "edited_message"));
        MessengerHttp.Response r = call(credentials, () -> http.postJson(method(credentials, "setWebhook"), Map.of(), body), "setWebhook");
        if (!r.json().path("ok").asBoolean(false)) {
            throw ApiException.badRequest("Telegram refused setWebhook: " + description(r));
        }
        return credentials.with("secretToken", secret);
    }

    @Override
    public void unregister(Channel channel, Credentials credentials) {
        call(credentials, () -> http.postJson(method(credentials, "deleteWebhook"), Map.of(), Map.of()), "deleteWebhook");
    }

    private interface Call {
        MessengerHttp.Response run() throws IOException;
    }

    /** A call made while a request waits: 502 when Telegram cannot be reached or fails. */
    private static MessengerHttp.Response call(Credentials c, Call call, String what) {
        try {
            MessengerHttp.Response r = call.run();
            if (r.status() >= 500) throw ApiException.badGateway("Telegram answered " + what + " with " + r.status());
            return r;
        } catch (IOException e) {
            throw ApiException.badGateway("Telegram could not be reached (" + what + "): " + MessengerHttp.describe(e, c));
        }
    }

    private static String description(MessengerHttp.Response r) {
        String d = r.json().path("description").asText("");
        return d.isBlank() ? "HTTP " + r.status() : d;
    }

    // ---- updates

    @Override
    public Callback parse(Channel channel, Credentials credentials, WebhookRequest request) {
        if (!Hmac.equal(credentials.get("secretToken"), request.header("X-Telegram-Bot-Api-Secret-Token"))) {
            throw new Unauthorized("missing or wrong X-Telegram-Bot-Api-Secret-Token");
        }
        if (!"POST".equals(request.method())) return new Callback(List.of(), null);
        JsonNode update;
        try {
            update = Json.MAPPER.readTree(request.body());
        } catch (IOException e) {
            throw ApiException.badRequest("body", "The update is not JSON");
        }
        if (update == null || !update.path("update_id").canConvertToLong()) return new Callback(List.of(), null);
        long updateId = update.path("update_id").asLong();
        boolean edited = !update.has("message") && update.has("edited_message");
        JsonNode message = edited ? update.path("edited_message") : update.path("message");
        if (!message.isObject() || !message.path("from").isObject()) return new Callback(List.of(), null);
        return new Callback(List.of(message("tg:" + updateId, message, edited)), null);
    }

    private static Inbound.Message message(String key, JsonNode m, boolean edited) {
        JsonNode from = m.path("from");
        String peer = m.path("chat").path("id").asText(from.path("id").asText());
        String phone = null;
        String text = m.hasNonNull("text") ? m.path("text").asText() : m.hasNonNull("caption") ? m.path("caption").asText() : null;
        MediaRef media = null;
        String fallback = null;
        if (m.path("photo").isArray() && !m.path("photo").isEmpty()) {
            JsonNode largest = m.path("photo").get(m.path("photo").size() - 1);
            media = new MediaRef(largest.path("file_id").asText(), "photo.jpg", "image/jpeg", size(largest), "photo");
            fallback = "[photo]";
        } else if (m.path("document").isObject()) {
            JsonNode d = m.path("document");
            String name = d.path("file_name").asText("file");
            media = new MediaRef(d.path("file_id").asText(), name, d.path("mime_type").asText(null), size(d), "document");
            fallback = "[file: " + name + "]";
        } else if (m.path("voice").isObject()) {
            JsonNode v = m.path("voice");
            media = new MediaRef(v.path("file_id").asText(), "voice.ogg", v.path("mime_type").asText("audio/ogg"), size(v), "voice");
            fallback = "[voice message]";
        } else if (m.path("audio").isObject()) {
            JsonNode a = m.path("audio");
            media = new MediaRef(a.path("file_id").asText(), a.path("file_name").asText("audio.mp3"), a.path("mime_type").asText(null),
                    size(a), "audio");
            fallback = "[audio: " + a.path("title").asText(a.path("file_name").asText("audio")) + "]";
        } else if (m.path("video").isObject()) {
            JsonNode v = m.path("video");
            media = new MediaRef(v.path("file_id").asText(), v.path("file_name").asText("video.mp4"), v.path("mime_type").asText("video/mp4"),
                    size(v), "video");
            fallback = "[video]";
        } else if (m.path("sticker").isObject()) {
            String emoji = m.path("sticker").path("emoji").asText("");
            text = "[sticker" + (emoji.isEmpty() ? "" : " " + emoji) + "]";
        } else if (m.path("contact").isObject()) {
            JsonNode c = m.path("contact");
            String name = (c.path("first_name").asText("") + " " + c.path("last_name").asText("")).strip();
            String number = c.path("phone_number").asText("");
            text = "[contact] " + (name.isEmpty() ? "" : name + " ") + number;
            if (c.path("user_id").asText("").equals(from.path("id").asText()) && !number.isBlank()) {
                phone = number.startsWith("+") ? number : "+" + number; // the customer shared its own number
            }
        } else if (m.path("location").isObject()) {
            text = "[location] " + m.path("location").path("latitude").asText() + ", " + m.path("location").path("longitude").asText();
        } else if (text == null) {
            text = "[a Telegram message of a kind ChatHub does not show]";
        }
        if (edited) text = "(edited) " + (text == null ? "" : text);
        String first = from.path("first_name").asText("");
        String last = from.path("last_name").asText("");
        String name = (first + " " + last).strip();
        if (name.isEmpty()) name = from.hasNonNull("username") ? "@" + from.path("username").asText() : null;
        else if (from.hasNonNull("username")) name = name + " (@" + from.path("username").asText() + ")";
        return new Inbound.Message(key, peer, new Customer(from.path("id").asText(), name, phone), text, media,
                fallback == null ? "[file]" : fallback, m.path("date").asLong(0) * 1000);
    }

    private static Long size(JsonNode file) {
        return file.path("file_size").canConvertToLong() ? file.path("file_size").asLong() : null;
    }

    @Override
    public Download download(Credentials credentials, MediaRef media) throws IOException, MessengerException {
        var r = http.get(method(credentials, "getFile") + "?file_id=" + java.net.URLEncoder.encode(media.ref(),
                java.nio.charset.StandardCharsets.UTF_8), Map.of());
        if (!r.json().path("ok").asBoolean(false)) throw new MessengerException("getFile: " + description(r));
        String path = r.json().path("result").path("file_path").asText("");
        if (path.isBlank()) throw new MessengerException("getFile gave no file_path");
        byte[] data = http.download(api + "/file/bot" + credentials.get("botToken") + "/" + path, Map.of(), maxDownload);
        return new Download(data, media.name(), media.mimeType());
    }

    // ---- replies

    @Override
    public String refuse(Outbound message) {
        String text = message.text();
        if (message.media() == null && text != null && text.length() > MAX_TEXT) {
            return "Telegram takes at most " + MAX_TEXT + " characters per message; this one has " + text.length();
        }
        if (message.media() != null && text != null && text.length() > MAX_CAPTION) {
            return "Telegram takes at most " + MAX_CAPTION + " characters of text with a file; send the text as its own message";
        }
        return null;
    }

    @Override
    public SendResult send(Channel channel, Credentials credentials, Outbound message) {
        try {
            MessengerHttp.Response r;
            if (message.media() == null) {
                r = http.postJson(method(credentials, "sendMessage"), Map.of(),
                        Map.of("chat_id", message.peerId(), "text", message.text()));
            } else {
                File f = message.media();
                boolean photo = f.type() == Enums.MediaType.PHOTO && List.of("image/jpeg", "image/png", "image/webp").contains(f.contentType());
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("chat_id", message.peerId());
                if (message.text() != null && !message.text().isBlank()) fields.put("caption", message.text());
                r = http.postMultipart(method(credentials, photo ? "sendPhoto" : "sendDocument"), Map.of(), fields,
                        photo ? "photo" : "document", f);
            }
            return result(r);
        } catch (IOException e) {
            return new SendResult.Retry(null, MessengerHttp.describe(e, credentials));
        }
    }

    static SendResult result(MessengerHttp.Response r) {
        JsonNode json = r.json();
        if (r.ok() && json.path("ok").asBoolean(false)) {
            return new SendResult.Accepted(json.path("result").path("message_id").asText());
        }
        if (r.status() == 429 || json.path("error_code").asInt() == 429) {
            JsonNode after = json.path("parameters").path("retry_after");
            Duration wait = after.canConvertToLong() ? Duration.ofSeconds(after.asLong())
                    : r.retryAfter();
            return new SendResult.Retry(wait, "Telegram: " + description(r));
        }
        if (r.status() >= 500 || r.status() == 408 || json.isMissingNode()) {
            return new SendResult.Retry(null, "Telegram answered HTTP " + r.status());
        }
        return new SendResult.Rejected("Telegram: " + description(r));
    }
}
