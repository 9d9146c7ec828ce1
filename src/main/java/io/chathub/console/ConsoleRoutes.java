package io.chathub.console;

import io.chathub.auth.Authenticator;
import io.chathub.auth.BrowserSessions;
import io.chathub.web.ApiException;
import io.chathub.web.JsonBody;
import io.chathub.web.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;

/** The console session ({@code /console/api/session…}), administrators and operator sign-ins. */
public final class ConsoleRoutes {
    private final ConsoleService sessions;
    private final PeopleService people;
    private final Authenticator auth;

    public ConsoleRoutes(ConsoleService sessions, PeopleService people, Authenticator auth) {
        this.sessions = sessions;
        this.people = people;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.post("/console/api/session", this::signIn);
        routes.get("/console/api/session", ctx -> {
            ctx.header("Cache-Control", "no-store");
            ctx.json(sessions.require(ctx).view());
        });
        routes.delete("/console/api/session", this::signOut);
        routes.put("/console/api/session/password", this::password);
        routes.post("/console/api/operator-token", this::operatorToken);
        routes.get("/api/company/admins", ctx -> ctx.json(people.list(auth.requireCompany(ctx))));
        routes.post("/api/company/admins", this::createAdmin);
        routes.put("/api/company/admins/{id}", this::updateAdmin);
        routes.delete("/api/company/admins/{id}", this::deleteAdmin);
        routes.put("/api/company/organization/{orgId}/operators/{id}/password", this::setOperatorLogin);
        routes.delete("/api/company/organization/{orgId}/operators/{id}/password", this::removeOperatorLogin);
    }

    private void signIn(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.isBlank() && !sessions.ownOrigin(origin, ctx)) {
            throw ApiException.forbidden("Origin not allowed: sign in from this server's own console");
        }
        JsonBody body = JsonBody.object(ctx);
        String login = body.requiredString("login");
        String password = body.requiredString("password");
        var created = sessions.signIn(login, password, ctx.ip());
        ctx.header("Set-Cookie", cookie(created.cookie(), (int) ConsoleService.IDLE.toSeconds(), ConsoleService.secure(ctx)));
        ctx.header("Cache-Control", "no-store");
        ctx.json(created.view());
    }

    private void signOut(Context ctx) {
        sessions.signOut(sessions.requireForChange(ctx));
        ctx.header("Set-Cookie", cookie("", 0, ConsoleService.secure(ctx)));
        ctx.status(200);
    }

    private void password(Context ctx) {
        var live = sessions.requireForChange(ctx);
        JsonBody body = JsonBody.object(ctx);
        sessions.changePassword(live, body.requiredString("currentPassword"), body.requiredString("newPassword"));
        ctx.status(200);
    }

    private void operatorToken(Context ctx) {
        var issued = sessions.operatorToken(sessions.requireForChange(ctx));
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("token", issued.token(), "expiresAt", issued.expiresAt().toString()));
    }

    /** The session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS; Path=/ (the console calls /api/… with it). */
    static String cookie(String value, int maxAgeSeconds, boolean secure) {
        return BrowserSessions.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    private void createAdmin(Context ctx) {
        var company = auth.requireCompany(ctx);
        JsonBody body = JsonBody.object(ctx);
        ctx.status(201).json(people.create(company, body.requiredString("login"), body.requiredString("password"),
                body.requiredString("role")));
    }

    private void updateAdmin(Context ctx) {
        var company = auth.requireCompany(ctx);
        long id = Params.pathId(ctx, "id");
        JsonBody body = JsonBody.object(ctx);
        ctx.json(people.update(company, id, body.optionalString("role").orElse(null), body.optionalString("password").orElse(null)));
    }

    private void deleteAdmin(Context ctx) {
        var company = auth.requireCompany(ctx);
        people.delete(company, Params.pathId(ctx, "id"));
        ctx.status(200);
    }

    private void setOperatorLogin(Context ctx) {
        var company = auth.requireCompany(ctx);
        long orgId = Params.pathId(ctx, "orgId");
        long id = Params.pathId(ctx, "id");
        JsonBody body = JsonBody.object(ctx);
        ctx.json(people.setOperatorLogin(company, orgId, id, body.requiredString("email"), body.requiredString("password")));
    }

    private void removeOperatorLogin(Context ctx) {
        var company = auth.requireCompany(ctx);
        people.removeOperatorLogin(company, Params.pathId(ctx, "orgId"), Params.pathId(ctx, "id"));
        ctx.status(200);
    }
}
