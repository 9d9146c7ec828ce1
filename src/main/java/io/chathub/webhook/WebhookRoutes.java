package io.chathub.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chathub.auth.Authenticator;
import io.chathub.web.JsonBody;
import io.chathub.web.Json;
import io.chathub.web.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A company's outbound webhooks, {@code /api/company/webhooks} (company token), and their delivery log. */
public final class WebhookRoutes {
    private static final String BASE = "/api/company/webhooks";
    private static final List<String> FIELDS = List.of("url", "events", "enabled", "secret", "rotateSecret");

    private final WebhookService service;
    private final Authenticator auth;

    public WebhookRoutes(WebhookService service, Authenticator auth) {
        this.service = service;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get(BASE, this::list);
        routes.post(BASE, this::create);
        routes.get(BASE + "/{id}", this::get);
        routes.put(BASE + "/{id}", this::update);
        routes.delete(BASE + "/{id}", this::delete);
        routes.get(BASE + "/{id}/deliveries", this::deliveries);
    }

    private void list(Context ctx) {
        ctx.json(service.list(auth.requireCompany(ctx)));
    }

    private void create(Context ctx) {
        var company = auth.requireCompany(ctx);
        ctx.status(201).json(answer(service.create(company, input(JsonBody.object(ctx)))));
    }

    private void get(Context ctx) {
        var company = auth.requireCompany(ctx);
        ctx.json(service.get(company, id(ctx)));
    }

    private void update(Context ctx) {
        var company = auth.requireCompany(ctx);
        long id = id(ctx);
        ctx.json(answer(service.update(company, id, input(JsonBody.object(ctx)))));
    }

    private void delete(Context ctx) {
        var company = auth.requireCompany(ctx);
        service.delete(company, id(ctx));
        ctx.status(200);
    }

    private void deliveries(Context ctx) {
        var company = auth.requireCompany(ctx);
        long id = id(ctx);
        String status = ctx.queryParam("status");
        ctx.json(service.deliveries(company, id, status == null || status.isEmpty() ? null : status,
                Params.queryInt(ctx, "limit", 50, 1, WebhookService.MAX_LOG)));
    }

    private static long id(Context ctx) {
        return Params.pathId(ctx, "id");
    }

    /** The webhook; with its secret in full when this very call made it (the only time it is shown). */
    private static Object answer(WebhookService.Saved saved) {
        if (saved.newSecret() == null) return saved.webhook();
        ObjectNode node = Json.MAPPER.valueToTree(saved.webhook());
        node.put("secret", saved.newSecret());
        return node;
    }

    private static WebhookService.Input input(JsonBody body) {
        Set<String> present = new HashSet<>();
        for (String f : FIELDS) if (body.has(f)) present.add(f);
        return new WebhookService.Input(
                body.optionalString("url").map(String::strip).orElse(null),
                body.optionalStringList("events").orElse(null),
                body.optionalBoolean("enabled").orElse(null),
                body.optionalString("secret").orElse(null),
                body.optionalBoolean("rotateSecret").orElse(false),
                present);
    }
}
