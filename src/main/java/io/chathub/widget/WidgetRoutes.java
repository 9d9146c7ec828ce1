package io.chathub.widget;

import io.chathub.web.ApiException;
import io.chathub.web.Problems;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.Map;

/**
 * Serves the browser widgets as ES modules, each the same way:
 * <ul>
 *   <li>{@code GET /<widget>/widget-script.js}: the small entry that pages embed, revalidated on every use
 *   ({@code Cache-Control: no-cache} + ETag, so a new release is picked up at once);</li>
 *   <li>{@code GET /<widget>/{version}/<file>}: the widget's files, named by the content hash of the build and cached
 *   for a year as immutable.</li>
 * </ul>
 * The widgets are the operator chat panel ({@code /operator-chat-panel/…}, its bundle {@code panel.js}; SPEC §4) and
 * the customer chat widget ({@code /chat-widget/…}, its bundle {@code widget.js} and any lazily loaded part; SPEC §5).
 * Both are compressed (Brotli or gzip, by Accept-Encoding) and readable from any origin (module scripts are fetched
 * with CORS); the API behind them enforces the organizations' allowed origins.
 */
public final class WidgetRoutes {
    public static final String ENTRY_PATH = "/operator-chat-panel/widget-script.js";
    public static final String CHAT_ENTRY_PATH = "/chat-widget/widget-script.js";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final Map<String, String> TITLES = Map.of(WidgetAssets.PANEL, "operator chat panel",
            WidgetAssets.CHAT, "customer chat widget");

    private final WidgetAssets assets;

    /** {@code assets} may be null (widgets not built): the paths then answer 503. */
    public WidgetRoutes(WidgetAssets assets) {
        this.assets = assets;
    }

    public void register(RoutesConfig routes) {
        routes.get(ENTRY_PATH, ctx -> entry(ctx, WidgetAssets.PANEL));
        routes.get("/operator-chat-panel/{version}/panel.js", ctx -> file(ctx, WidgetAssets.PANEL, "panel.js"));
        routes.get(CHAT_ENTRY_PATH, ctx -> entry(ctx, WidgetAssets.CHAT));
        routes.get("/chat-widget/{version}/{file}", ctx -> file(ctx, WidgetAssets.CHAT, ctx.pathParam("file")));
    }

    private void entry(Context ctx, String name) {
        WidgetAssets.Widget w = widget(ctx, name);
        if (w != null) send(ctx, w.entry(), "no-cache");
    }

    private void file(Context ctx, String name, String file) {
        WidgetAssets.Widget w = widget(ctx, name);
        if (w == null) return;
        WidgetAssets.Asset asset = w.file(file);
        if (!w.version().equals(ctx.pathParam("version")) || asset == null) {
            throw ApiException.notFound("No " + TITLES.get(name) + " file " + ctx.pathParam("version") + "/" + file
                    + "; load /" + name + "/widget-script.js");
        }
        send(ctx, asset, "public, max-age=31536000, immutable");
    }

    private WidgetAssets.Widget widget(Context ctx, String name) {
        WidgetAssets.Widget w = assets == null ? null : assets.widget(name);
        if (w != null) return w;
        Problems.respond(ctx, 503, "The " + TITLES.get(name) + " was not built into this server (built with -Dwidgets.skip)",
                null, Map.of());
        return null;
    }

    private static void send(Context ctx, WidgetAssets.Asset asset, String cacheControl) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Cross-Origin-Resource-Policy", "cross-origin");
        send(ctx, asset, cacheControl, JS);
    }

    /** An asset with its caching, its ETag (304 when it matches) and the best compressed form the client accepts. */
    static void send(Context ctx, WidgetAssets.Asset asset, String cacheControl, String contentType) {
        ctx.header("Cache-Control", cacheControl);
        ctx.header("ETag", asset.etag());
        ctx.header("Vary", "Accept-Encoding");
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
        ctx.contentType(contentType);
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
