package io.chathub.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.HubClient;
import io.chathub.testing.TestFiles;
import io.chathub.testing.TestTenant;
import io.chathub.testing.messengers.WhatsAppDouble;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** A WhatsApp Cloud API number as a channel, against the Graph API double, on both databases. */
class WhatsAppChannelTest extends ChannelServerTest {
    private static final AtomicLong CUSTOMERS = new AtomicLong(380_501_000_000L);
    private static final String APP_SECRET = "0123456789abcdef0123456789abcdef";

    private record Shop(TestTenant tenant, long org, long channel, String url, WhatsAppDouble.Number number, String verifyToken,
                        String operatorToken) {}

    private static Shop shop() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        WhatsAppDouble.Number number = whatsapp.newNumber("Shop Ltd");
        String verifyToken = "verify-" + CUSTOMERS.incrementAndGet();
        JsonNode channel = channel(tenant, org, Map.of("type", "whatsapp", "phoneNumberId", number.id(),
                "accessToken", number.accessToken(), "appSecret", APP_SECRET, "verifyToken", verifyToken));
        long operator = tenant.operator(org, "Anna");
        return new Shop(tenant, org, channel.get("id").longValue(), channel.get("webhookUrl").asText(), number, verifyToken,
                tenant.operatorToken(operator));
    }

    private static String customer() {
        return String.valueOf(CUSTOMERS.incrementAndGet());
    }

    private static void say(Shop shop, String waId, Map<String, Object> message) {
        var r = whatsapp.message(shop.url(), APP_SECRET, shop.number(), waId, "Olena", message);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    private static long chatOf(Shop shop) {
        var r = api().get("/api/chat/chats?source=3").bearer(shop.tenant().token()).send();
        assertThat(r.json().get("items")).hasSize(1);
        return r.json().get("items").get(0).get("id").longValue();
    }

    @Test
    void creatingTheChannelChecksTheNumberAndGivesTheCallbackUrlForTheMetaApp() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        WhatsAppDouble.Number number = whatsapp.newNumber("Shop Ltd");

        var r = createChannel(tenant, org, Map.of("type", "whatsapp", "phoneNumberId", number.id(), "accessToken", number.accessToken(),
                "appSecret", APP_SECRET, "verifyToken", "my-verify-token"));

        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode channel = r.json();
        assertThat(channel.get("name").asText()).isEqualTo("Shop Ltd");
        assertThat(channel.get("externalId").asText()).isEqualTo(number.id());
        assertThat(channel.get("webhookUrl").asText()).isEqualTo(PUBLIC_URL + "/api/channels/whatsapp/" + channel.get("id").longValue() + "/webhook");
        var calls = whatsapp.requests(q -> q.path().startsWith("/" + number.id()));
        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst().method()).isEqualTo("GET");
        assertThat(calls.getFirst().header("Authorization")).isEqualTo("Bearer " + number.accessToken());
        assertThat(r.text()).doesNotContain(number.accessToken()).doesNotContain(APP_SECRET).doesNotContain("my-verify-token");
    }

    @Test
    void anAccessTokenMetaRefusesIs400AndStoresNothing() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        WhatsAppDouble.Number number = whatsapp.newNumber("Shop Ltd");
        var r = createChannel(tenant, org, Map.of("type", "whatsapp", "phoneNumberId", number.id(), "accessToken", "EAAGwrong",
                "appSecret", APP_SECRET, "verifyToken", "my-verify-token"));
        assertProblem(r, 400);
        assertThat(r.json().get("detail").asText()).contains("WhatsApp refused").contains("Invalid OAuth access token");
        assertThat(api().get("/api/company/organization/" + org + "/channels").bearer(tenant.token()).send().json()).isEmpty();
        var missing = createChannel(tenant, org, Map.of("type", "whatsapp", "phoneNumberId", number.id(), "accessToken", number.accessToken()));
        assertThat(missing.json().get("field").asText()).isEqualTo("appSecret");
    }

    @Test
    void theVerificationHandshakeAnswersTheChallengeOnlyForTheVerifyToken() {
        Shop shop = shop();
        var ok = whatsapp.verify(shop.url(), shop.verifyToken(), "1158201444");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(ok.contentType()).startsWith("text/plain");
        assertThat(whatsapp.verify(shop.url(), "guessed-token", "1158201444").status()).isEqualTo(401);
    }

    @Test
    void unsignedOrForgedCallbacksAre401AndChangeNothing() {
        Shop shop = shop();
        var value = Map.<String, Object>of("messaging_product", "whatsapp", "metadata", Map.of("phone_number_id", shop.number().id()),
                "contacts", java.util.List.of(Map.of("profile", Map.of("name", "X"), "wa_id", "1")),
                "messages", java.util.List.of(Map.of("from", "1", "id", "wamid.F", "timestamp", "1", "type", "text", "text", Map.of("body", "forged"))));
        assertThat(whatsapp.forged(shop.url(), value, null).status()).isEqualTo(401);
        assertThat(whatsapp.forged(shop.url(), value, "sha256=" + "0".repeat(64)).status()).isEqualTo(401);
        assertThat(api().get("/api/chat/chats?source=3").bearer(shop.tenant().token()).send().json().get("total").intValue()).isZero();
    }

    @Test
    void messagesAndTheirImagesComeInAsClientMessagesOfAWhatsAppChat() {
        Shop shop = shop();
        String waId = customer();
        try (HubClient anna = shop.tenant().connect(shop.operatorToken(), "Anna")) {
            say(shop, waId, whatsapp.textMessage("Hello from WhatsApp"));
            JsonNode created = anna.await("ChatCreated", e -> true).arg(0);
            assertThat(created.get("source").intValue()).isEqualTo(3);
            assertThat(created.get("client").get("phone").asText()).isEqualTo("+" + waId);
            assertThat(created.get("channel").get("type").asText()).isEqualTo("whatsapp");
        }
        byte[] jpeg = TestFiles.image("jpeg", 30, 20);
        String mediaId = whatsapp.media(jpeg);
        say(shop, waId, Map.of("type", "image", "image", Map.of("id", mediaId, "mime_type", "image/jpeg", "sha256", "x", "caption", "the box")));

        long chatId = chatOf(shop);
        JsonNode all = messages(shop.tenant(), chatId);
        assertThat(all).extracting(m -> m.get("message").asText()).containsExactly("Hello from WhatsApp", "the box");
        assertThat(all.get(1).get("media").get("type").intValue()).isEqualTo(1);
        assertThat(whatsapp.requests(q -> q.path().equals("/" + mediaId))).hasSize(1);
        assertThat(whatsapp.requests(q -> q.path().equals("/media-file/" + mediaId)).getFirst().header("Authorization"))
                .isEqualTo("Bearer " + shop.number().accessToken());
    }

    @Test
    void repliesGoToTheMessagesEndpointAndReadStatusesMarkThemRead() {
        Shop shop = shop();
        String waId = customer();
        say(shop, waId, whatsapp.textMessage("Hi"));
        long chatId = chatOf(shop);
        try (HubClient anna = shop.tenant().connect(shop.operatorToken(), "Anna")) {
            JsonNode text = shop.tenant().send(shop.operatorToken(), chatId, "Hello!");
            byte[] pdf = TestFiles.pdf();
            var r = api().post("/api/chat/" + chatId + "/message").bearer(shop.operatorToken())
                    .json(Map.of("media", Map.of("name", "invoice.pdf", "dataBase64", TestFiles.base64(pdf)))).send();
            long fileId = r.json().get("id").longValue();
            anna.await("MessageStatusChanged", e -> e.arg(0).longValue() == fileId && e.arg(1).intValue() == 1);

            var sent = whatsapp.sent().stream().filter(s -> s.to().equals(waId)).toList();
            assertThat(sent).hasSize(2);
            assertThat(sent.get(0).type()).isEqualTo("text");
            assertThat(sent.get(0).text()).isEqualTo("Hello!");
            assertThat(sent.get(1).type()).isEqualTo("document");
            assertThat(sent.get(1).file()).as("the Cloud API fetched the linked file").isEqualTo(pdf);
            var body = whatsapp.requests(q -> q.path().equals("/" + shop.number().id() + "/messages")).getFirst().json();
            assertThat(body.get("messaging_product").asText()).isEqualTo("whatsapp");
            assertThat(body.get("to").asText()).isEqualTo(waId);

            assertThat(whatsapp.status(shop.url(), APP_SECRET, shop.number(), sent.get(0).id(), waId, "delivered").status()).isEqualTo(200);
            assertThat(whatsapp.status(shop.url(), APP_SECRET, shop.number(), sent.get(0).id(), waId, "read").status()).isEqualTo(200);
            assertThat(whatsapp.status(shop.url(), APP_SECRET, shop.number(), sent.get(1).id(), waId, "failed").status()).isEqualTo(200);
            anna.await("MessageStatusChanged", e -> e.arg(0).longValue() == text.get("id").longValue() && e.arg(1).intValue() == 3);
            anna.await("MessageStatusChanged", e -> e.arg(0).longValue() == fileId && e.arg(1).intValue() == 2);
            assertThat(message(shop.tenant(), chatId, text.get("id").longValue()).get("status").intValue()).isEqualTo(3);
            assertThat(message(shop.tenant(), chatId, fileId).get("statusReason").asText()).contains("Message Undeliverable").contains("131026");
        }
    }

    @Test
    void aReplyOutsideTheTwentyFourHourWindowIsRefusedWith409AndNotStored() {
        Shop shop = shop();
        String waId = customer();
        say(shop, waId, WhatsAppDouble.at(whatsapp.textMessage("Yesterday's question"), Instant.now().minus(Duration.ofHours(25))));
        long chatId = chatOf(shop);

        var r = api().post("/api/chat/" + chatId + "/message").bearer(shop.operatorToken()).json(Map.of("textMessage", "Too late?")).send();

        assertProblem(r, 409);
        assertThat(r.json().get("detail").asText()).contains("WhatsApp allows replies only within 24 hours of the customer's last message");
        assertThat(messages(shop.tenant(), chatId)).hasSize(1);
        assertThat(whatsapp.sent().stream().filter(s -> s.to().equals(waId))).isEmpty();

        say(shop, waId, whatsapp.textMessage("Still there?"));
        shop.tenant().send(shop.operatorToken(), chatId, "Yes!");
        eventually(Duration.ofSeconds(10), "sent within the window", () -> whatsapp.sent().stream().anyMatch(s -> s.to().equals(waId)));
    }

    @Test
    void metasRateLimitIsRetriedAndItsReEngagementErrorRejects() {
        Shop shop = shop();
        String waId = customer();
        say(shop, waId, whatsapp.textMessage("Hi"));
        long chatId = chatOf(shop);
        String endpoint = "/" + shop.number().id() + "/messages";
        whatsapp.failNext(endpoint, WhatsAppDouble.error(400, 130429, "Rate limit hit").withHeader("Retry-After", "1"));
        JsonNode first = shop.tenant().send(shop.operatorToken(), chatId, "Throttled then sent");
        eventually(Duration.ofSeconds(10), "Success", () -> message(shop.tenant(), chatId, first.get("id").longValue()).get("status").intValue() == 1);
        assertThat(whatsapp.requests(q -> q.path().equals(endpoint))).hasSize(2);

        whatsapp.failNext(endpoint, WhatsAppDouble.error(400, 131047, "Re-engagement message"));
        JsonNode second = shop.tenant().send(shop.operatorToken(), chatId, "Refused by Meta");
        eventually(Duration.ofSeconds(10), "Rejected", () -> message(shop.tenant(), chatId, second.get("id").longValue()).get("status").intValue() == 2);
        assertThat(message(shop.tenant(), chatId, second.get("id").longValue()).get("statusReason").asText()).contains("131047");
    }
}
