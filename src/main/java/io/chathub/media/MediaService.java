package io.chathub.media;

import io.chathub.chat.Message;
import io.chathub.web.ApiException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Media files of messages, stored on disk under {@code <data dir>/media}, content-addressed by
 * SHA-256 (the same bytes are kept once). The type is decided by the bytes themselves (magic
 * numbers), checked against an allowlist, never taken from the sender's word alone; images get
 * their width and height recorded.
 */
public final class MediaService {
    public static final String URI_PREFIX = "/api/media/";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    /** A file as a request gave it. */
    public record Upload(String name, String format, Integer type, byte[] data) {}

    /** A stored file, for serving. */
    public record StoredFile(Path path, String contentType, long size) {}

    /** Allowed content types, by what the bytes say, with the message media type they map to. */
    static final Map<String, Integer> ALLOWED = Map.ofEntries(
            Map.entry("image/png", 1), Map.entry("image/jpeg", 1), Map.entry("image/gif", 1), Map.entry("image/webp", 1),
            Map.entry("video/mp4", 2), Map.entry("video/webm", 2),
            Map.entry("audio/mpeg", 3), Map.entry("audio/ogg", 3), Map.entry("audio/wav", 3),
            Map.entry("application/pdf", 0), Map.entry("application/zip", 0), Map.entry("text/plain", 0));

    private final Path root;
    private final long maxBytes;

