package io.chathub.web;

import io.javalin.http.Context;

import java.util.function.Predicate;

/**
 * Body size limits: {@code maxBytes} for every request, except those that may carry a base64 file
 * ({@code mayCarryMedia}), which get room for the largest allowed file. Jetty enforces the larger
 * bound on the stream; this check refuses the rest by their Content-Length before reading.
 */
public final class RequestLimits {
    private final long maxBytes;
    private final Predicate<Context> mayCarryMedia;

    public RequestLimits(long maxBytes, Predicate<Context> mayCarryMedia) {
        this.maxBytes = maxBytes;
        this.mayCarryMedia = mayCarryMedia;
    }

    /** The bound for requests with media: base64 of {@code mediaMaxBytes} plus room for the JSON around it. */
    public static long withMedia(long maxBytes, long mediaMaxBytes) {
        return Math.max(maxBytes, mediaMaxBytes / 3 * 4 + 8 + 64 * 1024);
    }

    static final String ATTRIBUTE = "chathub.maxBodyBytes";
    static final String TOO_LARGE = "Request body too large";

    /** Before the handler: refuses by Content-Length, and records the bound for bodies without one (chunked). */
    public void check(Context ctx) {
        if (mayCarryMedia.test(ctx)) return;
        if (ctx.req().getContentLengthLong() > maxBytes) throw ApiException.payloadTooLarge(TOO_LARGE);
        ctx.attribute(ATTRIBUTE, maxBytes);
    }

    /** When the body is read: refuses a body (chunked, so of unknown length before) over the request's bound. */
    static void checkRead(Context ctx, int bodyBytes) {
        Long max = ctx.attribute(ATTRIBUTE);
        if (max != null && bodyBytes > max) throw ApiException.payloadTooLarge(TOO_LARGE);
    }
}
