package io.chathub.hub;

import io.chathub.web.ApiException;
import io.chathub.web.Problems;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Refuses a WebSocket upgrade with a problem+json response. Javalin 7 runs only {@code wsBeforeUpgrade} handlers
 * (not HTTP {@code before} handlers) ahead of an upgrade, and does not write a handler's result for it, so the
 * body is written here and the remaining tasks, the upgrade among them, are skipped.
 */
final class UpgradeRejection {
    private UpgradeRejection() {}

    static void reject(Context ctx, ApiException e) {
        ctx.skipRemainingHandlers();
        Problems.respond(ctx, e);
        try (InputStream body = ctx.resultInputStream()) {
            byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
            ctx.res().setContentLength(bytes.length);
            ctx.res().getOutputStream().write(bytes);
            ctx.res().flushBuffer();
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }
}
