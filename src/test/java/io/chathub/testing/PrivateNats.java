package io.chathub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A nats-server of the test's own on a free loopback port (the binary on the PATH, else /usr/sbin/nats-server), so
 * that a test can kill and restart it without touching the shared one on 4222. Its output goes to {@code log}.
 * Closing kills it.
 */
public final class PrivateNats implements AutoCloseable {
    private final String binary;
    private final int port;
    private final Path log;
    private Process process;

    private PrivateNats(String binary, int port, Path log) {
        this.binary = binary;
        this.port = port;
        this.log = log;
    }

    public static PrivateNats start(Path log) {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrivateNats nats = new PrivateNats(binary(), port, log);
        nats.startServer();
        return nats;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the server (again) on the same port; returns once it accepts connections. */
    public synchronized void startServer() {
        if (process != null && process.isAlive()) throw new IllegalStateException("nats-server is running");
        try {
            process = new ProcessBuilder(List.of(binary, "-a", "127.0.0.1", "-p", Integer.toString(port)))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return;
                } catch (IOException notYet) {
                    if (!process.isAlive()) throw new IllegalStateException("nats-server exited " + process.exitValue() + "; see " + log);
                    if (System.nanoTime() > deadline) throw new IllegalStateException("nats-server did not listen within 10 s; see " + log);
                    Thread.sleep(50);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "nats-server");
            if (Files.isExecutable(p)) return p.toString();
        }
        if (Files.isExecutable(Path.of("/usr/sbin/nats-server"))) return "/usr/sbin/nats-server";
        throw new IllegalStateException("nats-server is not installed (apt-get install nats-server); the NATS tests are never skipped");
    }

    @Override
    public void close() {
        kill();
    }
}
