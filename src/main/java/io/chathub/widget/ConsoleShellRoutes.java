package io.chathub.widget;

import io.chathub.web.ApiException;
import io.chathub.web.Problems;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;

/**
 * Serves the company web console (built by {@code widgets/} from {@code src/console/}):
 * <ul>
 *   <li>{@code GET /console/} and every client-side route under it ({@code /console/organizations/5}, …): the HTML
 *   shell, revalidated on every use ({@code no-cache} + ETag), with a Content-Security-Policy that allows no inline
 *   script;</li>
 *   <li>{@code GET /console/assets/{version}/{file}}: its modules and stylesheet, named by the build's content hash
 *   and cached for a year as immutable, Brotli or gzip by Accept-Encoding.</li>
 * </ul>
 * Paths under {@code /console/api/} are the console's API (its session), never the shell: one that no route
 * answers is a 404 problem. Register this last, after every other {@code /console/…} route.
 */
public final class ConsoleShellRoutes {
    public static final String PATH = "/console";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https:; "
            + "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
    /**
     * The full-page operator panel and the customer widget's preview: the widgets keep their styles in {@code <style>}
     * elements of their shadow roots; the preview is framed by the console.
     */
    private static final Map<String, String> PAGES = Map.of(
            "panel", CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
            "preview", CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("frame-ancestors 'none'", "frame-ancestors 'self'"));
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final WidgetAssets assets;

    /** {@code assets} may be null (widgets not built): the console then answers 503. */
    public ConsoleShellRoutes(WidgetAssets assets) {
        this.assets = assets;
    }

    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> shell(ctx, ""));
        routes.get(PATH + "/assets/{version}/{file}", this::asset);
        routes.get(PATH + "/<route>", ctx -> shell(ctx, ctx.pathParam("route")));
    }

    private void shell(Context ctx, String route) {
        if (route.startsWith("api/") || route.equals("api") || route.startsWith("assets/")) {
            throw ApiException.notFound("No such console path: " + ctx.path());
        }
        WidgetAssets.Widget console = console(ctx);
        if (console == null) return;
        String page = route.replaceAll("/+$", "");
        ctx.header("Content-Security-Policy", PAGES.getOrDefault(page, CSP));
        ctx.header("X-Frame-Options", page.equals("preview") ? "SAMEORIGIN" : "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        WidgetRoutes.send(ctx, console.entry(), "no-cache", "text/html; charset=utf-8");
    }

    private void asset(Context ctx) {
        WidgetAssets.Widget console = console(ctx);
        if (console == null) return;
        String file = ctx.pathParam("file");
        WidgetAssets.Asset asset = console.file(file);
        String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        if (!console.version().equals(ctx.pathParam("version")) || asset == null || type == null) {
            throw ApiException.notFound("No console file " + ctx.pathParam("version") + "/" + file + "; load /console/");
        }
        WidgetRoutes.send(ctx, asset, "public, max-age=31536000, immutable", type);
    }

    private WidgetAssets.Widget console(Context ctx) {
        WidgetAssets.Widget w = assets == null ? null : assets.widget(WidgetAssets.CONSOLE);
        if (w != null) return w;
        Problems.respond(ctx, 503, "The console was not built into this server (built with -Dwidgets.skip)", null, Map.of());
        return null;
    }
}
