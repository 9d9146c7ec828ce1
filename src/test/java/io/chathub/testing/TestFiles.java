package io.chathub.testing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small real files for media tests; each call gives different bytes (media is content-addressed). */
public final class TestFiles {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestFiles() {}

    /** A real image written by javax.imageio ("png", "jpeg" or "gif") of this size. */
    public static byte[] image(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int n = COUNTER.incrementAndGet();
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) image.setRGB(x, y, (n * 7919 + x * 31 + y * 17) & 0xFFFFFF);
        }
        var out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) throw new IllegalArgumentException("no ImageIO writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png(int width, int height) {
        return image("png", width, height);
    }

    /** The header of a WebP image (RIFF, WEBP, an extended VP8X chunk) of this size: enough to be recognised and measured. */
    public static byte[] webp(int width, int height) {
        byte[] d = new byte[30 + 16];
        put(d, 0, "RIFF");
        put(d, 8, "WEBP");
        put(d, 12, "VP8X");
        d[16] = 10;
        int w = width - 1, h = height - 1;
        d[24] = (byte) w;
        d[25] = (byte) (w >> 8);
        d[26] = (byte) (w >> 16);
        d[27] = (byte) h;
        d[28] = (byte) (h >> 8);
        d[29] = (byte) (h >> 16);
        d[30] = (byte) COUNTER.incrementAndGet();
        return d;
    }

    public static byte[] pdf() {
        return ("%PDF-1.4\n% test " + COUNTER.incrementAndGet() + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] zip() {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("readme-" + COUNTER.incrementAndGet() + ".txt"));
            zip.write("hello".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] text(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes that begin with a magic number, followed by a little binary filler. */
    public static byte[] withMagic(int... magic) {
        byte[] d = new byte[64];
        for (int i = 0; i < magic.length; i++) d[i] = (byte) magic[i];
        Arrays.fill(d, magic.length, d.length, (byte) 0x01);
        d[d.length - 1] = (byte) COUNTER.incrementAndGet();
        return d;
    }

    /** An ELF executable's header: not an allowed kind of file. */
    public static byte[] executable() {
        return withMagic(0x7F, 'E', 'L', 'F', 2, 1, 1, 0);
    }

    public static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    private static void put(byte[] d, int offset, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, d, offset, b.length);
    }
}
