package io.chathub.webhook;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outbound side of a delivery: one HTTP/1.1 POST over a new connection to an address that {@link UrlGuard} has
 * checked (never a name resolved again here), with TLS verified against the URL's host for {@code https}. Nothing
 * is followed (a redirect is an answer like any other), the whole attempt — connect, TLS, request, the response's
 * status line — is bounded by one timeout (a timer closes the socket at the deadline), and of the response only
 * the status line is read (at most 8 KB with any 1xx interim answers); the connection is then closed.
 */
final class WebhookHttp implements AutoCloseable {
    static final int MAX_RESPONSE_HEAD = 8 * 1024;
    private static final String USER_AGENT = "ChatHub-Webhooks/1";

    /** An attempt's result: the HTTP status, or 0 and what went wrong when no answer came. */
    record Result(int status, String error) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final ScheduledExecutorService deadlines =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("chathub-webhook-deadlines").daemon(true).factory());

    Result post(URI uri, InetAddress address, Map<String, String> headers, byte[] body, Duration timeout) {
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        String host = uri.getHost();
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        long deadline = System.nanoTime() + timeout.toNanos();
        Socket raw = new Socket();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> killer = deadlines.schedule(() -> {
            expired.set(true);
            closeQuietly(raw);
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            raw.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            Socket socket = tls ? startTls(raw, bareHost, port, deadline) : raw;
            socket.setSoTimeout(remainingMillis(deadline));
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            out.write(head(uri, host, port, tls, headers, body.length));
            out.write(body);
            out.flush();
            return new Result(readStatus(new BufferedInputStream(socket.getInputStream(), 1024)), null);
        } catch (SocketTimeoutException e) {
            return timedOut(timeout);
        } catch (ConnectException e) {
            return expired.get() ? timedOut(timeout) : new Result(0, "connection refused by " + address.getHostAddress() + ":" + port);
        } catch (SSLException e) {
            return expired.get() ? timedOut(timeout) : new Result(0, "TLS failed: " + e.getMessage());
        } catch (IOException e) {
            return expired.get() ? timedOut(timeout) : new Result(0, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            killer.cancel(false);
            closeQuietly(raw);
        }
    }

    private static Result timedOut(Duration timeout) {
        return new Result(0, "no answer within " + timeout.toMillis() + " ms");
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (ms <= 0) throw new SocketTimeoutException("deadline passed");
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    private static Socket startTls(Socket raw, String host, int port, long deadline) throws IOException {
        SSLSocket ssl;
        try {
            ssl = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket(raw, host, port, true);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no TLS available", e);
        }
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
        if (!isIpLiteral(host)) p.setServerNames(List.of(new SNIHostName(host)));
        ssl.setSSLParameters(p);
        ssl.setSoTimeout(remainingMillis(deadline));
        ssl.startHandshake();
        return ssl;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static byte[] head(URI uri, String host, int port, boolean tls, Map<String, String> headers, int length) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
        boolean defaultPort = port == (tls ? 443 : 80);
        StringBuilder s = new StringBuilder(512)
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(defaultPort ? "" : ":" + port).append("\r\n")
                .append("User-Agent: ").append(USER_AGENT).append("\r\n")
                .append("Content-Type: application/json; charset=utf-8\r\n")
                .append("Content-Length: ").append(length).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> s.append(name).append(": ").append(value).append("\r\n"));
        return s.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The final status of the response: its status line, after any 1xx interim responses, within the read bound. */
    static int readStatus(InputStream in) throws IOException {
        int budget = MAX_RESPONSE_HEAD;
        while (true) {
            String line = readLine(in, budget);
            budget -= line.length() + 2;
            if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
                throw new IOException("not an HTTP/1.x response: " + printable(line));
            }
            int status;
            try {
                status = Integer.parseInt(line.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP/1.x status line: " + printable(line));
            }
            if (status < 100 || status > 599) throw new IOException("bad HTTP status " + status);
            if (status >= 200 || status == 101) return status;
            for (String header; !(header = readLine(in, budget)).isEmpty(); ) budget -= header.length() + 2; // skip the 1xx head
            budget -= 2;
        }
    }

    private static String readLine(InputStream in, int budget) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (line.length() >= budget) throw new IOException("response head longer than " + MAX_RESPONSE_HEAD + " bytes");
            int c = in.read();
            if (c < 0) throw new IOException(line.isEmpty() ? "connection closed without an answer" : "response cut off");
            if (c == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') line.setLength(n - 1);
                return line.toString();
            }
            line.append((char) c);
        }
    }

    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
    }
}
