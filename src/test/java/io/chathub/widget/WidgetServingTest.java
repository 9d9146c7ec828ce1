package io.chathub.widget;

import io.chathub.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /operator-chat-panel/widget-script.js} and {@code /chat-widget/widget-script.js}: ES module entries
 * revalidated on every use, importing files named by their content hash that are cached as immutable; all compressed
 * and readable cross-origin; within their gzip budgets (the panel 20 KB; the chat widget 15 KB in all, its entry 1 KB).
 */
class WidgetServingTest {
    static TestServer server;
    static HttpClient http;

    @BeforeAll
    static void start() {
        server = TestServer.start("sqlite");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
    }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.hub().port() + path));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String version() throws Exception {
        String entry = new String(get(WidgetRoutes.ENTRY_PATH).body());
        Matcher m = Pattern.compile("import \"\\./([0-9a-f]{16})/panel\\.js\";").matcher(entry);
        assertThat(m.find()).as(entry).isTrue();
        return m.group(1);
    }

    @Test
    void entryIsAnUncachedModuleWithAnETag() throws Exception {
        var r = get(WidgetRoutes.ENTRY_PATH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String etag = r.headers().firstValue("ETag").orElseThrow();

        var again = get(WidgetRoutes.ENTRY_PATH, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get(WidgetRoutes.ENTRY_PATH, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void bundleIsImmutableCompressedAndWithinBudget() throws Exception {
        String path = "/operator-chat-panel/" + version() + "/panel.js";
        var plain = get(path);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.headers().firstValue("Vary")).hasValue("Accept-Encoding");

        var gz = get(path, "Accept-Encoding", "gzip");
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(gz.body())).isEqualTo(plain.body());
        assertThat(gz.body().length).as("gzipped size").isLessThanOrEqualTo(20 * 1024);

        var br = get(path, "Accept-Encoding", "gzip, deflate, br");
        assertThat(br.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(br.body().length).isLessThan(gz.body().length + 1);
        assertThat(get(path, "Accept-Encoding", "br;q=0, gzip").headers().firstValue("Content-Encoding")).hasValue("gzip");

        assertThat(get(path, "If-None-Match", plain.headers().firstValue("ETag").orElseThrow()).statusCode()).isEqualTo(304);
    }

    @Test
    void unknownVersionIs404() throws Exception {
        assertThat(get("/operator-chat-panel/0123456789abcdef/panel.js").statusCode()).isEqualTo(404);
    }

    @Test
    void chatWidgetEntryImportsItsImmutableFilesWithinBudget() throws Exception {
        var entry = get(WidgetRoutes.CHAT_ENTRY_PATH);
        assertThat(entry.statusCode()).isEqualTo(200);
        assertThat(entry.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(entry.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(get(WidgetRoutes.CHAT_ENTRY_PATH, "If-None-Match", entry.headers().firstValue("ETag").orElseThrow()).statusCode())
                .isEqualTo(304);
        assertThat(get(WidgetRoutes.CHAT_ENTRY_PATH, "Accept-Encoding", "gzip").body().length).as("entry, gzipped").isLessThanOrEqualTo(1024);
        String text = new String(entry.body());
        // import "./v/f.js"; for the files the bundle imports statically, import("./v/widget.js") for the bundle
        Matcher m = Pattern.compile("import ?\\(?\"\\./([0-9a-f]{16})/([\\w.-]+\\.js)\"").matcher(text);
        int total = 0;
        java.util.List<String> files = new java.util.ArrayList<>();
        String version = null;
        while (m.find()) {
            version = m.group(1);
            files.add(m.group(2));
            var gz = get("/chat-widget/" + m.group(1) + "/" + m.group(2), "Accept-Encoding", "gzip");
            assertThat(gz.statusCode()).isEqualTo(200);
            assertThat(gz.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
            assertThat(gz.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
            assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(get("/chat-widget/" + m.group(1) + "/" + m.group(2), "Accept-Encoding", "br").headers()
                    .firstValue("Content-Encoding")).hasValue("br");
            total += gz.body().length;
        }
        assertThat(files).as(text).contains("widget.js");
        assertThat(total).as("the whole chat widget, gzipped").isLessThanOrEqualTo(15 * 1024);
        assertThat(get("/chat-widget/" + version + "/nothing.js").statusCode()).isEqualTo(404);
        assertThat(get("/chat-widget/0123456789abcdef/widget.js").statusCode()).isEqualTo(404);
    }

    @Test
    void acceptEncodingAndIfNoneMatchParsing() {
        assertThat(WidgetRoutes.accepts("gzip, br", "br")).isTrue();
        assertThat(WidgetRoutes.accepts("gzip;q=0.5, br;q=0", "br")).isFalse();
        assertThat(WidgetRoutes.accepts("GZIP", "gzip")).isTrue();
        assertThat(WidgetRoutes.accepts(null, "gzip")).isFalse();
        assertThat(WidgetRoutes.matches("W/\"a\", \"b\"", "\"b\"")).isTrue();
        assertThat(WidgetRoutes.matches("*", "\"b\"")).isTrue();
        assertThat(WidgetRoutes.matches("\"a\"", "\"b\"")).isFalse();
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data)); var out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
