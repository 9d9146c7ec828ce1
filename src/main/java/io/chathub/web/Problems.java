package io.chathub.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/** Maps every error to an RFC 9457 {@code application/problem+json} response, in one place. */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {}

    public static void register(JavalinConfig config) {
        config.routes.exception(ApiException.class, (e, ctx) -> respond(ctx, e));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String detail = status == 413 ? "Request body too large" : e.getMessage();
            if (status == 405) {
                String allow = allow(e);
                ctx.header("Allow", allow);
                detail = "Method " + ctx.method() + " not allowed on " + ctx.path() + "; allowed: " + allow;
            }
            respond(ctx, status, detail, null, Map.of());
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            if (io.chathub.db.Database.isUnavailable(e)) { // the database went away: worth a retry, not a stack trace
                log.warn("database unavailable on {} {}: {}", ctx.method(), ctx.path(), e.toString());
                ctx.header("Retry-After", "1");
                respond(ctx, 503, "The database is unavailable; try again (a send with the same Idempotency-Key is stored once)",
                        null, Map.of());
                return;
            }
            log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            respond(ctx, 500, "Internal server error", null, Map.of());
        });
        config.routes.error(404, ctx -> {
            if (!isProblem(ctx)) respond(ctx, 404, "No such resource: " + ctx.method() + " " + ctx.path(), null, Map.of());
        });
        config.routes.error(405, ctx -> {
            if (!isProblem(ctx)) respond(ctx, 405, "Method " + ctx.method() + " not allowed on " + ctx.path(), null, Map.of());
        });
    }

    /** The methods Javalin found for the path ({@code prefer405over404}); HEAD is answered wherever GET is. */
    private static String allow(HttpResponseException e) {
        var methods = new java.util.LinkedHashSet<String>();
        for (String v : e.getDetails().values()) {
            for (String m : v.split(",")) if (!m.isBlank()) methods.add(m.strip().toUpperCase(java.util.Locale.ROOT));
        }
        if (methods.contains("GET")) methods.add("HEAD");
        return String.join(", ", methods);
    }

    private static boolean isProblem(Context ctx) {
        String ct = ctx.res().getContentType();
        return ct != null && ct.startsWith(CONTENT_TYPE);
    }

    public static void respond(Context ctx, ApiException e) {
        if (e.status() == 429) ctx.header("Retry-After", String.valueOf(e.extensions().get("retryAfter")));
        if (e.status() == 401) ctx.header("WWW-Authenticate", "Bearer");
        respond(ctx, e.status(), e.detail(), e.field(), e.extensions());
    }

    public static void respond(Context ctx, int status, String detail, String field, Map<String, Object> extensions) {
        // A refused body may be unread: say that this connection ends, so the client opens a new one for its next
        // request instead of reusing one the server is about to close.
        if (status == 413) ctx.header("Connection", "close");
        ctx.status(status).contentType(CONTENT_TYPE).result(Json.write(body(status, detail, ctx.path(), field, extensions)));
    }

    /** The problem document: type, title, status, detail, instance, then {@code field} and the extensions. */
    public static Map<String, Object> body(int status, String detail, String instance, String field, Map<String, Object> extensions) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", HttpStatus.forStatus(status).getMessage());
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        if (field != null) body.put("field", field);
        body.putAll(extensions);
        return body;
    }
}
