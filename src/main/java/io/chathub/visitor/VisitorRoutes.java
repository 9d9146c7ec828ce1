package io.chathub.visitor;

import io.chathub.auth.Authenticator;
import io.chathub.auth.Principal;
import io.chathub.chat.ChatRoutes;
import io.chathub.chat.ChatService;
import io.chathub.organization.Organization;
import io.chathub.web.ApiException;
import io.chathub.web.JsonBody;
import io.chathub.web.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;
import java.util.Optional;

/**
 * The customer chat widget's visitor API, {@code /api/widget/{guid}/…}: public, no company or operator token. A
 * session gives a visitor token; every other call needs it, for the organization of this guid. The page's origin
 * is checked by {@link io.chathub.web.Cors} against the organization's allowed origins.
 */
public final class VisitorRoutes {
    private static final String BASE = "/api/widget/{guid}";

    private final VisitorService service;
    private final Authenticator auth;

    public VisitorRoutes(VisitorService service, Authenticator auth) {
        this.service = service;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.post(BASE + "/session", this::session);
        routes.get(BASE + "/messages", this::messages);
        routes.post(BASE + "/messages", this::send);
        routes.post(BASE + "/contact", this::contact);
        routes.post(BASE + "/offline", this::offline);
        routes.post(BASE + "/rating", this::rating);
        routes.get(BASE + "/transcript", this::transcript);
        routes.post(BASE + "/typing", this::typing);
        routes.post(BASE + "/read", this::read);
        routes.post(BASE + "/end", this::end);
    }

    private Organization organization(Context ctx) {
        String guid = ctx.pathParam("guid");
        if (guid.length() > 64) throw ApiException.notFound("No chat widget " + guid);
        return service.organization(guid);
    }

    /** The visitor of this request, which must belong to the widget's organization. */
    private Principal.Visitor visitor(Context ctx, Organization org) {
        Principal.Visitor v = auth.requireVisitor(ctx);
        if (v.organizationId() != org.id()) throw ApiException.forbidden("This visitor token belongs to another chat widget");
        return v;
    }

    /**
     * The visitor of a request that needs nothing of the organization: its token was issued through this very guid,
     * which the authenticator found to be still the organization's current one (no second read).
     */
    private Principal.Visitor visitor(Context ctx) {
        String guid = ctx.pathParam("guid");
        Principal.Visitor v = auth.requireVisitor(ctx);
        if (!v.widgetGuid().equals(guid)) {
            organization(ctx); // 404 for a guid that is no widget's
            throw ApiException.forbidden("This visitor token belongs to another chat widget");
        }
        return v;
    }

    private void session(Context ctx) {
        Organization org = organization(ctx);
        JsonBody body = ctx.body().isBlank() ? null : JsonBody.object(ctx);
        var req = new VisitorService.SessionRequest(
                body == null ? null : body.optionalString("visitorId").orElse(null),
                body == null ? null : body.optionalString("resume").orElse(null),
                body == null ? ctx.header("Referer") : body.optionalString("pageUrl").orElse(ctx.header("Referer")),
                body == null ? ctx.header("Accept-Language") : body.optionalString("language").orElse(ctx.header("Accept-Language")),
                ctx.userAgent());
        ctx.json(service.session(org, req, ctx.ip()));
    }

    private void messages(Context ctx) {
        Principal.Visitor v = visitor(ctx);
        Long after = Params.queryLong(ctx, "after").orElse(null);
        if (after != null && after < 0) throw ApiException.badRequest("after", "'after' must not be negative");
        ctx.json(service.messages(v, after, Params.queryInt(ctx, "limit", 100, 1, ChatService.MAX_MESSAGES)));
    }

    private void send(Context ctx) {
        Principal.Visitor v = visitor(ctx);
        JsonBody body = JsonBody.object(ctx);
        String key = Optional.ofNullable(ctx.header("Idempotency-Key")).filter(s -> !s.isBlank())
                .orElseGet(() -> body.optionalText("clientMessageId", 100).orElse(null));
        ctx.json(service.send(v, body.optionalString("textMessage").orElse(null), ChatRoutes.upload(body), key, ctx.ip()));
    }

    private void contact(Context ctx) {
        Organization org = organization(ctx);
        Principal.Visitor v = visitor(ctx, org);
        ctx.json(service.contact(v, org, contact(JsonBody.object(ctx))));
    }

    private static VisitorService.Contact contact(JsonBody body) {
        return new VisitorService.Contact(body.optionalText("name", 200).orElse(null),
                body.optionalText("email", 320).orElse(null), body.optionalText("phone", 64).orElse(null),
                body.optionalText("externalId", 200).orElse(null), body.optionalText("hash", 128).orElse(null));
    }

    private void offline(Context ctx) {
        Principal.Visitor v = visitor(ctx);
        JsonBody body = JsonBody.object(ctx);
        ctx.json(service.offline(v, contact(body), body.optionalString("textMessage").orElse(null), ctx.ip()));
    }

    private void rating(Context ctx) {
        Principal.Visitor v = visitor(ctx);
        JsonBody body = JsonBody.object(ctx);
        var chat = service.rate(v, body.requiredId("chatId"), body.requiredInt("score", 1, 5),
                body.optionalText("comment", 2000).orElse(null));
        ctx.json(Map.of("chatId", chat.id(), "rating", chat.rating()));
    }

    private void transcript(Context ctx) {
        Organization org = organization(ctx);
        Principal.Visitor v = visitor(ctx, org);
        long chatId = Params.queryId(ctx, "chatId").orElseThrow(() -> ApiException.badRequest("chatId", "'chatId' is required"));
        String text = service.transcript(v, chatId, org);
        ctx.contentType("text/plain; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"chat-" + chatId + ".txt\"")
                .header("X-Content-Type-Options", "nosniff")
                .result(text);
    }

    private void typing(Context ctx) {
        service.typing(visitor(ctx));
        ctx.status(200);
    }

    private void read(Context ctx) {
        Principal.Visitor v = visitor(ctx);
        service.read(v, JsonBody.object(ctx).requiredLong("seq"));
        ctx.status(200);
    }

    private void end(Context ctx) {
        Principal.Visitor v = visitor(ctx);
        service.end(v, JsonBody.object(ctx).requiredId("chatId"));
        ctx.status(200);
    }
}
