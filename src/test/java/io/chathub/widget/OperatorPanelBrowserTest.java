package io.chathub.widget;

import com.sun.net.httpserver.HttpServer;
import io.chathub.ChatHub;
import io.chathub.config.Config;
import io.chathub.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

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
    private static final Path WIDGETS = Path.of("widgets").toAbsolutePath();

    private volatile ChatHub server;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void seedSnippetsAndPanelFeaturesInChromium() throws Exception {
        String chromium = System.getenv().getOrDefault("CHATHUB_CHROMIUM", "/usr/bin/chromium");
        assertThat(Path.of(chromium)).as("Chromium is needed for the browser tests: apt-get install -y chromium "
                + "(scripts/test does it), or set CHATHUB_CHROMIUM").exists();
        assertThat(WIDGETS.resolve("node_modules/playwright-core")).as("widgets/node_modules is missing: build with "
                + "Maven without -Dwidgets.skip (it runs npm ci)").exists();

        try (var db = TestDatabases.sqlite()) {
            int port = freePort();
            Config config = db.config().port(port).dev(true).demo(true).build();
            server = ChatHub.start(config);
            HttpServer control = control(config);
            try {
                String base = "http://127.0.0.1:" + port;
                Path log = Path.of("target", "widget-browser-tests.log").toAbsolutePath();
                Files.createDirectories(log.getParent());
                var pb = new ProcessBuilder(List.of("node", "--experimental-websocket", "test/panel.test.mjs"))
                        .directory(WIDGETS.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                pb.environment().put("CHATHUB_URL", base);
                pb.environment().put("CHATHUB_CONTROL", "http://127.0.0.1:" + control.getAddress().getPort());
                pb.environment().put("CHATHUB_CHROMIUM", chromium);
                pb.environment().putIfAbsent("CHATHUB_SCREENSHOTS", Path.of("target", "widget-screenshots").toAbsolutePath().toString());
                Process node = pb.start();
                boolean finished = node.waitFor(11, TimeUnit.MINUTES);
                if (!finished) node.destroyForcibly();
                String output = Files.readString(log, StandardCharsets.UTF_8);
                System.out.println(output);
                assertThat(finished).as("the browser suite did not finish in time:\n" + tail(output)).isTrue();
                assertThat(node.exitValue()).as("browser suite failed (full log: " + log + "):\n" + tail(output)).isZero();
                assertThat(output).contains("# fail 0").containsPattern("# pass [1-9]");
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

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 150), lines.length));
    }
}
