package io.chathub.testing.messengers;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.web.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Telegram Bot API as https://core.telegram.org/bots/api documents it: {@code /bot<token>/<method>} with the
 * {@code {ok, result}} / {@code {ok:false, error_code, description, parameters}} answers, getMe, setWebhook (url,
 * secret_token) and deleteWebhook, getFile and {@code /file/bot<token>/<file_path>}, sendMessage, and sendPhoto /
 * sendDocument as multipart uploads. Updates are delivered to the registered webhook with the
 * {@code X-Telegram-Bot-Api-Secret-Token} header, as Telegram does.
 */
public final class TelegramDouble extends HttpDouble {
    private static final Pattern METHOD = Pattern.compile("/bot([^/]+)/([A-Za-z]+)");
    private static final Pattern FILE = Pattern.compile("/file/bot([^/]+)/(.+)");

    /** A bot: its id and names, and the webhook set for it. */
    public static final class Bot {
        public final long id;
        public final String firstName, username;
        public volatile String webhookUrl, secretToken;

        Bot(long id, String firstName, String username) {
            this.id = id;
            this.firstName = firstName;
            this.username = username;
        }
    }

    /** A message the server sent: the method, chat_id, text or caption, and the uploaded file. */
    public record Sent(String token, String method, String chatId, String text, String fileName, byte[] file, long messageId,
                       long at) {}

    private final Map<String, Bot> bots = new ConcurrentHashMap<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<Sent> sent = new ArrayList<>();
    private final AtomicLong messageIds = new AtomicLong(1000);
    private final AtomicLong updateIds = new AtomicLong(500_000);
    private static final AtomicLong BOT_IDS = new AtomicLong(7_000_000_000L);

    /** A new bot; returns its token (as BotFather would give it). */
    public String newBot(String firstName) {
        long id = BOT_IDS.incrementAndGet();
        String token = id + ":AA" + java.util.UUID.randomUUID().toString().replace("-", "") + "xyz";
        bots.put(token, new Bot(id, firstName, firstName.toLowerCase().replace(' ', '_') + "_bot"));
        return token;
    }

    public Bot bot(String token) {
        return bots.get(token);
    }

    /** A file Telegram keeps; returns its file_id. */
    public String file(byte[] data) {
        String id = "file-" + java.util.UUID.randomUUID();
        files.put(id, data);
        return id;
    }

    public List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    public List<Sent> sentTo(String chatId) {
        return sent().stream().filter(s -> s.chatId().equals(chatId)).toList();
    }

