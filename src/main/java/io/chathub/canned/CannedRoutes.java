package io.chathub.canned;

import io.chathub.auth.Authenticator;
import io.chathub.web.JsonBody;
import io.chathub.web.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Canned responses of an organization ({@code /api/company/organization/{id}/canned-responses}) and an operator's. */
public final class CannedRoutes {
    private static final String BASE = "/api/company/organization/{id}/canned-responses";

    private final CannedService service;
    private final Authenticator auth;

    public CannedRoutes(CannedService service, Authenticator auth) {
        this.service = service;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get(BASE, ctx -> ctx.json(service.list(auth.require(ctx), Params.pathId(ctx, "id"))));
        routes.post(BASE, this::create);
        routes.put(BASE + "/{cid}", this::update);
        routes.delete(BASE + "/{cid}", this::delete);
        routes.get("/api/canned-responses", ctx -> ctx.json(service.mine(auth.require(ctx))));
    }

    private void create(Context ctx) {
        var company = auth.requireCompany(ctx);
        long org = Params.pathId(ctx, "id");
        JsonBody body = JsonBody.object(ctx);
        ctx.status(201).json(service.create(company, org, body.optionalString("shortcut").orElse(null),
                body.optionalString("text").orElse(null)));
    }

    private void update(Context ctx) {
        var company = auth.requireCompany(ctx);
        long org = Params.pathId(ctx, "id");
        long id = Params.pathId(ctx, "cid");
        JsonBody body = JsonBody.object(ctx);
        ctx.json(service.update(company, org, id, body.optionalString("shortcut").orElse(null),
                body.optionalString("text").orElse(null)));
    }

    private void delete(Context ctx) {
        var company = auth.requireCompany(ctx);
        service.delete(company, Params.pathId(ctx, "id"), Params.pathId(ctx, "cid"));
        ctx.status(200);
    }
}
