package io.chathub.company;

import io.chathub.web.JsonBody;
import io.chathub.web.TokenResponse;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code POST /api/company/get-token}: the company login. */
public final class CompanyRoutes {
    private final CompanyService service;

    public CompanyRoutes(CompanyService service) {
        this.service = service;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/company/get-token", this::getToken);
    }

    private void getToken(Context ctx) {
        JsonBody body = JsonBody.object(ctx);
        String login = body.requiredString("login");
        String password = body.requiredString("password");
        TokenResponse.send(ctx, service.login(login, password, ctx.ip()).token());
    }
}
