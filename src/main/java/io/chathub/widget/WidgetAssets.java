package io.chathub.widget;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.web.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The browser widgets' files, built by {@code widgets/} ({@code build.mjs}) into the classpath under
 * {@code widget/<name>/}: for each widget its {@code manifest.json} (the version, a hash of its files; its main
 * file; every file), the small entry module {@code widget-script.js} that imports the files by that version, and
 * the files themselves with their {@code .gz} and {@code .br} forms made at build time. The console has the HTML
 * shell {@code index.html} as its entry instead, and a stylesheet among its files.
 */
public final class WidgetAssets {
    /** The operator chat panel: {@code /operator-chat-panel/…}. */
    public static final String PANEL = "operator-chat-panel";
    /** The customer chat widget: {@code /chat-widget/…}. */
    public static final String CHAT = "chat-widget";
    /** The company web console: {@code /console/…}; its entry is the HTML shell {@code index.html}. */
    public static final String CONSOLE = "console";

    /** One file with its compressed forms (null when not available) and its strong ETag. */
    public record Asset(byte[] identity, byte[] gzip, byte[] brotli, String etag) {}

    /** One widget as built: its version, entry module and versioned files by name. */
    public record Widget(String name, String version, Asset entry, Map<String, Asset> files) {
        public Asset file(String file) {
            return files.get(file);
        }
    }

    private final Map<String, Widget> widgets;

    private WidgetAssets(Map<String, Widget> widgets) {
        this.widgets = widgets;
    }

    /** The widgets on the classpath, or null when none was built (built with -Dwidgets.skip). */
    public static WidgetAssets load() {
        Map<String, Widget> widgets = new LinkedHashMap<>();
        for (String name : new String[] {PANEL, CHAT, CONSOLE}) {
            Widget w = loadWidget(name, name.equals(CONSOLE) ? "index.html" : "widget-script.js");
            if (w != null) widgets.put(name, w);
        }
        return widgets.isEmpty() ? null : new WidgetAssets(Map.copyOf(widgets));
    }

    private static Widget loadWidget(String name, String entryFile) {
        String dir = "widget/" + name + "/";
        byte[] manifestJson = resource(dir + "manifest.json");
        byte[] entryJs = resource(dir + entryFile);
        if (manifestJson == null || entryJs == null) return null;
        JsonNode manifest;
        try {
            manifest = Json.read(new String(manifestJson, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + dir + "manifest.json", e);
        }
        String version = manifest.get("version").asText();
        Map<String, Asset> files = new LinkedHashMap<>();
        for (JsonNode f : manifest.get("files")) {
            String file = f.asText();
            byte[] js = resource(dir + file);
            if (js == null) throw new IllegalStateException("widget file missing from the build: " + dir + file);
            byte[] gz = resource(dir + file + ".gz");
            files.put(file, new Asset(js, gz != null ? gz : gzip(js), resource(dir + file + ".br"),
                    "\"" + version + "-" + sha256(js).substring(0, 8) + "\""));
        }
        Asset entry = new Asset(entryJs, gzip(entryJs), null, "\"e-" + sha256(entryJs).substring(0, 16) + "\"");
        return new Widget(name, version, entry, Map.copyOf(files));
    }

    /** The widget of this name, or null when it was not built. */
    public Widget widget(String name) {
        return widgets.get(name);
    }

    private static byte[] resource(String path) {
        try (InputStream in = WidgetAssets.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] data) {
        var out = new ByteArrayOutputStream(data.length / 3 + 64);
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
