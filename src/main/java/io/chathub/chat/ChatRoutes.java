package io.chathub.chat;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.chathub.auth.Authenticator;
import io.chathub.auth.Principal;
import io.chathub.media.MediaService;
import io.chathub.web.ApiException;
import io.chathub.web.JsonBody;
import io.chathub.web.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chat API of SPEC §2: list, read, status, messages, send, assign, read markers, inbound. */
public final class ChatRoutes {
    private final ChatService service;
    private final Authenticator auth;

    public ChatRoutes(ChatService service, Authenticator auth) {
        this.service = service;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/chat/chats", this::list);
        routes.get("/api/chat/chats/{id}", this::get);
        routes.delete("/api/chat/chats/{id}", this::delete);
        routes.put("/api/chat/status", this::status);
        routes.get("/api/chat/{chatId}/messages", this::messages);
        // The hosted docs name both paths (chats page and product page): one answer, one set of rules.
        routes.get("/api/chat/chats/{chatId}/messages", this::messages);
        routes.post("/api/chat/{chatId}/message", this::send);
        routes.post("/api/chat/{chatId}/note", this::note);
        routes.post("/api/chat/{chatId}/assign", this::assign);
        routes.post("/api/chat/{chatId}/read", this::read);
        routes.post("/api/chat/incoming", this::incoming);
    }

    private void list(Context ctx) {
        Principal p = auth.require(ctx);
        int page = Params.queryInt(ctx, "page", 1, 1, Integer.MAX_VALUE);
        int perPage = Params.queryInt(ctx, "per_page", 20, 1, ChatService.MAX_PAGE);
        Integer status = Params.queryEnum(ctx, "status", Enums.CHAT_STATUS).orElse(null);
        Integer source = Params.queryEnum(ctx, "source", Enums.SOURCE).orElse(null);
        long[] dates = dateRange(ctx.queryParams("date"));
        var query = new ChatStore.ChatQuery(p.companyId(), Params.queryId(ctx, "organizationId").orElse(null),
                Params.queryId(ctx, "operatorId").orElse(null), status, source, text(ctx, "search"), text(ctx, "phone"),
                dates == null ? null : dates[0], dates == null ? null : dates[1], page, perPage,
                Params.queryId(ctx, "tg_user_id").map(String::valueOf).orElse(null));
        var result = service.list(p, query);
        // (ext) With a search, each chat says which message it was found by (null: by its client or theme).
        List<?> items = query.search() == null ? result.items()
                : result.items().stream().map(c -> new SearchHit(c, result.matches().get(c.id()))).toList();
        ctx.json(Map.of("total", result.total(), "items", items));
    }

    /** A chat of a search's answer: the chat's fields and (ext) {@code match}. */
    record SearchHit(@JsonUnwrapped Chat chat, ChatStore.Match match) {}

    private void get(Context ctx) {
        ctx.json(service.get(auth.require(ctx), Params.pathId(ctx, "id")));
    }

    private void delete(Context ctx) {
        service.delete(auth.requireCompany(ctx), Params.pathId(ctx, "id"));
        ctx.status(200);
    }

    private void status(Context ctx) {
        Principal p = auth.require(ctx);
        JsonBody body = JsonBody.object(ctx);
        service.setStatus(p, body.requiredId("id"), body.requiredEnum("status", Enums.CHAT_STATUS));
        ctx.status(200);
    }

    private void messages(Context ctx) {
        Principal p = auth.require(ctx);
        long chatId = Params.pathId(ctx, "chatId");
        Long after = Params.queryLong(ctx, "after").orElse(null);
        Long before = Params.queryLong(ctx, "before").orElse(null);
        if (after != null && before != null) throw ApiException.badRequest("before", "Give 'after' or 'before', not both");
        int limit = Params.queryInt(ctx, "limit", 100, 1, ChatService.MAX_MESSAGES);
        ctx.json(service.messages(p, chatId, after, before, limit));
    }

    private void send(Context ctx) {
        Principal p = auth.require(ctx);
        long chatId = Params.pathId(ctx, "chatId");
        JsonBody body = JsonBody.object(ctx);
        var out = new ChatService.Outgoing(body.optionalString("textMessage").orElse(null),
                body.optionalInt("author", 0, Enums.AUTHOR.max()).orElse(null), upload(body), clientKey(ctx, body));
        ctx.json(service.send(p, chatId, out));
    }

    private void note(Context ctx) {
        Principal p = auth.require(ctx);
        long chatId = Params.pathId(ctx, "chatId");
        ctx.json(service.note(p, chatId, JsonBody.object(ctx).optionalString("text").orElse(null)));
    }

