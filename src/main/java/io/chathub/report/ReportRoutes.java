package io.chathub.report;

import io.chathub.auth.Authenticator;
import io.chathub.web.Params;
import io.chathub.web.Times;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /api/company/reports/…}: summary, time series and operators. */
public final class ReportRoutes {
    private final ReportService service;
    private final Authenticator auth;

    public ReportRoutes(ReportService service, Authenticator auth) {
        this.service = service;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/company/reports/summary", ctx -> ctx.json(service.summary(scope(ctx, true))));
        routes.get("/api/company/reports/timeseries", ctx -> {
            var scope = scope(ctx, false);
            ctx.json(service.timeseries(scope, text(ctx, "metric", "chats"), text(ctx, "interval", "day")));
        });
        routes.get("/api/company/reports/operators", ctx -> ctx.json(service.operators(scope(ctx, false))));
    }

    private ReportStore.Scope scope(Context ctx, boolean byOperator) {
        var principal = auth.requireCompany(ctx);
        return service.scope(principal, Times.queryInstant(ctx, "from", false), Times.queryInstant(ctx, "to", true),
                Params.queryId(ctx, "organizationId").orElse(null),
                byOperator ? Params.queryId(ctx, "operatorId").orElse(null) : null);
    }

    private static String text(Context ctx, String name, String fallback) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }
}
