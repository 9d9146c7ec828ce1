package io.chathub.web;

import io.javalin.http.Context;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed path and query parameters that fail with a 400 naming the parameter. Numbers are read strictly: an id is
 * a plain positive decimal integer ({@code 1}, never {@code +1}, {@code 01} or {@code " 1"}), another integer the
 * same or {@code 0} or a minus sign before the digits. A query parameter given empty counts as absent.
 */
public final class Params {
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,18}");

    private Params() {}

    /** A positive integer path parameter. */
    public static long pathId(Context ctx, String name) {
        return parseId(name, ctx.pathParam(name));
    }

    /** An optional positive integer query parameter. */
    public static Optional<Long> queryId(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(parseId(name, v));
    }

    /** An optional integer query parameter. */
    public static Optional<Long> queryLong(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return Optional.empty();
        Long n = strictLong(v);
        if (n == null) throw ApiException.badRequest(name, "'" + name + "' must be an integer, got '" + v + "'");
        return Optional.of(n);
    }

    /** An optional integer query parameter within [min, max]. */
    public static Optional<Integer> queryInt(Context ctx, String name, int min, int max) {
        return queryLong(ctx, name).map(v -> {
            if (v < min || v > max) throw ApiException.badRequest(name, "'" + name + "' must be between " + min + " and " + max);
            return v.intValue();
        });
    }

    /** An integer query parameter within [min, max], {@code fallback} when absent. */
    public static int queryInt(Context ctx, String name, int fallback, int min, int max) {
        return queryInt(ctx, name, min, max).orElse(fallback);
    }

    /** An optional enum query parameter: its code or (extension) its name. */
    public static Optional<Integer> queryEnum(Context ctx, String name, WireEnum values) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return Optional.empty();
        if (INTEGER.matcher(v).matches()) return queryInt(ctx, name, 0, values.max());
        int code = values.codeOf(v);
        if (code < 0) throw ApiException.badRequest(name, "'" + name + "' must be one of " + values.choices() + ", got '" + v + "'");
        return Optional.of(code);
    }

    /** The value of a strictly written integer ({@code 0}, {@code 12}, {@code -3}), or null for anything else. */
    public static Long strictLong(String value) {
        return value != null && INTEGER.matcher(value).matches() ? parse(value) : null;
    }

    private static long parseId(String name, String value) {
        Long n = ID.matcher(value).matches() ? parse(value) : null;
        if (n == null) throw ApiException.badRequest(name, "'" + value + "' is not a valid " + name + " (a positive integer)");
        return n;
    }

    private static Long parse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }
}
