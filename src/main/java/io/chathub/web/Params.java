package io.chathub.web;

import io.javalin.http.Context;

import java.util.Optional;

/** Typed path and query parameters that fail with a 400 naming the parameter. */
public final class Params {
    private Params() {}

    /** A positive integer path parameter. */
    public static long pathId(Context ctx, String name) {
        return parseId(name, ctx.pathParam(name));
    }

    /** An optional positive integer query parameter. */
    public static Optional<Long> queryId(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(parseId(name, v));
    }

    private static long parseId(String name, String value) {
        try {
            long v = Long.parseLong(value.strip());
            if (v > 0) return v;
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw ApiException.badRequest(name, "'" + value + "' is not a valid " + name);
    }
}
