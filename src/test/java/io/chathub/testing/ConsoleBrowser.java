package io.chathub.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A browser signed in to the company console: keeps the session cookie and the CSRF token and sends both, as the
 * console's pages do (the cookie on every request, {@code X-CSRF-Token} on those that change something).
 */
public final class ConsoleBrowser {
    private final Api api;
    private final String cookie;
    private final JsonNode session;

    private ConsoleBrowser(Api api, String cookie, JsonNode session) {
        this.api = api;
        this.cookie = cookie;
        this.session = session;
    }

    /** Signs in; the sign-in must succeed. */
    public static ConsoleBrowser signIn(Api api, String login, String password) {
        var r = signInResponse(api, login, password);
        if (r.status() != 200) throw new AssertionError("console sign-in failed: " + r);
        return new ConsoleBrowser(api, cookieOf(r), r.json());
    }

    public static Api.Response signInResponse(Api api, String login, String password) {
        return api.post("/console/api/session").json(Map.of("login", login, "password", password)).send();
    }

    /** The {@code name=value} of the session cookie a response set. */
    public static String cookieOf(Api.Response r) {
        String set = r.header("Set-Cookie").orElseThrow(() -> new AssertionError("no Set-Cookie in " + r));
        return set.substring(0, set.indexOf(';'));
    }

    public JsonNode session() {
        return session;
    }

    public String csrf() {
        return session.get("csrfToken").asText();
    }

    /** {@code chathub_console=<id>}. */
    public String cookie() {
        return cookie;
    }

    /** A request with the cookie only (no CSRF header). */
    public Api.Call bare(String method, String path) {
        return api.method(method, path).header("Cookie", cookie);
    }

    /** A request as the console sends it: the cookie, and the CSRF header unless it is a GET. */
    public Api.Call call(String method, String path) {
        var c = bare(method, path);
        return method.equals("GET") ? c : c.header("X-CSRF-Token", csrf());
    }

    public Api.Response get(String path) {
        return call("GET", path).send();
    }

    public Api.Response post(String path, Object body) {
        return call("POST", path).json(body).send();
    }

    public Api.Response put(String path, Object body) {
        return call("PUT", path).json(body).send();
    }

    public Api.Response delete(String path) {
        return call("DELETE", path).send();
    }
}
