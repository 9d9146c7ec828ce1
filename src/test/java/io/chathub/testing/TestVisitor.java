package io.chathub.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

/**
 * A browser on a company's website, through the customer chat widget's visitor API ({@code /api/widget/{guid}/…}):
 * what it keeps (visitorId and resume secret) and its current visitor token.
 */
public final class TestVisitor {
    private final TestServer server;
    private final String guid;
    private final String origin;
    private String visitorId;
    private String resume;
    private String token;
    private JsonNode session;

    private TestVisitor(TestServer server, String guid, String origin) {
        this.server = server;
        this.guid = guid;
        this.origin = origin;
    }

    /** A new browser (nothing kept) on a page of {@code origin} (null: no Origin header). */
    public static TestVisitor arrive(TestServer server, String guid, String origin) {
        TestVisitor v = new TestVisitor(server, guid, origin);
        v.startSession();
        return v;
    }

    /** The same browser coming back (a reload, another tab): a session with what it kept. */
    public JsonNode startSession() {
        Map<String, Object> body = new HashMap<>();
        if (visitorId != null) body.put("visitorId", visitorId);
        if (resume != null) body.put("resume", resume);
        body.put("pageUrl", "https://shop.example.com/pricing");
        body.put("language", "uk-UA");
        var r = call("POST", "session").json(body).send();
        if (r.status() != 200) throw new AssertionError("session failed: " + r);
        adopt(r.json());
        return session;
    }

    /** Takes a session answer: its token, and the visitorId and resume secret to keep (resume only when new). */
    public void adopt(JsonNode s) {
        session = s;
        token = s.get("visitorToken").asText();
        visitorId = s.get("visitorId").asText();
        if (s.hasNonNull("resume")) resume = s.get("resume").asText();
    }

    public Api.Call call(String method, String path) {
        Api.Call c = server.api().method(method, "/api/widget/" + guid + "/" + path);
        if (origin != null) c.header("Origin", origin);
        return c;
    }

    /** A call with this visitor's token. */
    public Api.Call authed(String method, String path) {
        return call(method, path).bearer(token);
    }

    /** Sends a text message, which must succeed; returns the stored message. */
    public JsonNode send(String text) {
        var r = authed("POST", "messages").json(Map.of("textMessage", text)).send();
        if (r.status() != 200) throw new AssertionError("visitor send failed: " + r);
        return r.json();
    }

    public JsonNode messages(String query) {
        var r = authed("GET", "messages" + (query.isEmpty() ? "" : "?" + query)).send();
        if (r.status() != 200) throw new AssertionError("visitor messages failed: " + r);
        return r.json();
    }

    public String token() {
        return token;
    }

    public String visitorId() {
        return visitorId;
    }

    public String resume() {
        return resume;
    }

    public JsonNode session() {
        return session;
    }

    /** The same browser's kept values on another instance (e.g. a second tab). */
    public TestVisitor sameBrowser() {
        TestVisitor v = new TestVisitor(server, guid, origin);
        v.visitorId = visitorId;
        v.resume = resume;
        v.startSession();
        return v;
    }
}
