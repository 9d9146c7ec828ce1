package io.chathub.widget;

import com.sun.net.httpserver.HttpServer;
import io.chathub.ChatHub;
import io.chathub.config.Config;
import io.chathub.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator chat panel in a real browser: runs the Playwright suite {@code widgets/test/panel.test.mjs}
 * (Debian's Chromium through playwright-core) against a real server in development mode with the demo company.
 * The suite reproduces the seed page's snippets (static HTML, dynamic injection, React, Vue, token refresh, two
 * organizations, loadWidgetOnce, loadWidgetSafely, expiry) and checks the panel's features, errors, network loss,
 * a server restart mid-chat and XSS payloads. It restarts the server through a small control endpoint
 * ({@code POST /stop}, {@code POST /start}) that this test serves; the server keeps its port and database.
 *
 * <p>Needs {@code node} and {@code /usr/bin/chromium} ({@code scripts/test} installs Chromium when it is missing)
 * and the widgets' npm dependencies (the Maven build runs {@code npm ci}). Missing any of them is a failure, not a
 * skip. {@code CHATHUB_SCREENSHOTS=docs/img} also writes the README's screenshots.
 */
class OperatorPanelBrowserTest {
    private volatile ChatHub server;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void seedSnippetsAndPanelFeaturesInChromium() throws Exception {
        BrowserSuite.chromium();
        try (var db = TestDatabases.sqlite()) {
            Config config = db.config().port(BrowserSuite.freePort()).dev(true).demo(true).build();
            server = ChatHub.start(config);
            HttpServer control = control(config);
            try {
                BrowserSuite.run("panel.test.mjs", Map.of("CHATHUB_URL", "http://127.0.0.1:" + config.port(),
                        "CHATHUB_CONTROL", "http://127.0.0.1:" + control.getAddress().getPort()), "widget-browser-tests.log", 11);
            } finally {
                control.stop(0);
                ChatHub s = server;
                if (s != null) s.close();
            }
        }
    }

    /** POST /stop closes the server (gracefully, as on SIGTERM); POST /start starts it again on the same port. */
    private HttpServer control(Config config) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int status = 200;
            synchronized (this) {
                try {
                    if (path.equals("/stop") && server != null) {
                        server.close();
                        server = null;
                    } else if (path.equals("/start") && server == null) {
                        server = ChatHub.start(config);
                    } else if (!path.equals("/stop") && !path.equals("/start")) {
                        status = 404;
                    }
                } catch (RuntimeException e) {
                    status = 500;
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        http.start();
        return http;
    }
}
