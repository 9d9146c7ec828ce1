package io.chathub.client;

import io.chathub.auth.Authenticator;
import io.chathub.web.ApiException;
import io.chathub.web.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;

/** {@code /api/company/clients…}: a company's clients, their export and erasure. */
public final class ClientRoutes {
    static final int MAX_PAGE = 100;

    private final ClientService service;
    private final Authenticator auth;

    public ClientRoutes(ClientService service, Authenticator auth) {
        this.service = service;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/company/clients", this::list);
        routes.get("/api/company/clients/{id}", ctx -> ctx.json(service.get(auth.requireCompany(ctx), Params.pathId(ctx, "id"))));
        routes.get("/api/company/clients/{id}/export", this::export);
        routes.delete("/api/company/clients/{id}", ctx -> {
            service.erase(auth.requireCompany(ctx), Params.pathId(ctx, "id"));
            ctx.status(200);
        });
    }

    private void list(Context ctx) {
        var company = auth.requireCompany(ctx);
        String search = ctx.queryParam("search");
        if (search != null && search.length() > 200) throw ApiException.badRequest("search", "'search' is longer than 200 characters");
        search = search == null || search.isBlank() ? null : search.strip();
        var page = service.list(company, Params.queryId(ctx, "organizationId").orElse(null), search,
                Params.queryInt(ctx, "page", 1, 1, Integer.MAX_VALUE), Params.queryInt(ctx, "per_page", 20, 1, MAX_PAGE));
        ctx.json(Map.of("total", page.total(), "items", page.items()));
    }

    private void export(Context ctx) {
        var company = auth.requireCompany(ctx);
        long id = Params.pathId(ctx, "id");
        ctx.header("Content-Disposition", "attachment; filename=\"client-" + id + ".json\"");
        ctx.header("Cache-Control", "no-store");
        ctx.json(service.export(company, id));
    }
}
