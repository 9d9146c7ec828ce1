package io.chathub.operator;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.chathub.auth.Authenticator;
import io.chathub.auth.Principal;
import io.chathub.web.ApiException;
import io.chathub.web.JsonBody;
import io.chathub.web.Params;
import io.chathub.web.TokenResponse;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The operator API: list, synchronize, status, and operator tokens. */
public final class OperatorRoutes {
    private final OperatorService service;
    private final Authenticator auth;
    private final Function<Collection<Long>, Set<Long>> online;

    /** {@code online}: which of these operators have a hub connection open on a live node (cluster-wide presence). */
    public OperatorRoutes(OperatorService service, Authenticator auth, Function<Collection<Long>, Set<Long>> online) {
        this.service = service;
        this.auth = auth;
        this.online = online;
    }

    /** An operator in the list, with (ext) {@code online}. */
    public record Listed(@JsonUnwrapped Operator operator, boolean online) {}

    public void register(RoutesConfig routes) {
        routes.get("/api/operator", this::list);
        routes.post("/api/operator/synchronize", this::synchronize);
        routes.post("/api/operator/status", this::status);
        routes.post("/api/operator/get-token", this::getToken);
        routes.post("/api/operator/validate-token", this::validateToken);
        routes.post("/api/operator/revoke-token", this::revokeToken);
    }

    private void list(Context ctx) {
        Principal principal = auth.require(ctx);
        List<Operator> operators = service.list(principal, Params.queryId(ctx, "organizationId"));
        Set<Long> on = online.apply(operators.stream().map(Operator::id).toList());
        ctx.json(operators.stream().map(o -> new Listed(o, on.contains(o.id()))).toList());
    }

    private void synchronize(Context ctx) {
        var company = auth.requireCompany(ctx);
        List<JsonBody> body = JsonBody.array(ctx);
        List<OperatorService.SyncItem> items = body.stream().map(item -> new OperatorService.SyncItem(
                item.requiredId("organizationId"),
                item.requiredText("name", 200),
                item.optionalText("externalId", 200).orElse(null),
                item.optionalText("email", 320).orElse(null),
                item.optionalText("photo", 2000).orElse(null),
                item.optionalInt("maxChats", 0, 1000).orElse(null))).toList();
        ctx.json(service.synchronize(company, items).stream().map(Operator::summary).toList());
    }

    private void status(Context ctx) {
        var company = auth.requireCompany(ctx);
        JsonBody body = JsonBody.object(ctx);
        long id = body.requiredId("id");
        int status = body.requiredEnum("status", OperatorStatus.WIRE);
        service.setStatus(company, id, OperatorStatus.of(status));
        ctx.status(200);
    }

    private void getToken(Context ctx) {
        var company = auth.requireCompany(ctx);
        JsonBody body = JsonBody.object(ctx);
        var issued = service.issueToken(company, body.requiredId("id"), body.requiredInstant("expiresAt"));
        TokenResponse.send(ctx, issued.token());
    }

    /** A company validates any token; an operator token may validate itself (even when expired or revoked). */
    private void validateToken(Context ctx) {
        JsonBody body = JsonBody.object(ctx);
        String token = Authenticator.unquote(body.requiredString("token"));
        String caller = Authenticator.tokenFrom(ctx).orElse("");
        if (!caller.isEmpty() && caller.equals(token)) {
            ctx.json(service.validateToken(null, token));
            return;
        }
        var company = auth.requireCompany(ctx);
        ctx.json(service.validateToken(company.companyId(), token));
    }

    private void revokeToken(Context ctx) {
        var company = auth.requireCompany(ctx);
        JsonBody body = JsonBody.object(ctx);
        if (body.has("token")) service.revokeToken(company, Authenticator.unquote(body.requiredString("token")));
        else if (body.has("id")) service.revokeAll(company, body.requiredId("id"));
        else throw ApiException.badRequest("token", "Give 'token' (one token) or 'id' (all tokens of an operator)");
        ctx.status(200);
    }
}
