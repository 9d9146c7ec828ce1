package io.chathub.web;

import io.javalin.config.JavalinConfig;

/**
 * A response without a body says no content type: the server's default ({@code application/json}) is for bodies,
 * and a client that sees it on an empty 200 ({@code revoke-token}, {@code PUT /api/chat/status}, deletes) tries to
 * parse JSON that is not there. The status codes stay the hosted API's.
 */
public final class EmptyResponses {
    private EmptyResponses() {}

    public static void register(JavalinConfig config) {
        config.routes.after(ctx -> {
            if (ctx.resultInputStream() == null && !ctx.res().isCommitted()) ctx.res().setContentType(null);
        });
    }
}
