package io.chathub.audit;

import io.chathub.auth.Authenticator;
import io.chathub.web.ApiException;
import io.chathub.web.Params;
import io.chathub.web.Times;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;

/** {@code GET /api/company/audit}: the company's audit log, newest first. */
public final class AuditRoutes {
    private final AuditLog audit;
    private final Authenticator auth;

    public AuditRoutes(AuditLog audit, Authenticator auth) {
        this.audit = audit;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/company/audit", this::list);
    }

    private void list(Context ctx) {
        var company = auth.requireCompany(ctx);
        Long from = Times.queryInstant(ctx, "from", false);
        Long to = Times.queryInstant(ctx, "to", true);
        if (from != null && to != null && to <= from) throw ApiException.badRequest("to", "'to' must be after 'from'");
        int limit = Params.queryInt(ctx, "limit", 100, 1, AuditLog.MAX_LIMIT);
        Long before = Params.queryId(ctx, "before").orElse(null);
        List<AuditEntry> items = audit.list(company, from, to, before, limit);
        var out = new LinkedHashMap<String, Object>();
        out.put("items", items);
        out.put("nextBefore", items.size() == limit ? items.get(items.size() - 1).id() : null);
        ctx.json(out);
    }
}
