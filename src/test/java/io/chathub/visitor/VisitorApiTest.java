package io.chathub.visitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.HubClient;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import io.chathub.testing.TestVisitor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertNotFound;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The customer chat widget's visitor API, {@code /api/widget/{guid}/…}, against a real server on both databases. */
class VisitorApiTest extends ServerTest {
    static final String SHOP = "https://shop.example.com";

    private record Site(TestTenant tenant, long organizationId, String guid) {}

    private static Site site() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        tenant.updateOrganization(org, Map.of("allowedOrigins", List.of(SHOP), "greeting", "Hi! Ask us anything.",
                "themeColor", "#0a7d55"));
        return new Site(tenant, org, tenant.widgetGuid(org));
    }

    private static TestVisitor visitor(Site site) {
        return TestVisitor.arrive(server, site.guid(), SHOP);
    }

    // ---- sessions

    @Test
    void aNewBrowserGetsANewVisitorAndAKnownOneGetsItsOwnBack() {
        Site site = site();
        TestVisitor first = visitor(site);
        JsonNode s = first.session();

        assertThat(s.get("visitorToken").asText()).isNotBlank();
        assertThat(s.get("visitorId").asText()).isNotBlank();
        assertThat(s.get("resume").asText()).as("a new browser gets its resume secret").isNotBlank();
        assertThat(s.get("chat").isNull()).isTrue();
        JsonNode org = s.get("organization");
        assertThat(org.get("name").asText()).isEqualTo("Shop");
        assertThat(org.get("greeting").asText()).isEqualTo("Hi! Ask us anything.");
        assertThat(org.get("themeColor").asText()).isEqualTo("#0a7d55");
        assertThat(org.get("online").asBoolean()).as("no operator is connected").isFalse();
        assertThat(org.has("preChat")).isTrue();

        first.send("Hello");
        TestVisitor again = first.sameBrowser();
        assertThat(again.visitorId()).isEqualTo(first.visitorId());
        assertThat(again.session().get("resume").isNull()).as("the secret is only ever given once").isTrue();
        assertThat(again.session().get("chat").get("chatStatus").intValue()).isZero();
        assertThat(again.messages("")).extracting(m -> m.get("message").asText()).containsExactly("Hello");

        TestVisitor other = visitor(site);
        assertThat(other.visitorId()).isNotEqualTo(first.visitorId());
        assertThat(other.messages("")).isEmpty();
    }

    @Test
    void aVisitorIdWithoutItsResumeSecretIsANewVisitor() {
        Site site = site();
        TestVisitor first = visitor(site);
        first.send("Private question");

        var r = first.call("POST", "session").json(Map.of("visitorId", first.visitorId(), "resume", "guessed")).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("visitorId").asText()).isNotEqualTo(first.visitorId());
        var noSecret = first.call("POST", "session").json(Map.of("visitorId", first.visitorId())).send();
        assertThat(noSecret.json().get("visitorId").asText()).isNotEqualTo(first.visitorId());
    }

    @Test
    void theWidgetIsOnlineOnlyWhileAnActiveOperatorIsConnectedWithinBusinessHours() {
        Site site = site();
        long anna = site.tenant().operator(site.organizationId(), "Anna");
        assertThat(visitor(site).session().get("organization").get("online").asBoolean()).isFalse();

        try (HubClient annaHub = site.tenant().connect(site.tenant().operatorToken(anna), "Anna")) {
            assertThat(visitor(site).session().get("organization").get("online").asBoolean()).isTrue();
            // Business hours with no open day: outside them, whoever is connected.
            site.tenant().updateOrganization(site.organizationId(), Map.of("businessHours",
                    Map.of("timezone", "Europe/Kyiv", "days", Map.of()), "offlineContact", "support@shop.example.com"));
            JsonNode view = visitor(site).session().get("organization");
            assertThat(view.get("online").asBoolean()).isFalse();
            assertThat(view.get("offlineContact").asText()).isEqualTo("support@shop.example.com");
        }
    }

    @Test
    void anUnknownGuidIs404() {
        var r = server.api().post("/api/widget/00000000-0000-0000-0000-000000000000/session").json(Map.of()).send();
        assertNotFound(r);
    }

    // ---- chats and messages

    @Test
    void theFirstMessageOpensAWidgetChatThatOperatorsSeeLiveAndTheirReplyReachesTheVisitor() {
        Site site = site();
        long anna = site.tenant().operator(site.organizationId(), "Anna");
        TestVisitor olena = visitor(site);

        try (HubClient annaHub = site.tenant().connect(site.tenant().operatorToken(anna), "Anna");
             HubClient olenaHub = server.connect(olena.token(), "Olena's browser")) {
            JsonNode first = olena.send("Do you ship to Lviv?");
            long chatId = first.get("chatId").longValue();
            assertThat(first.get("author").intValue()).isEqualTo(1);

            JsonNode created = annaHub.awaitChat("ChatCreated", chatId).arg(0);
            assertThat(created.get("source").intValue()).isZero();
            assertThat(created.get("pageUrl").asText()).isEqualTo("https://shop.example.com/pricing");
            assertThat(created.get("language").asText()).isEqualTo("uk-UA");
            assertThat(created.get("offline").asBoolean()).isFalse();
            assertThat(annaHub.await("ReceiveMessage", e -> e.id() == first.get("id").longValue()).arg(0)).isEqualTo(first);

            JsonNode reply = site.tenant().send(site.tenant().operatorToken(anna), chatId, "Yes, in two days.");
            assertThat(olenaHub.await("ReceiveMessage", e -> e.id() == reply.get("id").longValue()).arg(0)).isEqualTo(reply);
            assertThat(olenaHub.awaitChat("ChatAssigned", chatId).arg(0).get("operator").get("name").asText()).isEqualTo("Anna");
            assertThat(olenaHub.events()).noneMatch(e -> e.target().equals("ChatCreated"));
            assertThat(olena.messages("after=1")).extracting(m -> m.get("message").asText()).containsExactly("Yes, in two days.");
            assertThat(olena.messages("")).hasSize(2);
        }
    }

    @Test
    void typingAndReadStateGoBothWays() {
        Site site = site();
        long anna = site.tenant().operator(site.organizationId(), "Anna");
        String annas = site.tenant().operatorToken(anna);
        TestVisitor olena = visitor(site);
        long chatId = olena.send("Hi").get("chatId").longValue();

        try (HubClient annaHub = site.tenant().connect(annas, "Anna");
             HubClient olenaHub = server.connect(olena.token(), "Olena")) {
            assertThat(olena.authed("POST", "typing").send().status()).isEqualTo(200);
            assertThat(annaHub.awaitChat("Typing", chatId).arg(1).intValue()).as("the client is typing").isEqualTo(1);
            annaHub.call("Typing", chatId);
            assertThat(olenaHub.await("Typing", e -> e.chatId() == chatId && e.arg(1).intValue() == 0)).isNotNull();

            JsonNode reply = site.tenant().send(annas, chatId, "Hello!");
            assertThat(olena.authed("POST", "read").json(Map.of("seq", reply.get("seq").longValue())).send().status()).isEqualTo(200);
            assertThat(annaHub.await("MessageStatusChanged", e -> e.arg(0).longValue() == reply.get("id").longValue())
                    .arg(1).intValue()).isEqualTo(3);
        }
    }

    @Test
    void theVisitorEndsItsChatRatesItOnceAndItsNextMessageOpensANewChat() {
        Site site = site();
        TestVisitor olena = visitor(site);
        long chatId = olena.send("Thanks, that is all").get("chatId").longValue();

        assertProblem(olena.authed("POST", "rating").json(Map.of("chatId", chatId, "score", 5)).send(), 409);
        assertThat(olena.authed("POST", "end").json(Map.of("chatId", chatId)).send().status()).isEqualTo(200);
        assertThat(site.tenant().chat(chatId).get("chatStatus").intValue()).isEqualTo(4);

        assertBadRequest(olena.authed("POST", "rating").json(Map.of("chatId", chatId, "score", 6)).send(), "score");
        var rated = olena.authed("POST", "rating").json(Map.of("chatId", chatId, "score", 4, "comment", "Quick and kind")).send();
        assertThat(rated.status()).as(rated.toString()).isEqualTo(200);
        assertProblem(olena.authed("POST", "rating").json(Map.of("chatId", chatId, "score", 1)).send(), 409);
        JsonNode rating = site.tenant().chat(chatId).get("rating");
        assertThat(rating.get("score").intValue()).isEqualTo(4);
        assertThat(rating.get("comment").asText()).isEqualTo("Quick and kind");

        long next = olena.send("One more question").get("chatId").longValue();
        assertThat(next).isNotEqualTo(chatId);
        assertThat(olena.messages("")).extracting(m -> m.get("message").asText()).containsExactly("One more question");
    }

    @Test
    void theTranscriptIsTheVisitorsOwnChatAsText() {
        Site site = site();
        long anna = site.tenant().operator(site.organizationId(), "Anna");
        TestVisitor olena = visitor(site);
        long chatId = olena.send("Where is order 17?").get("chatId").longValue();
        site.tenant().send(site.tenant().operatorToken(anna), chatId, "On its way.");

        var r = olena.authed("GET", "transcript?chatId=" + chatId).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        assertThat(r.header("Content-Disposition").orElseThrow()).contains("attachment").contains("chat-" + chatId + ".txt");
        assertThat(r.text()).contains("You: Where is order 17?").contains("Anna: On its way.");
    }

    @Test
    void anOfflineMessageIsAChatMarkedOfflineWithTheVisitorsContact() {
        Site site = site();
        TestVisitor olena = visitor(site);

        assertBadRequest(olena.authed("POST", "offline").json(Map.of("name", "Olena", "textMessage", "Call me")).send(), "email");
        assertBadRequest(olena.authed("POST", "offline").json(Map.of("email", "o@example.com", "textMessage", "x")).send(), "name");
        assertBadRequest(olena.authed("POST", "offline").json(Map.of("name", "Olena", "email", "not-an-email",
                "textMessage", "x")).send(), "email");
        var r = olena.authed("POST", "offline").json(Map.of("name", "Olena", "email", "olena@example.com",
                "textMessage", "Please call me back")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode chat = site.tenant().chat(r.json().get("chatId").longValue());
        assertThat(chat.get("offline").asBoolean()).isTrue();
        assertThat(chat.get("client").get("name").asText()).isEqualTo("Olena");
        assertThat(chat.get("client").get("email").asText()).isEqualTo("olena@example.com");
        assertThat(chat.get("lastMessage").get("message").asText()).isEqualTo("Please call me back");
    }

    @Test
    void contactDetailsReachTheChatsClient() {
        Site site = site();
        TestVisitor olena = visitor(site);
        long chatId = olena.send("Hi").get("chatId").longValue();

        var r = olena.authed("POST", "contact").json(Map.of("name", "Olena K.", "email", "olena@example.com",
                "phone", "+380 50 123 45 67")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode client = site.tenant().chat(chatId).get("client");
        assertThat(client.get("name").asText()).isEqualTo("Olena K.");
        assertThat(client.get("email").asText()).isEqualTo("olena@example.com");
        assertThat(client.get("phone").asText()).isEqualTo("+380 50 123 45 67");
        assertBadRequest(olena.authed("POST", "contact").json(Map.of("phone", "call me")).send(), "phone");
        assertThat(site.tenant().chat(chatId).get("client")).isEqualTo(client);
    }

    // ---- isolation

    @Test
    void aVisitorCannotReachAnotherVisitorsChatWithAnyIdOrToken() {
        Site site = site();
        TestVisitor olena = visitor(site);
        TestVisitor mallory = visitor(site);
        long olenasChat = olena.send("My address is …").get("chatId").longValue();
        mallory.send("Hi");

        assertNotFound(mallory.authed("GET", "transcript?chatId=" + olenasChat).send());
        assertNotFound(mallory.authed("POST", "rating").json(Map.of("chatId", olenasChat, "score", 1)).send());
        assertNotFound(mallory.authed("POST", "end").json(Map.of("chatId", olenasChat)).send());
        assertThat(mallory.messages("")).extracting(m -> m.get("message").asText()).containsExactly("Hi");
        // The staff API refuses a visitor token outright.
        assertForbidden(server.api().get("/api/chat/chats").bearer(mallory.token()).send());
        assertForbidden(server.api().get("/api/chat/chats/" + olenasChat).bearer(mallory.token()).send());
        assertForbidden(server.api().get("/api/chat/" + olenasChat + "/messages").bearer(mallory.token()).send());
        assertForbidden(server.api().post("/api/chat/" + olenasChat + "/message").bearer(mallory.token())
                .json(Map.of("textMessage", "as an operator")).send());
        assertForbidden(server.api().get("/api/company/organization").bearer(mallory.token()).send());
        assertForbidden(server.api().get("/api/operator").bearer(mallory.token()).send());
        assertForbidden(server.api().put("/api/chat/status").bearer(mallory.token()).json(Map.of("id", olenasChat, "status", 4)).send());
        assertThat(site.tenant().chat(olenasChat).get("chatStatus").intValue()).isZero();

        try (HubClient malloryHub = server.connect(mallory.token(), "Mallory");
             HubClient olenaHub = server.connect(olena.token(), "Olena")) {
            assertThat(catchHubError(() -> malloryHub.invoke("SendMessage", olenasChat, "hijack"))).contains("visitor");
            JsonNode next = olena.send("Second message");
            olenaHub.await("ReceiveMessage", e -> e.id() == next.get("id").longValue());
            mallory.send("Mine");
            assertThat(malloryHub.events()).noneMatch(e -> e.chatId() == olenasChat);
        }
    }

    private static String catchHubError(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("the hub call was expected to fail");
    }

    @Test
    void aVisitorTokenIsForItsOwnWidgetOnly() {
        Site shop = site();
        Site other = site();
        TestVisitor olena = visitor(shop);
        var r = server.api().get("/api/widget/" + other.guid() + "/messages").bearer(olena.token()).send();
        assertForbidden(r);
        assertProblem(server.api().get("/api/widget/" + shop.guid() + "/messages").send(), 401);
        assertForbidden(server.api().get("/api/widget/" + shop.guid() + "/messages").bearer(shop.tenant().token()).send());
    }

    // ---- origins

    @Test
    void aPageOutsideTheAllowedOriginsGetsNothingNotEvenCorsHeaders() {
        Site site = site();
        var refused = server.api().post("/api/widget/" + site.guid() + "/session").header("Origin", "https://evil.example")
                .json(Map.of()).send();
        assertForbidden(refused);
        assertThat(refused.header("Access-Control-Allow-Origin")).isEmpty();
        var preflight = server.api().method("OPTIONS", "/api/widget/" + site.guid() + "/session")
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").send();
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEmpty();

        var allowed = server.api().post("/api/widget/" + site.guid() + "/session").header("Origin", SHOP).json(Map.of()).send();
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).contains(SHOP);
    }

    @Test
    void anOrganizationWithoutAllowedOriginsRefusesEveryPage() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("No site yet");
        var r = server.api().post("/api/widget/" + tenant.widgetGuid(org) + "/session").header("Origin", SHOP).json(Map.of()).send();
        assertForbidden(r);
    }

    // ---- identity

    @Test
    void aVerifiedCustomerGetsTheSameClientAndHistoryOnAnyDeviceAndAWrongHashChangesNothing() {
        Site site = site();
        JsonNode org = site.tenant().updateOrganization(site.organizationId(), Map.of("rotateIdentitySecret", true));
        String secret = org.get("identitySecret").asText();
        assertThat(secret).hasSize(64);
        assertThat(site.tenant().updateOrganization(site.organizationId(), Map.of()).get("identitySecret").asText())
                .as("never shown in full again").isEqualTo("…" + secret.substring(60));

        TestVisitor laptop = visitor(site);
        var bad = laptop.authed("POST", "contact").json(Map.of("externalId", "customer-42", "hash", "00".repeat(32))).send();
        assertForbidden(bad);
        var missing = laptop.authed("POST", "contact").json(Map.of("externalId", "customer-42")).send();
        assertForbidden(missing);

        var good = laptop.authed("POST", "contact").json(Map.of("externalId", "customer-42", "name", "Olena",
                "hash", VisitorService.hmac(secret, "customer-42"))).send();
        assertThat(good.status()).as(good.toString()).isEqualTo(200);
        laptop.adopt(good.json());
        long chatId = laptop.send("Order 17, please").get("chatId").longValue();

        TestVisitor phone = visitor(site);
        assertThat(phone.messages("")).as("an unverified visitor sees nothing of the customer").isEmpty();
        var onPhone = phone.authed("POST", "contact").json(Map.of("externalId", "customer-42",
                "hash", VisitorService.hmac(secret, "customer-42").toUpperCase())).send();
        assertThat(onPhone.status()).isEqualTo(200);
        phone.adopt(onPhone.json());
        assertThat(phone.session().get("chat").get("id").longValue()).isEqualTo(chatId);
        assertThat(phone.messages("")).extracting(m -> m.get("message").asText()).containsExactly("Order 17, please");
        assertThat(site.tenant().chat(chatId).get("client").get("name").asText()).isEqualTo("Olena");
    }

    @Test
    void identityNeedsTheOrganizationsSecret() {
        Site site = site();
        TestVisitor v = visitor(site);
        assertBadRequest(v.authed("POST", "contact").json(Map.of("externalId", "c-1", "hash", "ab")).send(), "externalId");
    }

    // ---- settings

    @Test
    void widgetSettingsAreValidatedAndShownToTheWidget() {
        Site site = site();
        site.tenant().updateOrganization(site.organizationId(), Map.of("preChat",
                Map.of("fields", List.of("name", "email"), "required", List.of("email")), "position", "left"));
        JsonNode view = visitor(site).session().get("organization");
        assertThat(view.get("preChat").get("fields")).extracting(JsonNode::asText).containsExactly("name", "email");
        assertThat(view.get("preChat").get("required")).extracting(JsonNode::asText).containsExactly("email");
        assertThat(view.get("position").asText()).isEqualTo("left");

        String path = "/api/company/organization/" + site.organizationId();
        String token = site.tenant().token();
        assertBadRequest(server.api().put(path).bearer(token).json(Map.of("preChat", Map.of("fields", List.of("age")))).send(), "preChat.fields");
        assertBadRequest(server.api().put(path).bearer(token).json(Map.of("preChat",
                Map.of("fields", List.of("name"), "required", List.of("email")))).send(), "preChat.required");
        assertBadRequest(server.api().put(path).bearer(token).json(Map.of("position", "top")).send(), "position");
        assertBadRequest(server.api().put(path).bearer(token).json(Map.of("identitySecret", "short")).send(), "identitySecret");
        assertThat(site.tenant().updateOrganization(site.organizationId(), Map.of()).get("position").asText()).isEqualTo("left");
    }

    @Test
    void rotatingTheWidgetGuidStopsTheOldOneAtOnce() {
        Site site = site();
        TestVisitor olena = visitor(site);
        olena.send("Hi");
        try (HubClient olenaHub = server.connect(olena.token(), "Olena")) {
            JsonNode org = site.tenant().updateOrganization(site.organizationId(), Map.of("rotateWidgetGuid", true));
            String newGuid = org.get("widgetGuid").asText();
            assertThat(newGuid).isNotEqualTo(site.guid());

            assertNotFound(server.api().post("/api/widget/" + site.guid() + "/session").header("Origin", SHOP).json(Map.of()).send());
            assertProblem(server.api().get("/api/widget/" + newGuid + "/messages").header("Origin", SHOP)
                    .bearer(olena.token()).send(), 401);
            assertThat(olenaHub.awaitClosed().getMessage()).contains("Invalid token");
            assertThat(TestVisitor.arrive(server, newGuid, SHOP).session().get("visitorToken").asText()).isNotBlank();
        }
    }
}
