package io.chathub.widget;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs one of the widgets' browser suites ({@code widgets/test/*.test.mjs}: node:test with playwright-core in Debian's
 * Chromium) and fails with the end of its output unless every test passed. Needs {@code node},
 * {@code /usr/bin/chromium} ({@code scripts/test} installs Chromium when it is missing) and the widgets' npm
 * dependencies (the Maven build runs {@code npm ci}); missing any of them is a failure, not a skip.
 */
final class BrowserSuite {
    static final Path WIDGETS = Path.of("widgets").toAbsolutePath();

    private BrowserSuite() {}

    /** The browser, checked to exist. */
    static String chromium() {
        String chromium = System.getenv().getOrDefault("CHATHUB_CHROMIUM", "/usr/bin/chromium");
        assertThat(Path.of(chromium)).as("Chromium is needed for the browser tests: apt-get install -y chromium "
                + "(scripts/test does it), or set CHATHUB_CHROMIUM").exists();
        assertThat(WIDGETS.resolve("node_modules/playwright-core")).as("widgets/node_modules is missing: build with "
                + "Maven without -Dwidgets.skip (it runs npm ci)").exists();
        return chromium;
    }

    /** Runs {@code widgets/test/<script>} with {@code env} (null values remove a variable), its output in {@code log}. */
    static void run(String script, Map<String, String> env, String logName, long minutes) throws IOException, InterruptedException {
        Path log = Path.of("target", logName).toAbsolutePath();
        Files.createDirectories(log.getParent());
        List<String> command = new java.util.ArrayList<>(List.of("node", "--experimental-websocket"));
        // CHATHUB_TEST_PATTERN=<regex>: only the tests (or suites) whose names match, to repeat one while fixing it
        String only = System.getenv("CHATHUB_TEST_PATTERN");
        if (only != null && !only.isBlank()) command.add("--test-name-pattern=" + only);
        command.add("test/" + script);
        var pb = new ProcessBuilder(command)
                .directory(WIDGETS.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("CHATHUB_CHROMIUM", chromium());
        env.forEach((k, v) -> {
            if (v == null) pb.environment().remove(k);
            else pb.environment().put(k, v);
        });
        pb.environment().putIfAbsent("CHATHUB_SCREENSHOTS", Path.of("target", "widget-screenshots").toAbsolutePath().toString());
        Process node = pb.start();
        boolean finished = node.waitFor(minutes, TimeUnit.MINUTES);
        if (!finished) node.destroyForcibly();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished).as("the browser suite did not finish in time:\n" + tail(output)).isTrue();
        assertThat(node.exitValue()).as("browser suite failed (full log: " + log + "):\n" + tail(output)).isZero();
        assertThat(output).contains("# fail 0").containsPattern("# pass [1-9]");
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 150), lines.length));
    }
}