    public MediaService(Path root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Strict base64 (standard or URL-safe alphabet, line breaks and spaces allowed): anything else is refused. */
    public static byte[] decodeBase64(String text) {
        String compact = text.replaceAll("\\s+", "");
        return compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
                ? java.util.Base64.getUrlDecoder().decode(compact)
                : java.util.Base64.getDecoder().decode(compact);
    }

    /** Checks and stores an upload; returns the message media {uri, name, format, type, size, width, height}. */
    public Message.Media store(Upload upload) {
        byte[] data = upload.data();
        if (data.length == 0) throw ApiException.badRequest("media.dataBase64", "The file is empty");
        if (data.length > maxBytes) {
            throw ApiException.payloadTooLarge("The file is larger than " + humanSize(maxBytes));
        }
        String contentType = sniff(data);
        Integer type = contentType == null ? null : ALLOWED.get(contentType);
        if (type == null) {
            throw ApiException.badRequest("media", "This kind of file is not allowed (allowed: images, PDF, ZIP, plain text, MP4/WebM video, MP3/OGG/WAV audio)");
        }
        String hash = sha256(data);
        write(hash, data);
        Integer width = null, height = null;
        if (type == 1) {
            int[] dims = dimensions(data);
            if (dims != null) {
                width = dims[0];
                height = dims[1];
            }
        }
        String name = cleanName(upload.name(), contentType);
        return new Message.Media(URI_PREFIX + hash, name, contentType, type, (long) data.length, width, height);
    }

    /** 10 MB, 512 KB or 200000 bytes: exact, never rounded (a 500000-byte limit is not "0 MB"). */
    static String humanSize(long bytes) {
        long mb = 1024 * 1024;
        if (bytes >= mb && bytes % mb == 0) return bytes / mb + " MB";
        if (bytes >= 1024 && bytes % 1024 == 0) return bytes / 1024 + " KB";
        return bytes + " bytes";
    }

    /** The stored file behind a media URI's hash. */
    public Optional<StoredFile> find(String hash) {
        if (!HASH.matcher(hash).matches()) return Optional.empty();
        Path p = path(hash);
        if (!Files.isRegularFile(p)) return Optional.empty();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(64);
            String ct = sniff(head);
            return Optional.of(new StoredFile(p, ct == null ? "application/octet-stream" : ct, Files.size(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the stored file of a media URI ({@code /api/media/<hash>}); false when there was none. */
    public boolean delete(String uri) {
        String hash = uri.startsWith(URI_PREFIX) ? uri.substring(URI_PREFIX.length()) : uri;
        if (!HASH.matcher(hash).matches()) return false;
        try {
            return Files.deleteIfExists(path(hash));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete media " + hash, e);
        }
    }

    private Path path(String hash) {
        return root.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash);
    }

    private void write(String hash, byte[] data) {
        Path target = path(hash);
        if (Files.exists(target)) return;
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), hash, ".part");
            Files.write(tmp, data);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store media " + hash, e);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The content type the bytes themselves declare, or null when unknown. */
    static String sniff(byte[] d) {
        if (starts(d, 0x89, 'P', 'N', 'G')) return "image/png";
        if (starts(d, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
        if (starts(d, 'G', 'I', 'F', '8')) return "image/gif";
        if (starts(d, 'R', 'I', 'F', 'F') && at(d, 8, 'W', 'E', 'B', 'P')) return "image/webp";
        if (starts(d, 'R', 'I', 'F', 'F') && at(d, 8, 'W', 'A', 'V', 'E')) return "audio/wav";
        if (starts(d, '%', 'P', 'D', 'F')) return "application/pdf";
        if (starts(d, 'P', 'K', 3, 4)) return "application/zip";
        if (at(d, 4, 'f', 't', 'y', 'p')) return "video/mp4";
        if (starts(d, 0x1A, 0x45, 0xDF, 0xA3)) return "video/webm";
        if (starts(d, 'O', 'g', 'g', 'S')) return "audio/ogg";
        if (starts(d, 'I', 'D', '3') || starts(d, 0xFF, 0xFB) || starts(d, 0xFF, 0xF3)) return "audio/mpeg";
        if (looksLikeText(d)) return "text/plain";
        return null;
    }

    private static boolean starts(byte[] d, int... magic) {
        return at(d, 0, magic);
    }

    private static boolean at(byte[] d, int offset, int... magic) {
        if (d.length < offset + magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((d[offset + i] & 0xFF) != magic[i]) return false;
        return true;
    }

    private static boolean looksLikeText(byte[] d) {
        int n = Math.min(d.length, 4096);
        for (int i = 0; i < n; i++) {
            int b = d[i] & 0xFF;
            if (b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B)) return false;
        }
        return n > 0;
    }

    /** Width and height from the image header (no full decode), or null. */
    static int[] dimensions(byte[] data) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return webpDimensions(data);
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** WebP (which ImageIO cannot read): the VP8X, VP8 or VP8L header. */
    private static int[] webpDimensions(byte[] d) {
        if (d.length < 30 || !at(d, 8, 'W', 'E', 'B', 'P')) return null;
        if (at(d, 12, 'V', 'P', '8', 'X')) {
            int w = 1 + ((d[24] & 0xFF) | (d[25] & 0xFF) << 8 | (d[26] & 0xFF) << 16);
            int h = 1 + ((d[27] & 0xFF) | (d[28] & 0xFF) << 8 | (d[29] & 0xFF) << 16);
            return new int[] {w, h};
        }
        if (at(d, 12, 'V', 'P', '8', ' ')) {
            return new int[] {((d[26] & 0xFF) | (d[27] & 0xFF) << 8) & 0x3FFF, ((d[28] & 0xFF) | (d[29] & 0xFF) << 8) & 0x3FFF};
        }
        if (at(d, 12, 'V', 'P', '8', 'L')) {
            int b0 = d[21] & 0xFF, b1 = d[22] & 0xFF, b2 = d[23] & 0xFF, b3 = d[24] & 0xFF;
            return new int[] {1 + (((b1 & 0x3F) << 8) | b0), 1 + (((b3 & 0xF) << 10) | (b2 << 2) | ((b1 & 0xC0) >> 6))};
        }
        return null;
    }

    private static String cleanName(String name, String contentType) {
        String n = name == null ? "" : name.replaceAll("[\\p{Cntrl}/\\\\]", "_").strip();
        if (n.length() > 200) n = n.substring(n.length() - 200);
        if (n.isEmpty()) n = "file." + contentType.substring(contentType.indexOf('/') + 1).toLowerCase(Locale.ROOT);
        return n;
    }
}
