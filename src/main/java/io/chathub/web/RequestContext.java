package io.chathub.web;

import io.javalin.config.RoutesConfig;

/**
 * The client address of the request this thread is handling, for the services that record it (the audit log)
 * without taking the request itself. Set before every request's handlers and cleared after them.
 */
public final class RequestContext {
    private static final ThreadLocal<String> IP = new ThreadLocal<>();

    private RequestContext() {}

    public static void register(RoutesConfig routes) {
        routes.before(ctx -> IP.set(ctx.ip()));
        routes.after(ctx -> IP.remove());
    }

    /** The client address of the current request, or null outside one. */
    public static String ip() {
        return IP.get();
    }
}