    @Override
    protected Answer answer(Request r) {
        Matcher f = FILE.matcher(r.path());
        if (f.matches()) {
            if (!bots.containsKey(f.group(1))) return Answer.json(404, error(404, "Not Found"));
            byte[] data = files.get(f.group(2).substring(f.group(2).lastIndexOf('/') + 1));
            return data == null ? Answer.json(404, error(404, "Not Found")) : Answer.bytes(200, "application/octet-stream", data);
        }
        Matcher m = METHOD.matcher(r.path());
        if (!m.matches()) return Answer.json(404, error(404, "Not Found"));
        Bot bot = bots.get(m.group(1));
        if (bot == null) return Answer.json(401, error(401, "Unauthorized"));
        Map<String, String> params = params(r);
        return switch (m.group(2)) {
            case "getMe" -> ok(Map.of("id", bot.id, "is_bot", true, "first_name", bot.firstName, "username", bot.username));
            case "setWebhook" -> {
                String url = params.get("url");
                if (url == null || !url.startsWith("https://")) yield Answer.json(400, error(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook"));
                String secret = params.get("secret_token");
                if (secret != null && !secret.matches("[A-Za-z0-9_-]{1,256}")) yield Answer.json(400, error(400, "Bad Request: secret token contains unallowed characters"));
                bot.webhookUrl = url;
                bot.secretToken = secret;
                yield ok(true);
            }
            case "deleteWebhook" -> {
                bot.webhookUrl = null;
                bot.secretToken = null;
                yield ok(true);
            }
            case "getFile" -> {
                String id = params.get("file_id");
                yield files.containsKey(id) ? ok(Map.of("file_id", id, "file_unique_id", id, "file_size", files.get(id).length,
                        "file_path", "documents/" + id)) : Answer.json(400, error(400, "Bad Request: invalid file_id"));
            }
            case "sendMessage" -> {
                String text = params.get("text");
                if (text == null || text.isEmpty()) yield Answer.json(400, error(400, "Bad Request: message text is empty"));
                yield record(m.group(1), "sendMessage", params.get("chat_id"), text, null, null);
            }
            case "sendPhoto", "sendDocument" -> {
                var parts = r.parts();
                var file = parts.get("sendPhoto".equals(m.group(2)) ? "photo" : "document");
                if (file == null) yield Answer.json(400, error(400, "Bad Request: there is no file in the request"));
                yield record(m.group(1), m.group(2), params.get("chat_id"), params.get("caption"), file.filename(), file.data());
            }
            default -> Answer.json(404, error(404, "Not Found: method not found"));
        };
    }

    private Answer record(String token, String method, String chatId, String text, String fileName, byte[] file) {
        if (chatId == null) return Answer.json(400, error(400, "Bad Request: chat_id is empty"));
        long id = messageIds.incrementAndGet();
        synchronized (sent) {
            sent.add(new Sent(token, method, chatId, text, fileName, file, id, System.nanoTime()));
        }
        return ok(Map.of("message_id", id, "chat", Map.of("id", Long.parseLong(chatId), "type", "private"), "date",
                Instant.now().getEpochSecond()));
    }

    /** The request's parameters: JSON body, multipart text fields, or the query string. */
    private static Map<String, String> params(Request r) {
        Map<String, String> p = new LinkedHashMap<>(r.query());
        String type = r.header("Content-Type");
        if (type != null && type.startsWith("application/json") && r.body().length > 0) {
            r.json().properties().forEach(e -> p.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        } else if (type != null && type.startsWith("multipart/form-data")) {
            r.parts().forEach((k, v) -> { if (v.filename() == null) p.put(k, v.text()); });
        }
        return p;
    }

    private static Answer ok(Object result) {
        return Answer.json(200, Map.of("ok", true, "result", result));
    }

    public static Map<String, Object> error(int code, String description) {
        return Map.of("ok", false, "error_code", code, "description", description);
    }

    /** Telegram's flood control: 429 with parameters.retry_after. */
    public static Answer tooManyRequests(int retryAfterSeconds) {
        return Answer.json(429, Map.of("ok", false, "error_code", 429, "description", "Too Many Requests: retry after " + retryAfterSeconds,
                "parameters", Map.of("retry_after", retryAfterSeconds)));
    }

    // ---- updates

    /** A user of Telegram. */
    public record User(long id, String firstName, String lastName, String username) {
        Map<String, Object> json() {
            var u = new LinkedHashMap<String, Object>();
            u.put("id", id);
            u.put("is_bot", false);
            u.put("first_name", firstName);
            if (lastName != null) u.put("last_name", lastName);
            if (username != null) u.put("username", username);
            u.put("language_code", "uk");
            return u;
        }
    }

    /** An update with a message of {@code user} in its private chat; {@code fields} are the message's content. */
    public Map<String, Object> update(User user, Map<String, Object> fields) {
        return update(updateIds.incrementAndGet(), "message", user, fields);
    }

    public Map<String, Object> update(long updateId, String kind, User user, Map<String, Object> fields) {
        var message = new LinkedHashMap<String, Object>();
        message.put("message_id", messageIds.incrementAndGet());
        message.put("from", user.json());
        message.put("chat", Map.of("id", user.id(), "type", "private", "first_name", user.firstName()));
        message.put("date", Instant.now().getEpochSecond());
        message.putAll(fields);
        var update = new LinkedHashMap<String, Object>();
        update.put("update_id", updateId);
        update.put(kind, message);
        return update;
    }

    /** Delivers an update to the bot's webhook as Telegram does (with its secret token); returns the server's answer. */
    public Reply deliver(String token, Object update) {
        Bot bot = bots.get(token);
        if (bot.webhookUrl == null) throw new AssertionError("no webhook set for bot " + bot.id);
        return post(bot.webhookUrl, bot.secretToken == null ? Map.of() : Map.of("X-Telegram-Bot-Api-Secret-Token", bot.secretToken),
                (update instanceof String s ? s : Json.write(update)).getBytes(StandardCharsets.UTF_8));
    }

    /** Delivers to the bot's webhook with other headers (a forger who does not know the secret). */
    public Reply deliverWith(String token, Map<String, String> headers, Object update) {
        return post(bots.get(token).webhookUrl, headers, Json.write(update).getBytes(StandardCharsets.UTF_8));
    }

    public static JsonNode parse(String json) {
        try {
            return Json.read(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
