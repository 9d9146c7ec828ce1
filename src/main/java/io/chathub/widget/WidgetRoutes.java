package io.chathub.widget;

import io.chathub.web.ApiException;
import io.chathub.web.Problems;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.Map;

/**
 * Serves the operator chat panel (SPEC §4) as an ES module:
 * <ul>
 *   <li>{@code GET /operator-chat-panel/widget-script.js}: the small entry that pages embed, revalidated on every
 *   use ({@code Cache-Control: no-cache} + ETag, so a new release is picked up at once);</li>
 *   <li>{@code GET /operator-chat-panel/{version}/panel.js}: the bundle, named by its content hash and cached for
 *   a year as immutable.</li>
 * </ul>
 * Both are compressed (Brotli or gzip, by Accept-Encoding) and readable from any origin (module scripts are
 * fetched with CORS); the API behind them enforces the organization's allowed origins.
 */
public final class WidgetRoutes {
    public static final String ENTRY_PATH = "/operator-chat-panel/widget-script.js";
    private static final String JS = "text/javascript; charset=utf-8";

    private final WidgetAssets assets;

    /** {@code assets} may be null (widgets not built): the paths then answer 503. */
    public WidgetRoutes(WidgetAssets assets) {
        this.assets = assets;
    }

    public void register(RoutesConfig routes) {
        routes.get(ENTRY_PATH, this::entry);
        routes.get("/operator-chat-panel/{version}/panel.js", this::bundle);
    }

    private void entry(Context ctx) {
        if (available(ctx)) send(ctx, assets.entry(), "no-cache");
    }

    private void bundle(Context ctx) {
        if (!available(ctx)) return;
        WidgetAssets a = assets;
        if (!a.version().equals(ctx.pathParam("version"))) {
            throw ApiException.notFound("No operator chat panel version " + ctx.pathParam("version")
                    + "; load " + ENTRY_PATH);
        }
        send(ctx, a.bundle(), "public, max-age=31536000, immutable");
    }

    private boolean available(Context ctx) {
        if (assets != null) return true;
        Problems.respond(ctx, 503, "The operator chat panel was not built into this server (built with -Dwidgets.skip)",
                null, Map.of());
        return false;
    }

    private static void send(Context ctx, WidgetAssets.Asset asset, String cacheControl) {
        ctx.header("Cache-Control", cacheControl);
        ctx.header("ETag", asset.etag());
        ctx.header("Vary", "Accept-Encoding");
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Cross-Origin-Resource-Policy", "cross-origin");
        ctx.header("X-Content-Type-Options", "nosniff");
        if (matches(ctx.header("If-None-Match"), asset.etag())) {
            ctx.status(304);
            return;
        }
        String accept = ctx.header("Accept-Encoding");
        byte[] body = asset.identity();
        if (asset.brotli() != null && accepts(accept, "br")) {
            ctx.header("Content-Encoding", "br");
            body = asset.brotli();
        } else if (asset.gzip() != null && accepts(accept, "gzip")) {
            ctx.header("Content-Encoding", "gzip");
            body = asset.gzip();
        }
        ctx.contentType(JS);
        ctx.result(body);
    }

    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.startsWith("W/")) c = c.substring(2);
            if (c.equals("*") || c.equals(etag)) return true;
        }
        return false;
    }

    /** Whether Accept-Encoding lists {@code coding} with a non-zero quality. */
    static boolean accepts(String acceptEncoding, String coding) {
        if (acceptEncoding == null) return false;
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.strip().split(";");
            if (!p[0].strip().equals(coding)) continue;
            for (int i = 1; i < p.length; i++) {
                String param = p[i].strip();
                if (param.startsWith("q=")) {
                    try {
                        return Double.parseDouble(param.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            return true;
        }
        return false;
    }
}
