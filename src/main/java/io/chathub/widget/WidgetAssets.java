package io.chathub.widget;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * The operator chat panel's files, built by {@code widgets/} into the classpath under {@code widget/}: the
 * bundle {@code panel.js} (with {@code .gz} and {@code .br} made at build time) and, made here, the small entry
 * module that imports the bundle by its content-hash version.
 */
public final class WidgetAssets {
    static final String BUNDLE = "widget/operator-chat-panel/panel.js";

    /** One file with its compressed forms (null when not available) and its strong ETag. */
    public record Asset(byte[] identity, byte[] gzip, byte[] brotli, String etag) {}

    private final String version;
    private final Asset bundle;
    private final Asset entry;

    private WidgetAssets(String version, Asset bundle, Asset entry) {
        this.version = version;
        this.bundle = bundle;
        this.entry = entry;
    }

    /** The assets on the classpath, or null when the widgets were not built (built with -Dwidgets.skip). */
    public static WidgetAssets load() {
        byte[] js = resource(BUNDLE);
        if (js == null) return null;
        String version = sha256(js).substring(0, 16);
        byte[] gz = resource(BUNDLE + ".gz");
        Asset bundle = new Asset(js, gz != null ? gz : gzip(js), resource(BUNDLE + ".br"), "\"" + version + "\"");
        byte[] entryJs = ("// ChatHub operator chat panel: <script type=\"module\" id=\"operator-chat-panel-script\" "
                + "src=\".../operator-chat-panel/widget-script.js\" token=\"…\">\n"
                + "import \"./" + version + "/panel.js\";\n").getBytes(StandardCharsets.UTF_8);
        Asset entry = new Asset(entryJs, gzip(entryJs), null, "\"e-" + sha256(entryJs).substring(0, 16) + "\"");
        return new WidgetAssets(version, bundle, entry);
    }

    public String version() {
        return version;
    }

    public Asset bundle() {
        return bundle;
    }

    public Asset entry() {
        return entry;
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
