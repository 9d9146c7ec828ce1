package io.chathub.web;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import java.util.function.Predicate;

/**
 * Body size limits: {@code maxBytes} for every request, except those that may carry a base64 file
 * ({@code mayCarryMedia}), which get room for the largest allowed file. Jetty enforces the larger
 * bound on the stream; this check refuses the rest by their Content-Length before reading.
 */
public final class RequestLimits {
    private final long maxBytes;
    private final long mediaBytes;
    private final Predicate<Context> mayCarryMedia;

    /** {@code mediaMaxBytes}: the largest allowed file; the requests that may carry one get {@link #withMedia}. */
    public RequestLimits(long maxBytes, long mediaMaxBytes, Predicate<Context> mayCarryMedia) {
        this.maxBytes = maxBytes;
        this.mediaBytes = withMedia(maxBytes, mediaMaxBytes);
        this.mayCarryMedia = mayCarryMedia;
    }

    /** The bound for requests with media: base64 of {@code mediaMaxBytes} plus room for the JSON around it. */
    public static long withMedia(long maxBytes, long mediaMaxBytes) {
        return Math.max(maxBytes, mediaMaxBytes / 3 * 4 + 8 + 64 * 1024);
    }

    static final String ATTRIBUTE = "chathub.maxBodyBytes";
    static final String TOO_LARGE = "Request body too large";

    /** Refused bodies up to this size are read and discarded before the 413, see {@link #check}. */
    static final long DISCARD_UP_TO = 1024 * 1024;

    /**
     * Before the handler: refuses by Content-Length, and records the bound for bodies without one (chunked).
     * A refused body that is not too large is read and thrown away first: a server that answers and closes
     * while the client is still sending makes the client's TCP stack reset the connection, and the client may
     * then lose the 413 itself. A client that asked to be told first ({@code Expect: 100-continue}) is refused at
     * once: nothing has read the body, so the server never sent it a 100 Continue, and it sends no body.
     */
    public void check(Context ctx) {
        boolean media = mayCarryMedia.test(ctx);
        long bound = media ? mediaBytes : maxBytes;
        long length = ctx.req().getContentLengthLong();
        if (length > bound) {
            String expect = ctx.header("Expect");
            if (length <= DISCARD_UP_TO && (expect == null || !expect.equalsIgnoreCase("100-continue"))) discardBody(ctx);
            throw ApiException.payloadTooLarge(TOO_LARGE);
        }
        if (!media) ctx.attribute(ATTRIBUTE, maxBytes);
    }

    private static void discardBody(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client went away or sent less than it announced: the 413 below is all that is left to do
        }
    }

    /** When the body is read: refuses a body (chunked, so of unknown length before) over the request's bound. */
    static void checkRead(Context ctx, int bodyBytes) {
        Long max = ctx.attribute(ATTRIBUTE);
        if (max != null && bodyBytes > max) throw ApiException.payloadTooLarge(TOO_LARGE);
    }
}
