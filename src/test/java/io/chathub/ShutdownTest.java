package io.chathub;

import io.chathub.testing.DatabaseTest;
import io.chathub.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a real server process ({@code Main serve} in a child JVM; {@link ProcessHandle#destroy} sends SIGTERM):
 * the drain is logged step by step, hub clients get Close {allowReconnect: true}, a hub client that does not answer
 * is dropped, and the process is gone within {@code CHATHUB_SHUTDOWN_GRACE} even with an upload still running.
 */
class ShutdownTest extends DatabaseTest {
    static final Duration GRACE = Duration.ofSeconds(5);
    static final String RS = "\u001e";
    static final String HANDSHAKE = "{\"protocol\":\"json\",\"version\":1}" + RS;
    static final String DEV_TOKEN = "test-token-for-development";

    private Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) c.close();
        if (process != null && process.isAlive()) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void sigtermDrainsTellsHubClientsToReconnectAndExitsWithinTheGrace() throws Exception {
        int port = startServer();

        var hubClient = new PoliteHubClient(port);
        assertThat(hubClient.next()).isEqualTo("{}" + RS);
        Socket deaf = deafHubClient(port);
        Socket keepAlive = keepAliveConnection(port);
        Socket upload = slowUpload(port);
        clients.addAll(List.of(deaf, keepAlive, upload));

        long sent = System.nanoTime();
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of the child's output
        boolean exited = process.waitFor(GRACE.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        long tookMillis = (System.nanoTime() - sent) / 1_000_000;

        assertThat(exited).as("exited; output:\n%s", String.join("\n", output)).isTrue();
        outputEnded.get(10, TimeUnit.SECONDS);
        assertThat(tookMillis).as("SIGTERM to exit, ms; output:\n%s", String.join("\n", output))
                .isLessThan(GRACE.toMillis());
        assertThat(hubClient.next()).isEqualTo("{\"type\":7,\"allowReconnect\":true}" + RS);
        assertThat(hubClient.closed.get(5, TimeUnit.SECONDS)).as("WebSocket close status").isEqualTo(1000);
        assertThat(logged("draining: readiness DOWN, grace 5000 ms")).isNotNull();
        assertThat(logged("closed 2 hub connections (1 dropped: no answer to Close) in ")).isNotNull();
        assertThat(logged("HTTP server stopped in ")).contains("requests still running at the deadline were cut");
        assertThat(logged("message writer flushed ")).matches(".*message writer flushed \\d+ writes in \\d+ ms");
        Matcher stopped = Pattern.compile("stopped in (\\d+) ms").matcher(logged("logger=ChatHub stopped in "));
        assertThat(stopped.find()).isTrue();
        assertThat(Long.parseLong(stopped.group(1))).isLessThan(GRACE.toMillis());
    }

    /** The first output line containing {@code text}, or an assertion error listing the output. */
    private String logged(String text) {
        return output.stream().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "' in:\n" + String.join("\n", output)));
    }

    /** Starts {@code Main serve} in a child JVM on a random port with demo data; returns the port. */
    private int startServer() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve").redirectErrorStream(true);
        builder.environment().putAll(testDatabase.env());
        builder.environment().put("CHATHUB_HOST", "127.0.0.1");
        builder.environment().put("CHATHUB_PORT", "0");
        builder.environment().put("CHATHUB_DEMO", "true");
        builder.environment().put("CHATHUB_DEV", "true");
        builder.environment().put("CHATHUB_JWT_SECRET", TestServer.JWT_SECRET);
        builder.environment().put("CHATHUB_SHUTDOWN_GRACE", GRACE.toSeconds() + "s");
        process = builder.start();
        var ready = new CompletableFuture<Integer>();
        Thread.ofVirtual().start(() -> {
            Pattern url = Pattern.compile("ChatHub ready at http://localhost:(\\d+)");
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                    Matcher m = url.matcher(line);
                    if (m.find()) ready.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            } finally {
                outputEnded.complete(null);
            }
            ready.completeExceptionally(new AssertionError("the server ended before it was ready:\n" + String.join("\n", output)));
        });
        return ready.get(90, TimeUnit.SECONDS);
    }

    /** A hub client that reads everything and answers the close handshake (java.net.http does). */
    final class PoliteHubClient implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private final HttpClient http = HttpClient.newHttpClient();

        PoliteHubClient(int port) throws Exception {
            WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/chathub?access_token=" + DEV_TOKEN), this)
                    .get(10, TimeUnit.SECONDS);
            ws.sendText(HANDSHAKE, true).get(10, TimeUnit.SECONDS);
            clients.add(this);
        }

        String next() throws InterruptedException {
            String m = messages.poll(10, TimeUnit.SECONDS);
            if (m == null) throw new AssertionError("no hub message within 10 s; output:\n" + String.join("\n", output));
            return m;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        @Override
        public void close() {
            http.close();
        }
    }

    /** A hub client that completes the handshake, then never reads again (a dead network): it never answers Close. */
    static Socket deafHubClient(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        write(s, "GET /chathub?access_token=" + DEV_TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 101");
        byte[] payload = HANDSHAKE.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[6 + payload.length]; // FIN + text, masked with a zero mask (allowed, and simple)
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(payload, 0, frame, 6, payload.length);
        s.getOutputStream().write(frame);
        s.getOutputStream().flush();
        return s;
    }

    /** An HTTP/1.1 connection that made one request and stays open (keep-alive). */
    static Socket keepAliveConnection(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        write(s, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
        return s;
    }

    /** A request whose body (1 MB announced) trickles in, 100 bytes every 100 ms, until the server cuts it. */
    static Socket slowUpload(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        write(s, "POST /api/company/get-token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000000\r\n\r\n{\"login\":\"");
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = s.getOutputStream();
                while (true) {
                    out.write("a".repeat(100).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // cut by the server, or the test is over
            }
        });
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Reads up to the end of a response head (and whatever else came with it). */
    private static String readHead(InputStream in) throws IOException {
        var head = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!head.toString().contains("\r\n\r\n")) {
            int n = in.read(buffer);
            if (n < 0) break;
            head.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return head.toString();
    }
}
