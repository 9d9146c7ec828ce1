package io.chathub.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ChatHub as a separate process ({@code java io.chathub.Main serve} on this JVM's class path), so that a test can kill
 * it with SIGKILL in the middle of its work and start it again on the same data dir and database. It listens on a
 * random port, read from its "ready" line; its output goes to {@code log}.
 */
public final class ChildServer implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ChatHub ready at http://localhost:(\\d+)");

    private final Process process;
    private final int port;

    private ChildServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server with this environment (added to CHATHUB_HOST=127.0.0.1, CHATHUB_PORT=0); waits until it is ready. */
    public static ChildServer start(Map<String, String> env, Path log) {
        String javaBin = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "io.chathub.Main", "serve"));
        var pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("CHATHUB_HOST", "127.0.0.1");
        pb.environment().put("CHATHUB_PORT", "0");
        pb.environment().putIfAbsent("CHATHUB_DEMO", "false");
        try {
            Process p = pb.start();
            var port = new CompletableFuture<Integer>();
            Thread.ofVirtual().start(() -> {
                try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                     var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                             java.nio.file.StandardOpenOption.APPEND)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        out.write(line);
                        out.newLine();
                        out.flush();
                        Matcher m = READY.matcher(line);
                        if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                    }
                } catch (IOException ignored) {
                    // the process died
                }
                port.completeExceptionally(new IllegalStateException("the server exited before it was ready; see " + log));
            });
            try {
                return new ChildServer(p, port.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                p.destroyForcibly();
                throw new IllegalStateException("the server did not get ready: " + e.getMessage() + "; see " + log, e);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, no graceful anything. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    private void waitFor(Duration wait) {
        try {
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) throw new IllegalStateException("server " + pid() + " did not exit");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, without waiting: the server drains meanwhile ({@link #awaitExit}). */
    public void terminate() {
        process.toHandle().destroy(); // Process.destroy() would also close our end of the child's output
    }

    /** True once the process has exited, within {@code wait}. */
    public boolean awaitExit(Duration wait) throws InterruptedException {
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM: the graceful stop. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
