package io.chathub;

import io.chathub.config.Config;
import io.chathub.demo.DemoData;
import io.chathub.web.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code chathub train}: what the launcher runs once per build under {@code -XX:AOTCacheOutput} (JDK 25+), so that
 * the JVM's ahead-of-time cache holds the classes, linkage and profiles of a real start. It starts a server like the
 * demo's on a free loopback port with a throw-away data dir, makes the calls of a first session (the company and an
 * operator token, a chat list, the operator panel's script, a hub connection with its handshake), and stops it: the
 * JVM writes the cache as it exits. Nothing of it is kept but the cache.
 */
final class Training {
    private Training() {}

    static int run(Map<String, String> env, PrintStream out) {
        Path dir;
        try {
            dir = Files.createTempDirectory("chathub-train");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> trainEnv = new HashMap<>();
        trainEnv.put("CHATHUB_HOST", "127.0.0.1");
        trainEnv.put("CHATHUB_PORT", "0");
        trainEnv.put("CHATHUB_DATA_DIR", dir.toString());
        trainEnv.put("CHATHUB_DEMO", "true");
        trainEnv.put("CHATHUB_DEV", "true");
        ChatHub hub = ChatHub.start(Config.fromEnv(trainEnv, true));
        try (HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + hub.port();
            String login = "{\"login\":\"" + DemoData.LOGIN + "\",\"password\":\"" + DemoData.PASSWORD + "\"}";
            String company = Json.MAPPER.readTree(post(http, base + "/api/company/get-token", null, login)).asText();
            get(http, base + "/api/company/organization", company);
            get(http, base + "/api/chat/chats", company);
            get(http, base + "/health/ready", null);
            get(http, base + "/operator-chat-panel/widget-script.js", null);
            String operator = "test-token-for-development"; // the development mode's demo operator
            String negotiate = post(http, base + "/chathub/negotiate?negotiateVersion=1", operator, "");
            String id = Json.MAPPER.readTree(negotiate).get("connectionToken").asText();
            CompletableFuture<Void> answered = new CompletableFuture<>();
            WebSocket ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + operator)
                    .buildAsync(URI.create("ws://127.0.0.1:" + hub.port() + "/chathub?id=" + id), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            answered.complete(null);
                            return WebSocket.Listener.super.onText(socket, data, last);
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("{\"protocol\":\"json\",\"version\":1}\u001e", true);
            answered.get(10, TimeUnit.SECONDS);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            out.println("trained on a start, a sign-in, the API and a hub connection");
            return 0;
        } catch (Exception e) {
            throw new IllegalStateException("training run failed: " + e, e);
        } finally {
            hub.close();
            deleteTree(dir);
        }
    }

    private static String get(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) r.header("Authorization", "Bearer " + token);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String post(HttpClient http, String url, String token, String json) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) r.header("Authorization", "Bearer " + token);
        HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException(url + " answered " + response.statusCode());
        return response.body();
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
