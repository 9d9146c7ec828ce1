package io.chathub.web;

import io.javalin.http.Context;

import java.util.Locale;

/**
 * Answers with a token the way the hosted service does: a JSON string, or the raw token as
 * text/plain when the Accept header prefers text/plain over JSON.
 */
public final class TokenResponse {
    private TokenResponse() {}

    public static void send(Context ctx, String token) {
        if (prefersText(ctx.header("Accept"))) {
            ctx.contentType("text/plain; charset=utf-8").result(token);
        } else {
            ctx.contentType("application/json").result(Json.write(token));
        }
    }

    static boolean prefersText(String accept) {
        if (accept == null || accept.isBlank()) return false;
        double text = -1, json = -1;
        for (String part : accept.split(",")) {
            String[] bits = part.strip().split(";");
            String type = bits[0].strip().toLowerCase(Locale.ROOT);
            double q = 1.0;
            for (int i = 1; i < bits.length; i++) {
                String p = bits[i].strip();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException ignored) {
                        q = 0;
                    }
                }
            }
            if (type.equals("text/plain")) text = Math.max(text, q);
            else if (type.equals("application/json") || type.equals("text/json") || type.equals("application/*+json")) json = Math.max(json, q);
        }
        return text > 0 && text > json;
    }
}