    private void assign(Context ctx) {
        Principal p = auth.require(ctx);
        long chatId = Params.pathId(ctx, "chatId");
        JsonBody body = ctx.body().isBlank() ? null : JsonBody.object(ctx);
        Long operatorId = body == null ? null : body.optionalLong("operatorId").orElse(null);
        if (operatorId != null && operatorId < 0) throw ApiException.badRequest("operatorId", "Field 'operatorId' must not be negative");
        ctx.json(service.assign(p, chatId, operatorId));
    }

    private void read(Context ctx) {
        Principal p = auth.require(ctx);
        long chatId = Params.pathId(ctx, "chatId");
        service.markRead(p, chatId, JsonBody.object(ctx).requiredLong("seq"));
        ctx.status(200);
    }

    private void incoming(Context ctx) {
        Principal.Company company = auth.requireCompany(ctx);
        JsonBody body = JsonBody.object(ctx);
        long organizationId = body.requiredId("organizationId");
        int source = body.optionalEnum("source", Enums.SOURCE).orElse(Enums.Source.API);
        JsonBody client = body.requiredObject("client");
        var clientInput = new ChatStore.ClientInput(source,
                client.requiredText("externalId", 200),
                client.optionalText("name", 200).orElse(null),
                client.optionalText("phone", 64).orElse(null),
                client.optionalText("email", 320).orElse(null));
        var in = new ChatService.Incoming(organizationId, source, clientInput,
                body.optionalString("textMessage").orElse(null), upload(body),
                body.optionalText("theme", 500).orElse(null), clientKey(ctx, body));
        ctx.json(service.incoming(company, in));
    }

    /** {media: {name, format, dataBase64, type}} as an upload; null when absent. */
    public static MediaService.Upload upload(JsonBody body) {
        Optional<JsonBody> media = body.optionalObject("media");
        if (media.isEmpty()) return null;
        JsonBody m = media.get();
        byte[] data;
        try {
            data = MediaService.decodeBase64(stripDataUrl(m.requiredString("dataBase64")));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("media.dataBase64", "Field 'media.dataBase64' is not valid base64");
        }
        return new MediaService.Upload(m.optionalText("name", 300).orElse(null), m.optionalText("format", 100).orElse(null),
                m.optionalInt("type", 0, Enums.MEDIA_TYPE.max()).orElse(null), data);
    }

    private static String stripDataUrl(String s) {
        int comma = s.startsWith("data:") ? s.indexOf(',') : -1;
        return comma >= 0 ? s.substring(comma + 1) : s;
    }

    /** An idempotency key: the {@code Idempotency-Key} header or the body's {@code clientMessageId}. */
    private static String clientKey(Context ctx, JsonBody body) {
        String key = Optional.ofNullable(ctx.header("Idempotency-Key")).filter(s -> !s.isBlank())
                .orElseGet(() -> body.optionalText("clientMessageId", 100).orElse(null));
        if (key != null && key.length() > 100) throw ApiException.badRequest("clientMessageId", "The idempotency key is longer than 100 characters");
        return key == null ? null : key.strip();
    }

    private static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        if (v.length() > 200) throw ApiException.badRequest(name, "'" + name + "' is longer than 200 characters");
        return v.strip();
    }

    /**
     * {@code date} once: that day (UTC; for a date-time, the UTC day it falls on); twice: from the first to the
     * end of the second. Epoch ms, end exclusive.
     */
    static long[] dateRange(List<String> dates) {
        List<String> given = dates.stream().filter(s -> !s.isBlank()).toList();
        if (given.isEmpty()) return null;
        if (given.size() > 2) throw ApiException.badRequest("date", "Give 'date' once (a day) or twice (a range)");
        if (given.size() == 1) {
            Instant day = dayStart(given.get(0)).atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
            return new long[] {day.toEpochMilli(), day.plus(java.time.Duration.ofDays(1)).toEpochMilli()};
        }
        Instant from = dayStart(given.get(0));
        Instant to = dayEnd(given.get(1));
        if (!to.isAfter(from)) throw ApiException.badRequest("date", "The date range ends before it starts");
        return new long[] {from.toEpochMilli(), to.toEpochMilli()};
    }

    private static Instant dayStart(String s) {
        return parseDate(s, false);
    }

    private static Instant dayEnd(String s) {
        return parseDate(s, true);
    }

    private static Instant parseDate(String s, boolean end) {
        try {
            if (s.length() <= 10) {
                LocalDate d = LocalDate.parse(s.strip());
                return (end ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(s.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("date", "'" + s + "' is not a date (YYYY-MM-DD) or ISO-8601 date-time");
        }
    }
}
