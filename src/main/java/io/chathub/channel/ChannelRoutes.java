package io.chathub.channel;

import io.chathub.auth.Authenticator;
import io.chathub.web.ApiException;
import io.chathub.web.JsonBody;
import io.chathub.web.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The channels API (company token): {@code /api/company/organization/{id}/channels…}; and the messengers' side, with no
 * token: their callbacks at {@code /api/channels/{type}/{cid}/webhook} (verified by each messenger's own secret or
 * signature) and the signed links to the files of outbound messages.
 */
public final class ChannelRoutes {
    private static final String BASE = "/api/company/organization/{id}/channels";
    private static final Pattern TYPE = Pattern.compile("[a-z]{1,32}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final ChannelService service;
    private final Authenticator auth;

    public ChannelRoutes(ChannelService service, Authenticator auth) {
        this.service = service;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.post(BASE, this::create);
        routes.get(BASE, this::list);
        routes.get(BASE + "/{cid}", this::get);
        routes.put(BASE + "/{cid}", this::update);
        routes.delete(BASE + "/{cid}", this::delete);
        routes.post("/api/channels/{type}/{cid}/webhook", this::webhook);
        routes.get("/api/channels/{type}/{cid}/webhook", this::webhook);
        routes.get("/api/channels/{type}/{cid}/media/{hash}", this::media);
    }

    private void create(Context ctx) {
        var company = auth.requireCompany(ctx);
        long org = Params.pathId(ctx, "id");
        ctx.status(201).json(service.create(company, org, input(JsonBody.object(ctx))));
    }

    private void list(Context ctx) {
        ctx.json(service.list(auth.requireCompany(ctx), Params.pathId(ctx, "id")));
    }

    private void get(Context ctx) {
        ctx.json(service.get(auth.requireCompany(ctx), Params.pathId(ctx, "id"), Params.pathId(ctx, "cid")));
    }

    private void update(Context ctx) {
        var company = auth.requireCompany(ctx);
        ctx.json(service.update(company, Params.pathId(ctx, "id"), Params.pathId(ctx, "cid"), input(JsonBody.object(ctx))));
    }

    private void delete(Context ctx) {
        service.delete(auth.requireCompany(ctx), Params.pathId(ctx, "id"), Params.pathId(ctx, "cid"));
        ctx.status(200);
    }

    private static ChannelService.Input input(JsonBody body) {
        return new ChannelService.Input(body.optionalText("type", 32).orElse(null),
                body.optionalText("name", 200).orElse(null), body.optionalText("avatar", 2000).orElse(null),
                body.contains("name"), body.contains("avatar"), body);
    }

    private void webhook(Context ctx) {
        String type = type(ctx);
        long cid = Params.pathId(ctx, "cid");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : ctx.headerMap().keySet()) headers.put(name.toLowerCase(Locale.ROOT), ctx.header(name));
        Map<String, String> query = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> { if (!v.isEmpty()) query.put(k, v.getFirst()); });
        var request = new Messenger.WebhookRequest(ctx.method().name(), headers, query, ctx.bodyAsBytes());
        Messenger.Reply reply = service.webhook(type, cid, request);
        if (reply == null || reply.body() == null) {
            ctx.status(reply == null ? 200 : reply.status());
            return;
        }
        ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
    }

    private void media(Context ctx) {
        String type = type(ctx);
        long cid = Params.pathId(ctx, "cid");
        String hash = ctx.pathParam("hash");
        if (!HASH.matcher(hash).matches()) throw ApiException.notFound("No such file");
        var file = service.publicMedia(type, cid, hash, ctx.queryParam("exp"), ctx.queryParam("sig"));
        ctx.contentType(file.contentType())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("Cache-Control", "private, max-age=3600");
        try {
            ctx.result(Files.newInputStream(file.path()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String type(Context ctx) {
        String type = ctx.pathParam("type");
        if (!TYPE.matcher(type).matches()) throw ApiException.notFound("No channel type " + type);
        return type;
    }
}
