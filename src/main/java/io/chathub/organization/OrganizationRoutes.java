package io.chathub.organization;

import io.chathub.auth.Authenticator;
import io.chathub.web.JsonBody;
import io.chathub.web.Params;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The organization API of a company: the hosted list, and the (ext) CRUD with settings. */
public final class OrganizationRoutes {
    private final OrganizationService service;
    private final Authenticator auth;

    public OrganizationRoutes(OrganizationService service, Authenticator auth) {
        this.service = service;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/company/organization", this::list);
        routes.post("/api/company/organization", this::create);
        routes.get("/api/company/organization/{id}", this::get);
        routes.put("/api/company/organization/{id}", this::update);
        routes.delete("/api/company/organization/{id}", this::delete);
    }

    private void list(Context ctx) {
        var principal = auth.require(ctx);
        ctx.json(service.list(principal).stream().map(Organization::summary).toList());
    }

    private void get(Context ctx) {
        var principal = auth.require(ctx);
        ctx.json(service.get(principal, id(ctx)));
    }

    private void create(Context ctx) {
        var company = auth.requireCompany(ctx);
        ctx.status(201).json(answer(service.create(company, input(JsonBody.object(ctx)))));
    }

    private void update(Context ctx) {
        var company = auth.requireCompany(ctx);
        long id = id(ctx);
        ctx.json(answer(service.update(company, id, input(JsonBody.object(ctx)))));
    }

    /** The organization; with the identity secret in full when this very call made it (the only time it is shown). */
    private static Object answer(OrganizationService.Saved saved) {
        if (saved.newIdentitySecret() == null) return saved.organization();
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) io.chathub.web.Json.MAPPER.valueToTree(saved.organization());
        node.put("identitySecret", saved.newIdentitySecret());
        return node;
    }

    private void delete(Context ctx) {
        var company = auth.requireCompany(ctx);
        service.delete(company, id(ctx));
        ctx.status(200);
    }

    private static long id(Context ctx) {
        return Params.pathId(ctx, "id");
    }

    private static OrganizationInput input(JsonBody body) {
        Set<String> present = new HashSet<>();
        for (String f : OrganizationInput.FIELDS) if (body.contains(f)) present.add(f);
        return new OrganizationInput(
                body.optionalString("name").orElse(null),
                body.optionalStringList("allowedOrigins").orElse(List.of()),
                body.optionalString("greeting").orElse(null),
                body.optionalNode("businessHours").orElse(null),
                body.optionalString("offlineContact").orElse(null),
                body.optionalString("themeColor").orElse(null),
                body.optionalString("defaultLanguage").orElse(null),
                body.optionalNode("preChat").orElse(null),
                body.optionalString("position").orElse(null),
                body.optionalString("identitySecret").orElse(null),
                body.optionalBoolean("rotateIdentitySecret").orElse(false),
                body.optionalBoolean("rotateWidgetGuid").orElse(false),
                present);
    }
}
