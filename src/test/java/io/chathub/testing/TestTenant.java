package io.chathub.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A company of a test, with its company token, and shortcuts that set up its organizations,
 * operators, operator tokens, chats and messages through the API (each asserting that the call
 * succeeded), and connect hub clients.
 */
public record TestTenant(TestServer server, long companyId, String login, String password, String token) {

    public Api api() {
        return server.api();
    }

    /** Creates an organization; returns its id. */
    public long organization(String name) {
        var r = api().post("/api/company/organization").bearer(token).json(Map.of("name", name)).send();
        if (r.status() != 201) throw new AssertionError("creating organization failed: " + r);
        return r.json().get("id").longValue();
    }

    /** The organization's widget guid (what the customer chat widget's tag names). */
    public String widgetGuid(long organizationId) {
        var r = api().get("/api/company/organization/" + organizationId).bearer(token).send();
        if (r.status() != 200) throw new AssertionError("reading organization failed: " + r);
        return r.json().get("widgetGuid").asText();
    }

    /** Changes organization settings (PUT); returns the answer, which must be 200. */
    public JsonNode updateOrganization(long organizationId, Map<String, ?> settings) {
        var r = api().put("/api/company/organization/" + organizationId).bearer(token).json(settings).send();
        if (r.status() != 200) throw new AssertionError("updating organization failed: " + r);
        return r.json();
    }

    /** Creates (synchronizes) one operator; returns its id. */
    public long operator(long organizationId, String name) {
        JsonNode first = synchronize(List.of(Map.of("organizationId", organizationId, "name", name))).get(0);
        return first.get("id").longValue();
    }

    /** Creates (synchronizes) one operator who holds at most {@code maxChats} open chats; returns its id. */
    public long operator(long organizationId, String name, int maxChats) {
        JsonNode first = synchronize(List.of(Map.of("organizationId", organizationId, "name", name, "maxChats", maxChats))).get(0);
        return first.get("id").longValue();
    }

    public JsonNode synchronize(List<?> items) {
        var r = api().post("/api/operator/synchronize").bearer(token).json(items).send();
        if (r.status() != 200) throw new AssertionError("synchronize failed: " + r);
        return r.json();
    }

    /** An operator token that lasts an hour. */
    public String operatorToken(long operatorId) {
        return operatorToken(operatorId, Instant.now().plus(Duration.ofHours(1)));
    }

    public String operatorToken(long operatorId, Instant expiresAt) {
        var r = api().post("/api/operator/get-token").bearer(token)
                .json(Map.of("id", operatorId, "expiresAt", expiresAt.toString())).send();
        if (r.status() != 200) throw new AssertionError("operator get-token failed: " + r);
        return r.jsonString();
    }

    public void setStatus(long operatorId, int status) {
        var r = api().post("/api/operator/status").bearer(token).json(Map.of("id", operatorId, "status", status)).send();
        if (r.status() != 200) throw new AssertionError("operator status failed: " + r);
    }

    /** The company's operators of one organization, as {@code GET /api/operator} lists them. */
    public JsonNode operators(long organizationId) {
        var r = api().get("/api/operator?organizationId=" + organizationId).bearer(token).send();
        if (r.status() != 200) throw new AssertionError("listing operators failed: " + r);
        return r.json();
    }

    public JsonNode organizationSettings(long organizationId) {
        var r = api().get("/api/company/organization/" + organizationId).bearer(token).send();
        if (r.status() != 200) throw new AssertionError("reading organization failed: " + r);
        return r.json();
    }

    // ---- chats

    /** A new unique client external id (a client that has never written). */
    public static String newClient() {
        return "client-" + UUID.randomUUID();
    }

    /** A customer's text through {@code POST /api/chat/incoming}; returns the stored message (with its chatId). */
    public JsonNode incoming(long organizationId, String externalId, String text) {
        var body = new LinkedHashMap<String, Object>();
        body.put("organizationId", organizationId);
        body.put("client", Map.of("externalId", externalId, "name", "Client " + externalId));
        body.put("textMessage", text);
        return incoming(body);
    }

    /** {@code POST /api/chat/incoming} with this body, which must succeed; returns the stored message. */
    public JsonNode incoming(Map<String, ?> body) {
        var r = api().post("/api/chat/incoming").bearer(token).json(body).send();
        if (r.status() != 200) throw new AssertionError("incoming failed: " + r);
        return r.json();
    }

    /** A new chat of a new client in the organization (one client message, seq 1); returns the chat id. */
    public long newChat(long organizationId) {
        return incoming(organizationId, newClient(), "Hello").get("chatId").longValue();
    }

    /** {@code GET /api/chat/chats/{id}} with the company token. */
    public JsonNode chat(long chatId) {
        var r = api().get("/api/chat/chats/" + chatId).bearer(token).send();
        if (r.status() != 200) throw new AssertionError("reading chat failed: " + r);
        return r.json();
    }

    /** {@code GET /api/chat/{chatId}/messages?<query>} with the company token. */
    public JsonNode messages(long chatId, String query) {
        var r = api().get("/api/chat/" + chatId + "/messages" + (query.isEmpty() ? "" : "?" + query)).bearer(token).send();
        if (r.status() != 200) throw new AssertionError("reading messages failed: " + r);
        return r.json();
    }

    /** Every message of a chat in seq order, read page by page with {@code after=} (any number: a fast machine stores thousands). */
    public static List<JsonNode> allMessages(Api api, String token, long chatId) {
        List<JsonNode> all = new java.util.ArrayList<>();
        for (long after = 0; ; ) {
            var r = api.get("/api/chat/" + chatId + "/messages?after=" + after + "&limit=1000").bearer(token).send();
            if (r.status() != 200) throw new AssertionError("reading messages failed: " + r);
            JsonNode page = r.json();
            if (page.isEmpty()) return all;
            page.forEach(all::add);
            after = page.get(page.size() - 1).get("seq").longValue();
        }
    }

    /** {@link #allMessages(Api, String, long)} with the company token. */
    public List<JsonNode> allMessages(long chatId) {
        return allMessages(api(), token, chatId);
    }

    /** A message sent with this token (company or operator) through {@code POST /api/chat/{chatId}/message}. */
    public JsonNode send(String token, long chatId, String text) {
        var r = api().post("/api/chat/" + chatId + "/message").bearer(token).json(Map.of("textMessage", text)).send();
        if (r.status() != 200) throw new AssertionError("sending failed: " + r);
        return r.json();
    }

    /** {@code PUT /api/chat/status} with the company token. */
    public void setChatStatus(long chatId, int status) {
        var r = api().put("/api/chat/status").bearer(token).json(Map.of("id", chatId, "status", status)).send();
        if (r.status() != 200) throw new AssertionError("chat status failed: " + r);
    }

    /** A hub client connected with the company token. */
    public HubClient connect() {
        return server.connect(token, "company " + login);
    }

    /** A hub client connected with an operator token. */
    public HubClient connect(String token, String name) {
        return server.connect(token, name);
    }
}
