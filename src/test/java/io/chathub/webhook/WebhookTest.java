package io.chathub.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.config.Config;
import io.chathub.testing.Api;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import io.chathub.testing.TestVisitor;
import io.chathub.testing.WebhookReceiver;
import io.chathub.testing.WebhookReceiver.Answer;
import io.chathub.testing.WebhookReceiver.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertNotFound;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound webhooks against a real server on both databases, delivering to a local receiver (so the server allows
 * private addresses; {@link WebhookSsrfTest} checks the refusals without). The server's retry schedule is short:
 * 50 ms doubling, for 3 s; an attempt times out after 1 s; two failed deliveries in a row disable a webhook.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class WebhookTest {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final String SHOP = "https://shop.example.com";

    static TestServer server;

    @Parameter
    String database;

    static Config.WebhookSettings settings() {
        return Config.builder().build().webhooks().withAllowPrivate(true).withTimeout(TIMEOUT)
                .withRetries(Duration.ofMillis(50), Duration.ofSeconds(3)).withDisableAfter(2);
    }

    @BeforeParameterizedClassInvocation
    static void startServer(String database) {
        server = TestServer.start(database, b -> b.webhooks(settings()));
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
    }

    // ---- helpers

    static Api.Response create(TestTenant tenant, Map<String, ?> body) {
        return tenant.api().post("/api/company/webhooks").bearer(tenant.token()).json(body).send();
    }

    /** A webhook of the tenant to {@code url} for these events; returns the creation answer (with the secret). */
    static JsonNode webhook(TestTenant tenant, String url, String... events) {
        var r = create(tenant, Map.of("url", url, "events", List.of(events)));
        assertThat(r.status()).as("creating a webhook: %s", r).isEqualTo(201);
        return r.json();
    }

    static JsonNode deliveries(TestTenant tenant, long webhookId, String query) {
        var r = tenant.api().get("/api/company/webhooks/" + webhookId + "/deliveries" + query).bearer(tenant.token()).send();
        assertThat(r.status()).as("delivery log: %s", r).isEqualTo(200);
        return r.json();
    }

    static JsonNode get(TestTenant tenant, long webhookId) {
        var r = tenant.api().get("/api/company/webhooks/" + webhookId).bearer(tenant.token()).send();
        assertThat(r.status()).as("reading a webhook: %s", r).isEqualTo(200);
        return r.json();
    }

    static Api.Response put(TestTenant tenant, long webhookId, Map<String, ?> body) {
        return tenant.api().put("/api/company/webhooks/" + webhookId).bearer(tenant.token()).json(body).send();
    }

    /** Waits until the webhook's delivery log answers what {@code done} looks for; returns that log. */
    static JsonNode awaitLog(TestTenant tenant, long webhookId, java.util.function.Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode log = deliveries(tenant, webhookId, "?limit=500");
            if (done.test(log)) return log;
            if (System.nanoTime() > deadline) throw new AssertionError("delivery log never got there: " + log);
            sleep(Duration.ofMillis(20));
        }
    }

    static boolean all(JsonNode log, String status) {
        if (log.isEmpty()) return false;
        for (JsonNode d : log) if (!d.get("status").asText().equals(status)) return false;
        return true;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- every event, signed

    @Test
    void everyEventTypeIsDeliveredOnceWithACorrectSignatureAndTheChatOrMessageAsTheApiShowsIt() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        tenant.updateOrganization(org, Map.of("allowedOrigins", List.of(SHOP)));
        long anna = tenant.operator(org, "Anna");
        String annaToken = tenant.operatorToken(anna);
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            JsonNode hook = webhook(tenant, receiver.url(), WebhookEvents.ALL.toArray(String[]::new));
            String secret = hook.get("secret").asText();
            assertThat(secret).as("a generated secret, shown in full this once").matches("[0-9a-f]{64}");

            TestVisitor olena = TestVisitor.arrive(server, tenant.widgetGuid(org), SHOP);
            JsonNode first = olena.send("Do you ship to Lviv?");               // chat.created, message.created
            long chatId = first.get("chatId").longValue();
            JsonNode reply = tenant.send(annaToken, chatId, "We do!");         // chat.assigned, chat.status_changed (Open), message.created
            var read = tenant.api().post("/api/chat/" + chatId + "/read").bearer(annaToken).json(Map.of("seq", 1)).send();
            assertThat(read.status()).isEqualTo(200);                          // message.status_changed (Read)
            tenant.setChatStatus(chatId, 4);                                  // chat.status_changed (Closed)
            var rated = olena.authed("POST", "rating").json(Map.of("chatId", chatId, "score", 5, "comment", "Quick!")).send();
            assertThat(rated.status()).isEqualTo(200);                         // rating.created

            List<Request> got = receiver.await(8, WAIT);
            Map<String, List<Request>> byEvent = got.stream().collect(Collectors.groupingBy(Request::event));
            assertThat(byEvent.keySet()).containsExactlyInAnyOrderElementsOf(WebhookEvents.ALL);
            assertThat(byEvent.get("message.created")).hasSize(2);
            assertThat(byEvent.get("chat.status_changed")).hasSize(2);

            long now = Instant.now().getEpochSecond();
            for (Request r : got) {
                assertThat(WebhookReceiver.verify(r, secret)).as("signature of %s", r.event()).isTrue();
                assertThat(WebhookReceiver.verify(r, secret + "x")).as("another secret does not verify").isFalse();
                assertThat(r.header("Content-Type")).startsWith("application/json");
                assertThat(r.path()).isEqualTo("/hooks");
                assertThat(Long.parseLong(r.header("X-ChatHub-Timestamp"))).isBetween(now - 60, now + 5);
                JsonNode envelope = r.json();
                assertThat(envelope.get("event").asText()).isEqualTo(r.event());
                assertThat(envelope.get("id").asText()).isNotBlank();
                assertThat(Instant.parse(envelope.get("createdAt").asText())).isBefore(Instant.now().plusSeconds(1));
                assertThat(envelope.get("companyId").longValue()).isEqualTo(tenant.companyId());
                assertThat(envelope.get("organizationId").longValue()).isEqualTo(org);
            }
            assertThat(got.stream().map(Request::deliveryId).distinct()).as("a delivery id each").hasSize(8);

            JsonNode created = byEvent.get("chat.created").getFirst().json().get("data");
            assertThat(created.get("id").longValue()).isEqualTo(chatId);
            assertThat(created.get("source").intValue()).isZero();
            assertThat(created.has("companyId")).as("as the REST API shows a chat").isFalse();
            assertThat(byEvent.get("message.created").stream().map(r -> r.json().get("data").get("message").asText()))
                    .containsExactly("Do you ship to Lviv?", "We do!");
            JsonNode assigned = byEvent.get("chat.assigned").getFirst().json().get("data");
            assertThat(assigned.get("operator").get("id").longValue()).isEqualTo(anna);
            assertThat(byEvent.get("chat.status_changed").stream().map(r -> r.json().get("data").get("chatStatus").intValue()))
                    .containsExactly(1, 4);
            JsonNode readMessage = byEvent.get("message.status_changed").getFirst().json().get("data");
            assertThat(readMessage.get("id").longValue()).isEqualTo(first.get("id").longValue());
            assertThat(readMessage.get("status").intValue()).isEqualTo(3);
            JsonNode ratedChat = byEvent.get("rating.created").getFirst().json().get("data");
            assertThat(ratedChat.get("rating").get("score").intValue()).isEqualTo(5);
            assertThat(ratedChat.get("rating").get("comment").asText()).isEqualTo("Quick!");
            assertThat(reply.get("id").longValue()).isEqualTo(byEvent.get("message.created").get(1).json().get("data").get("id").longValue());

            JsonNode log = awaitLog(tenant, hook.get("id").longValue(), l -> l.size() == 8 && all(l, "delivered"));
            for (JsonNode d : log) {
                assertThat(d.get("attempts").intValue()).isEqualTo(1);
                assertThat(d.get("lastStatusCode").intValue()).isEqualTo(200);
            }
            sleep(Duration.ofMillis(300));
            assertThat(receiver.requests()).as("each delivered once").hasSize(8);
        }
    }

    @Test
    void aWebhookGetsOnlyTheEventsItAskedFor() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Support");
        try (WebhookReceiver chats = WebhookReceiver.start(); WebhookReceiver messages = WebhookReceiver.start()) {
            webhook(tenant, chats.url(), "chat.created");
            webhook(tenant, messages.url(), "message.created");
            long chatId = tenant.newChat(org);
            tenant.incoming(org, "someone-else", "Second chat");

            assertThat(chats.await(2, WAIT)).allSatisfy(r -> assertThat(r.event()).isEqualTo("chat.created"));
            List<Request> m = messages.await(2, WAIT);
            assertThat(m).allSatisfy(r -> assertThat(r.event()).isEqualTo("message.created"));
            assertThat(m.stream().map(r -> r.json().get("data").get("chatId").longValue())).contains(chatId);
            sleep(Duration.ofMillis(200));
            assertThat(chats.requests()).hasSize(2);
            assertThat(messages.requests()).hasSize(2);
        }
    }

    // ---- retries, disabling, the log

    @Test
    void aDeliveryIsRetriedAfterA500AndATimeoutThenDeliveredOnceWithTheSameDeliveryId() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Support");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.then(Answer.status(500), Answer.late(TIMEOUT.multipliedBy(3)));
            JsonNode hook = webhook(tenant, receiver.url(), "chat.created");
            long chatId = tenant.newChat(org);

            List<Request> got = receiver.await(3, WAIT);
            assertThat(got.stream().map(Request::deliveryId).distinct()).as("one delivery, three attempts").hasSize(1);
            assertThat(got).allSatisfy(r -> {
                assertThat(WebhookReceiver.verify(r, hook.get("secret").asText())).isTrue();
                assertThat(r.json().get("data").get("id").longValue()).isEqualTo(chatId);
            });
            assertThat(got.get(0).text()).as("the same body every time").isEqualTo(got.get(2).text());
            assertThat(Duration.between(got.get(0).at(), got.get(1).at())).as("a backoff before the retry")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(35));

            JsonNode log = awaitLog(tenant, hook.get("id").longValue(), l -> all(l, "delivered"));
            assertThat(log).hasSize(1);
            JsonNode d = log.get(0);
            assertThat(d.get("id").asText()).isEqualTo(got.getFirst().deliveryId());
            assertThat(d.get("event").asText()).isEqualTo("chat.created");
            assertThat(d.get("attempts").intValue()).isEqualTo(3);
            assertThat(d.get("lastStatusCode").intValue()).isEqualTo(200);
            assertThat(d.get("lastError").isNull()).isTrue();
            assertThat(Instant.parse(d.get("deliveredAt").asText())).isAfterOrEqualTo(Instant.parse(d.get("createdAt").asText()));
            assertThat(d.get("nextAttemptAt").isNull()).isTrue();

            sleep(Duration.ofMillis(500));
            assertThat(receiver.requests()).as("nothing after the delivery").hasSize(3);
            assertThat(receiver.requests().stream().filter(Request::succeeded)).as("delivered once").hasSize(1);
            assertThat(get(tenant, hook.get("id").longValue()).get("consecutiveFailures").intValue()).isZero();
        }
    }

    @Test
    void aWebhookIsDisabledAfterTwoFailedDeliveriesInARowAndReEnabledByTheApi() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Support");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.otherwise(Answer.status(503));
            JsonNode hook = webhook(tenant, receiver.url(), "chat.created");
            long id = hook.get("id").longValue();
            tenant.newChat(org);
            tenant.newChat(org);

            JsonNode log = awaitLog(tenant, id, l -> l.size() == 2 && all(l, "failed"));
            for (JsonNode d : log) {
                assertThat(d.get("attempts").intValue()).as("retried until the window ended").isGreaterThan(2);
                assertThat(d.get("lastStatusCode").intValue()).isEqualTo(503);
                assertThat(d.get("lastError").asText()).isEqualTo("HTTP 503");
            }
            JsonNode disabled = get(tenant, id);
            assertThat(disabled.get("enabled").asBoolean()).isFalse();
            assertThat(disabled.get("disabledReason").asText()).isEqualTo("2 consecutive deliveries failed");
            assertThat(disabled.get("disabledAt").isNull()).isFalse();
            assertThat(disabled.get("consecutiveFailures").intValue()).isEqualTo(2);

            int before = receiver.requests().size();
            tenant.newChat(org);
            sleep(Duration.ofMillis(300));
            assertThat(deliveries(tenant, id, "")).as("a disabled webhook queues nothing").hasSize(2);
            assertThat(receiver.requests()).hasSize(before);

            var r = put(tenant, id, Map.of("enabled", true));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("enabled").asBoolean()).isTrue();
            assertThat(r.json().get("consecutiveFailures").intValue()).isZero();
            assertThat(r.json().get("disabledReason").isNull()).isTrue();
            assertThat(r.json().get("secret").asText()).as("the secret is not shown again").isEqualTo("…" + hook.get("secret").asText().substring(60));

            receiver.otherwise(Answer.status(204));
            long chatId = tenant.newChat(org);
            Request delivered = receiver.awaitMatching(Request::succeeded, 1, WAIT).getFirst();
            assertThat(delivered.json().get("data").get("id").longValue()).isEqualTo(chatId);
            awaitLog(tenant, id, l -> l.size() == 3 && l.get(0).get("status").asText().equals("delivered"));
        }
    }

    @Test
    void disablingByTheApiGivesUpItsPendingDeliveriesAndTheLogFiltersByStatus() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Support");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.then(Answer.status(200)).otherwise(Answer.status(500));
            JsonNode hook = webhook(tenant, receiver.url(), "chat.created");
            long id = hook.get("id").longValue();
            tenant.newChat(org);
            awaitLog(tenant, id, l -> all(l, "delivered")); // not just arrived: its answer recorded
            tenant.newChat(org);
            awaitLog(tenant, id, l -> l.size() == 2 && l.get(0).get("attempts").intValue() >= 1
                    && l.get(0).get("status").asText().equals("pending")); // its first attempt failed: to be retried
            assertThat(put(tenant, id, Map.of("enabled", false)).status()).isEqualTo(200);

            JsonNode off = get(tenant, id);
            assertThat(off.get("enabled").asBoolean()).isFalse();
            assertThat(off.get("disabledReason").isNull()).as("the company disabled it, not the server").isTrue();
            JsonNode log = awaitLog(tenant, id, l -> l.size() == 2 && l.get(1).get("status").asText().equals("delivered")
                    && l.get(0).get("status").asText().equals("failed"));
            assertThat(log.get(0).get("lastError").asText()).isEqualTo("webhook disabled");
            assertThat(deliveries(tenant, id, "?status=delivered")).hasSize(1);
            assertThat(deliveries(tenant, id, "?status=failed")).hasSize(1);
            assertThat(deliveries(tenant, id, "?status=pending")).isEmpty();
            assertThat(deliveries(tenant, id, "?limit=1")).hasSize(1);
            assertThat(deliveries(tenant, id, "?limit=1").get(0).get("status").asText()).as("newest first").isEqualTo("failed");
            String path = "/api/company/webhooks/" + id + "/deliveries";
            assertBadRequest(tenant.api().get(path + "?status=lost").bearer(tenant.token()).send(), "status");
            assertBadRequest(tenant.api().get(path + "?limit=0").bearer(tenant.token()).send(), "limit");
            assertBadRequest(tenant.api().get(path + "?limit=501").bearer(tenant.token()).send(), "limit");
        }
    }

    // ---- the API

    @Test
    void createListChangeAndDeleteAWebhook() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Support");
        try (WebhookReceiver receiver = WebhookReceiver.start(); WebhookReceiver other = WebhookReceiver.start()) {
            var r = create(tenant, Map.of("url", receiver.url(), "events", List.of("chat.created", "chat.created", "message.created"),
                    "secret", "my-own-secret-0123456789"));
            assertThat(r.status()).isEqualTo(201);
            JsonNode made = r.json();
            long id = made.get("id").longValue();
            assertThat(made.get("url").asText()).isEqualTo(receiver.url());
            assertThat(made.get("events")).extracting(JsonNode::asText).containsExactly("chat.created", "message.created");
            assertThat(made.get("enabled").asBoolean()).isTrue();
            assertThat(made.get("secret").asText()).isEqualTo("my-own-secret-0123456789");

            JsonNode listed = tenant.api().get("/api/company/webhooks").bearer(tenant.token()).send().json();
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("secret").asText()).isEqualTo("…6789");
            assertThat(get(tenant, id).get("secret").asText()).isEqualTo("…6789");
            String stored = server.hub().database().read(h -> h.createQuery("SELECT secret FROM webhook WHERE id = :id")
                    .bind("id", id).mapTo(String.class).one());
            assertThat(stored).as("stored encrypted").startsWith("v1:").doesNotContain("my-own-secret");

            tenant.newChat(org);
            Request signed = receiver.await(2, WAIT).getFirst();
            assertThat(WebhookReceiver.verify(signed, "my-own-secret-0123456789")).isTrue();

            var changed = put(tenant, id, Map.of("url", other.url(), "events", List.of("chat.status_changed"), "rotateSecret", true));
            assertThat(changed.status()).isEqualTo(200);
            String rotated = changed.json().get("secret").asText();
            assertThat(rotated).as("a rotated secret is shown in full, this once").matches("[0-9a-f]{64}");
            assertThat(changed.json().get("events")).extracting(JsonNode::asText).containsExactly("chat.status_changed");
            assertThat(changed.json().get("url").asText()).isEqualTo(other.url());
            assertThat(get(tenant, id).get("secret").asText()).isEqualTo("…" + rotated.substring(60));

            long chatId = tenant.newChat(org);
            tenant.setChatStatus(chatId, 2);
            Request afterChange = other.await(1, WAIT).getFirst();
            assertThat(afterChange.event()).isEqualTo("chat.status_changed");
            assertThat(WebhookReceiver.verify(afterChange, rotated)).isTrue();
            assertThat(WebhookReceiver.verify(afterChange, "my-own-secret-0123456789")).isFalse();

            var deleted = tenant.api().delete("/api/company/webhooks/" + id).bearer(tenant.token()).send();
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(deleted.text()).isEmpty();
            assertNotFound(tenant.api().get("/api/company/webhooks/" + id).bearer(tenant.token()).send());
            assertNotFound(tenant.api().get("/api/company/webhooks/" + id + "/deliveries").bearer(tenant.token()).send());
            tenant.setChatStatus(chatId, 1);
            sleep(Duration.ofMillis(300));
            assertThat(other.requests()).as("a deleted webhook gets nothing").hasSize(1);
        }
    }

    @Test
    void anotherCompanysWebhookIs403AndItsEventsNeverReachIt() {
        TestTenant mine = server.newTenant();
        TestTenant theirs = server.newTenant();
        long theirOrg = theirs.organization("Theirs");
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            long id = webhook(mine, receiver.url(), WebhookEvents.ALL.toArray(String[]::new)).get("id").longValue();
            String path = "/api/company/webhooks/" + id;
            assertForbidden(theirs.api().get(path).bearer(theirs.token()).send());
            assertForbidden(theirs.api().put(path).bearer(theirs.token()).json(Map.of("enabled", false)).send());
            assertForbidden(theirs.api().delete(path).bearer(theirs.token()).send());
            assertForbidden(theirs.api().get(path + "/deliveries").bearer(theirs.token()).send());
            assertThat(theirs.api().get("/api/company/webhooks").bearer(theirs.token()).send().json()).isEmpty();
            assertNotFound(theirs.api().get("/api/company/webhooks/999999999").bearer(theirs.token()).send());
            assertThat(get(mine, id).get("enabled").asBoolean()).as("unchanged by the refused calls").isTrue();

            long operator = theirs.operator(theirOrg, "Olga");
            var byOperator = theirs.api().get("/api/company/webhooks").bearer(theirs.operatorToken(operator)).send();
            assertForbidden(byOperator);
            assertProblem(theirs.api().get("/api/company/webhooks").send(), 401);

            theirs.newChat(theirOrg);
            sleep(Duration.ofMillis(400));
            assertThat(receiver.requests()).as("another company's events").isEmpty();
        }
    }

    @Test
    void badInputIs400NamingTheFieldAndStoresNothing() {
        TestTenant tenant = server.newTenant();
        List<String> events = List.of("chat.created");
        record Case(String field, Object body) {}
        Map<String, Object> noUrl = Map.of("events", events);
        List<Case> cases = new ArrayList<>(List.of(
                new Case("url", noUrl),
                new Case("url", Map.of("url", "ftp://example.com/hooks", "events", events)),
                new Case("url", Map.of("url", "not a url", "events", events)),
                new Case("url", Map.of("url", "/relative/hooks", "events", events)),
                new Case("url", Map.of("url", "http://user:secret@127.0.0.1/hooks", "events", events)),
                new Case("url", Map.of("url", "http://127.0.0.1/hooks#part", "events", events)),
                new Case("url", Map.of("url", "http://host.invalid/hooks", "events", events)),
                new Case("url", Map.of("url", "https://" + "a".repeat(2000) + ".com/", "events", events)),
                new Case("url", Map.of("url", 42, "events", events)),
                new Case("events", Map.of("url", "http://127.0.0.1/hooks")),
                new Case("events", Map.of("url", "http://127.0.0.1/hooks", "events", List.of())),
                new Case("events", Map.of("url", "http://127.0.0.1/hooks", "events", List.of("chat.deleted"))),
                new Case("events", Map.of("url", "http://127.0.0.1/hooks", "events", "chat.created")),
                new Case("events", Map.of("url", "http://127.0.0.1/hooks", "events", List.of(1))),
                new Case("secret", Map.of("url", "http://127.0.0.1/hooks", "events", events, "secret", "too-short")),
                new Case("secret", Map.of("url", "http://127.0.0.1/hooks", "events", events, "secret", "has spaces in it, sixteen+")),
                new Case("enabled", Map.of("url", "http://127.0.0.1/hooks", "events", events, "enabled", "yes")),
                new Case("rotateSecret", Map.of("url", "http://127.0.0.1/hooks", "events", events, "rotateSecret", true)),
                new Case("body", "[1, 2]"),
                new Case("body", "{not json")));
        for (Case c : cases) assertBadRequest(send(tenant, c.body()), c.field());
        assertThat(tenant.api().get("/api/company/webhooks").bearer(tenant.token()).send().json()).as("nothing stored").isEmpty();

        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            JsonNode hook = webhook(tenant, receiver.url(), "chat.created");
            long id = hook.get("id").longValue();
            assertBadRequest(put(tenant, id, Map.of("events", List.of("nope"), "url", "http://elsewhere.invalid/")), "url");
            assertBadRequest(put(tenant, id, Map.of("events", List.of("nope"))), "events");
            assertBadRequest(put(tenant, id, Map.of("secret", "abcdefghijklmnopqrstuvwxyz", "rotateSecret", true)), "secret");
            assertBadRequest(tenant.api().put("/api/company/webhooks/01").bearer(tenant.token()).json(Map.of()).send(), "id");
            JsonNode unchanged = get(tenant, id);
            assertThat(unchanged.get("url").asText()).isEqualTo(receiver.url());
            assertThat(unchanged.get("events")).extracting(JsonNode::asText).containsExactly("chat.created");
            assertThat(unchanged.get("secret").asText()).isEqualTo(hook.get("secret").asText().replaceAll("^.{60}", "…"));
        }
    }

    private static Api.Response send(TestTenant tenant, Object body) {
        return tenant.api().post("/api/company/webhooks").bearer(tenant.token()).json(body).send();
    }

    // ---- many at once

    @Test
    void concurrentChangesAreEachDeliveredExactlyOnce() throws Exception {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Support");
        try (WebhookReceiver receiver = WebhookReceiver.start(); ExecutorService pool = Executors.newFixedThreadPool(8)) {
            JsonNode hook = webhook(tenant, receiver.url(), "message.created");
            long chatId = tenant.newChat(org);
            List<Future<JsonNode>> sent = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String text = "message " + i;
                sent.add(pool.submit(() -> tenant.send(tenant.token(), chatId, text)));
            }
            Set<Long> messageIds = new java.util.HashSet<>();
            for (Future<JsonNode> f : sent) messageIds.add(f.get().get("id").longValue());

            List<Request> got = receiver.await(61, WAIT);
            Map<String, Integer> perDelivery = new HashMap<>();
            Map<Long, Integer> perMessage = new LinkedHashMap<>();
            for (Request r : got) {
                assertThat(WebhookReceiver.verify(r, hook.get("secret").asText())).isTrue();
                perDelivery.merge(r.deliveryId(), 1, Integer::sum);
                perMessage.merge(r.json().get("data").get("id").longValue(), 1, Integer::sum);
            }
            assertThat(perDelivery.values()).as("no delivery sent twice").containsOnly(1);
            assertThat(perMessage.keySet()).containsAll(messageIds).hasSize(61);
            assertThat(perMessage.values()).containsOnly(1);
            awaitLog(tenant, hook.get("id").longValue(), l -> l.size() == 61 && all(l, "delivered"));
            sleep(Duration.ofMillis(200));
            assertThat(receiver.requests()).hasSize(61);
        }
    }

    // ---- restart

    @Test
    void deliveriesQueuedWhenTheServerStopsAreDeliveredAfterItStartsAgain() {
        // A server of its own, with retries for a minute so that they outlive the restart.
        var slow = settings().withRetries(Duration.ofMillis(300), Duration.ofMinutes(1));
        TestServer first = TestServer.start(database, b -> b.webhooks(slow));
        TestServer again = first;
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.otherwise(Answer.status(503));
            TestTenant tenant = first.newTenant();
            long org = tenant.organization("Support");
            JsonNode hook = webhook(tenant, receiver.url(), "chat.created");
            for (int i = 0; i < 3; i++) tenant.newChat(org);
            Set<String> queued = receiver.await(3, WAIT).stream().map(Request::deliveryId).collect(Collectors.toSet());
            assertThat(queued).hasSize(3);

            again = first.restart(b -> b.webhooks(slow));
            receiver.otherwise(Answer.status(200));
            TestTenant sameTenant = new TestTenant(again, tenant.companyId(), tenant.login(), tenant.password(), tenant.token());
            JsonNode log = awaitLog(sameTenant, hook.get("id").longValue(), l -> l.size() == 3 && all(l, "delivered"));
            Set<String> delivered = receiver.requests().stream().filter(Request::succeeded).map(Request::deliveryId)
                    .collect(Collectors.toSet());
            assertThat(delivered).as("the same deliveries, with their ids").isEqualTo(queued);
            assertThat(receiver.requests().stream().filter(Request::succeeded)).as("each once").hasSize(3);
            for (JsonNode d : log) assertThat(d.get("attempts").intValue()).isGreaterThanOrEqualTo(2);
        } finally {
            again.close();
        }
    }

    @Test
    void aServerWithAnotherSecretKeySendsNothingAndSaysWhyInTheLog() {
        TestServer first = TestServer.start(database, b -> b.webhooks(settings())); // a key generated into its data dir
        TestServer again = first;
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            TestTenant tenant = first.newTenant();
            long org = tenant.organization("Support");
            JsonNode hook = webhook(tenant, receiver.url(), "chat.created");

            again = first.restart(b -> b.webhooks(settings()).secretKey("another-secret-key-than-the-generated-one"));
            TestTenant same = new TestTenant(again, tenant.companyId(), tenant.login(), tenant.password(), tenant.token());
            same.newChat(org);
            JsonNode d = awaitLog(same, hook.get("id").longValue(), l -> l.size() == 1 && l.get(0).get("attempts").intValue() >= 1).get(0);
            assertThat(d.get("lastError").asText()).isEqualTo("cannot decrypt the webhook's secret: is CHATHUB_SECRET_KEY the same on every node?");
            assertThat(receiver.requests()).as("nothing unsigned or wrongly signed goes out").isEmpty();
        } finally {
            again.close();
        }
    }
}
