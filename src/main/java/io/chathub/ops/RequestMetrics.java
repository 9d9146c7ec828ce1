package io.chathub.ops;

import io.chathub.auth.Principal;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One structured log line and one timer sample per HTTP request. The log holds the path without its
 * query string and never a header, so tokens (which may travel as {@code access_token}) never reach it.
 */
public final class RequestMetrics {
    private static final Logger log = LoggerFactory.getLogger("chathub.http");

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(Context ctx, Float millis) {
        String route = route(ctx);
        int status = ctx.statusCode();
        Timer.builder("http.server.requests")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram(false)
                .register(registry)
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
        Object p = ctx.attribute("principal");
        String who = switch (p) {
            case Principal.Company c -> "company:" + c.companyId();
            case Principal.Operator o -> "operator:" + o.operatorId();
            case Principal.Visitor v -> "visitor:" + v.visitorId();
            case null, default -> "-";
        };
        if (log.isInfoEnabled()) {
            log.info("method={} path={} route={} status={} ms={} ip={} principal={}",
                    ctx.method().name(), ctx.path(), route, status, String.format("%.1f", millis), ctx.ip(), who);
        }
    }

    /** The path template of the HTTP handler that answered (not of a before- or after-handler that ran last). */
    private static String route(Context ctx) {
        try {
            Endpoint e = ctx.endpoints().matchedHttpEndpoint();
            return e == null ? "unmatched" : e.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }
}
