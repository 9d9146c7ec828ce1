package io.chathub.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.HubClient;
import io.chathub.testing.TestFiles;
import io.chathub.testing.TestTenant;
import io.chathub.testing.messengers.HttpDouble;
import io.chathub.testing.messengers.ViberDouble;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** A Viber bot as a channel, against the Viber REST API double, on both databases. */
class ViberChannelTest extends ChannelServerTest {

    private record Shop(TestTenant tenant, long org, long channel, String token, String operatorToken) {}

    private static Shop shop() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        String token = viber.newAccount("Shop on Viber");
        JsonNode channel = channel(tenant, org, Map.of("type", "viber", "authToken", token, "name", "Shop",
                "avatar", "https://shop.example.com/logo.png"));
        long operator = tenant.operator(org, "Anna");
        return new Shop(tenant, org, channel.get("id").longValue(), token, tenant.operatorToken(operator));
    }

    private static String user() {
        return UUID.randomUUID().toString().substring(0, 22) + "==";
    }

    private static void say(Shop shop, String user, String text) {
        var r = viber.callback(shop.token(), viber.message(user, "Olena", Map.of("type", "text", "text", text)));
        assertThat(r.status()).isEqualTo(200);
    }

    private static long chatOf(Shop shop) {
        var r = api().get("/api/chat/chats?source=1").bearer(shop.tenant().token()).send();
        assertThat(r.json().get("items")).hasSize(1);
        return r.json().get("items").get(0).get("id").longValue();
    }

    @Test
    void creatingTheChannelChecksTheTokenAndSetsTheWebhookWhichViberChecksAtOnce() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        String token = viber.newAccount("Shop on Viber");

        JsonNode channel = channel(tenant, org, Map.of("type", "viber", "authToken", token, "name", "Shop"));

        long id = channel.get("id").longValue();
        assertThat(channel.get("status").asText()).isEqualTo("active");
        assertThat(channel.get("name").asText()).isEqualTo("Shop");
        String url = PUBLIC_URL + "/api/channels/viber/" + id + "/webhook";
        assertThat(channel.get("webhookUrl").asText()).isEqualTo(url);
        var calls = viber.requests(q -> token.equals(q.header("X-Viber-Auth-Token")));
        assertThat(calls).extracting(HttpDouble.Request::path).containsExactly("/get_account_info", "/set_webhook");
        JsonNode set = calls.get(1).json();
        assertThat(set.get("url").asText()).isEqualTo(url);
        assertThat(set.get("event_types")).extracting(JsonNode::asText)
                .contains("delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started");
        assertThat(viber.account(token).webhookUrl).as("Viber's check callback was answered 200").isEqualTo(url);
        assertThat(channel.toString()).doesNotContain(token);
    }

    @Test
    void aTokenViberRefusesIs400AndStoresNothing() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        var r = createChannel(tenant, org, Map.of("type", "viber", "authToken", "4453b6ac12345678-9876543210abcdef", "name", "Shop"));
        assertProblem(r, 400);
        assertThat(r.json().get("detail").asText()).contains("invalidAuthToken");
        assertThat(api().get("/api/company/organization/" + org + "/channels").bearer(tenant.token()).send().json()).isEmpty();
        assertThat(viber.requests(q -> "4453b6ac12345678-9876543210abcdef".equals(q.header("X-Viber-Auth-Token"))))
                .extracting(HttpDouble.Request::path).containsExactly("/get_account_info");
    }

    @Test
    void callbacksWithoutTheRightSignatureAre401AndChangeNothing() {
        Shop shop = shop();
        String user = user();
        var event = viber.message(user, "Olena", Map.of("type", "text", "text", "forged"));
        assertThat(viber.forged(shop.token(), event, null).status()).isEqualTo(401);
        assertThat(viber.forged(shop.token(), event, "00".repeat(32)).status()).isEqualTo(401);
        assertThat(viber.forged(shop.token(), event, io.chathub.channel.Hmac.sha256Hex("another-token", io.chathub.web.Json.write(event)
                .getBytes())).status()).isEqualTo(401);
        assertThat(api().get("/api/chat/chats?source=1").bearer(shop.tenant().token()).send().json().get("total").intValue()).isZero();
    }

    @Test
    void messagesComeInAsClientMessagesOfAViberBotChatWithTheirPictures() {
        Shop shop = shop();
        String user = user();
        try (HubClient company = shop.tenant().connect()) {
            say(shop, user, "Hi from Viber");
            JsonNode created = company.await("ChatCreated", e -> true).arg(0);
            assertThat(created.get("source").intValue()).isEqualTo(1);
            assertThat(created.get("channel").get("type").asText()).isEqualTo("viber");
            assertThat(created.get("client").get("name").asText()).isEqualTo("Olena");
        }
        byte[] jpeg = TestFiles.image("jpg", 40, 30);
        var picture = viber.message(user, "Olena", Map.of("type", "picture", "text", "look", "media", viber.media(jpeg),
                "thumbnail", "https://example.com/t.jpg", "file_name", "look.jpg", "size", jpeg.length));
        assertThat(viber.callback(shop.token(), picture).status()).isEqualTo(200);
        assertThat(viber.callback(shop.token(), picture).status()).as("a redelivery").isEqualTo(200);

        long chatId = chatOf(shop);
        JsonNode all = messages(shop.tenant(), chatId);
        assertThat(all).hasSize(2);
        assertThat(all.get(0).get("message").asText()).isEqualTo("Hi from Viber");
        assertThat(all.get(1).get("message").asText()).isEqualTo("look");
        assertThat(all.get(1).get("media").get("type").intValue()).isEqualTo(1);
        assertThat(all.get(1).get("media").get("width").intValue()).isEqualTo(40);
    }

    @Test
    void repliesGoOutWithSendMessageAndPicturesAsSignedLinksViberFetches() {
        Shop shop = shop();
        String user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop);
        shop.tenant().send(shop.operatorToken(), chatId, "Hello from the shop");
        byte[] png = TestFiles.png(12, 12);
        var r = api().post("/api/chat/" + chatId + "/message").bearer(shop.operatorToken())
                .json(Map.of("media", Map.of("name", "offer.png", "dataBase64", TestFiles.base64(png)), "textMessage", "our offer")).send();
        assertThat(r.status()).isEqualTo(200);

        eventually(Duration.ofSeconds(10), "two messages sent", () -> viber.sent().stream().filter(s -> s.receiver().equals(user)).count() == 2);
        var sent = viber.sent().stream().filter(s -> s.receiver().equals(user)).toList();
        assertThat(sent.get(0).type()).isEqualTo("text");
        assertThat(sent.get(0).text()).isEqualTo("Hello from the shop");
        assertThat(sent.get(0).senderName()).isEqualTo("Shop");
        assertThat(sent.get(0).token()).isEqualTo(shop.token());
        assertThat(sent.get(1).type()).isEqualTo("picture");
        assertThat(sent.get(1).text()).isEqualTo("our offer");
        assertThat(sent.get(1).file()).as("Viber fetched the picture from its signed link").isEqualTo(png);
        String link = sent.get(1).media();
        assertThat(link).startsWith(PUBLIC_URL + "/api/channels/viber/" + shop.channel() + "/media/");
        String path = link.substring(PUBLIC_URL.length());
        assertThat(api().get(path).send().status()).isEqualTo(200);
        assertThat(api().get(path.replaceAll("sig=[^&]+", "sig=forged")).send().status()).isEqualTo(404);
        assertThat(api().get(path.replace("/viber/" + shop.channel() + "/", "/viber/" + (shop.channel() + 1000) + "/")).send().status())
                .isEqualTo(404);
    }

    @Test
    void seenMarksTheReplyReadAndFailedMarksItRejected() {
        Shop shop = shop();
        String user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop);
        try (HubClient anna = shop.tenant().connect(shop.operatorToken(), "Anna")) {
            JsonNode read = shop.tenant().send(shop.operatorToken(), chatId, "Will be read");
            JsonNode failed = shop.tenant().send(shop.operatorToken(), chatId, "Will fail");
            anna.await("MessageStatusChanged", e -> e.arg(0).longValue() == failed.get("id").longValue() && e.arg(1).intValue() == 1);
            var sent = viber.sent().stream().filter(s -> s.receiver().equals(user)).toList();

            assertThat(viber.callback(shop.token(), Map.of("event", "delivered", "message_token", Long.parseLong(sent.get(0).messageToken()),
                    "user_id", user)).status()).isEqualTo(200);
            assertThat(viber.callback(shop.token(), Map.of("event", "seen", "message_token", Long.parseLong(sent.get(0).messageToken()),
                    "user_id", user)).status()).isEqualTo(200);
            assertThat(viber.callback(shop.token(), Map.of("event", "failed", "message_token", Long.parseLong(sent.get(1).messageToken()),
                    "user_id", user, "desc", "failed with status: 1, isUserBlocked: false")).status()).isEqualTo(200);

            anna.await("MessageStatusChanged", e -> e.arg(0).longValue() == read.get("id").longValue() && e.arg(1).intValue() == 3);
            anna.await("MessageStatusChanged", e -> e.arg(0).longValue() == failed.get("id").longValue() && e.arg(1).intValue() == 2);
            assertThat(message(shop.tenant(), chatId, read.get("id").longValue()).get("status").intValue()).isEqualTo(3);
            JsonNode rejected = message(shop.tenant(), chatId, failed.get("id").longValue());
            assertThat(rejected.get("status").intValue()).isEqualTo(2);
            assertThat(rejected.get("statusReason").asText()).contains("failed with status: 1");
            // a late "delivered" never takes Read back
            viber.callback(shop.token(), Map.of("event", "delivered", "message_token", Long.parseLong(sent.get(0).messageToken()), "user_id", user));
            assertThat(message(shop.tenant(), chatId, read.get("id").longValue()).get("status").intValue()).isEqualTo(3);
        }
    }

    @Test
    void anUnsubscribedCustomerGetsNothingMoreUntilTheySubscribeAgain() {
        Shop shop = shop();
        String user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop);
        assertThat(viber.callback(shop.token(), Map.of("event", "unsubscribed", "user_id", user, "message_token", 1)).status()).isEqualTo(200);

        var refused = api().post("/api/chat/" + chatId + "/message").bearer(shop.operatorToken()).json(Map.of("textMessage", "still there?")).send();
        assertProblem(refused, 409);
        assertThat(refused.json().get("detail").asText()).contains("unsubscribed");
        assertThat(messages(shop.tenant(), chatId)).hasSize(1);

        assertThat(viber.callback(shop.token(), Map.of("event", "subscribed", "message_token", 2,
                "user", Map.of("id", user, "name", "Olena", "language", "uk", "country", "UA", "api_version", 10))).status()).isEqualTo(200);
        shop.tenant().send(shop.operatorToken(), chatId, "Welcome back");
        eventually(Duration.ofSeconds(10), "sent", () -> viber.sent().stream().anyMatch(s -> s.receiver().equals(user)));
    }

    @Test
    void aConversationStartedIsWelcomedWithTheOrganizationsGreeting() {
        Shop shop = shop();
        String user = user();
        var started = Map.<String, Object>of("event", "conversation_started", "message_token", 3, "type", "open", "subscribed", false,
                "user", Map.of("id", user, "name", "Olena", "language", "uk", "country", "UA", "api_version", 10));
        var none = viber.callback(shop.token(), started);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body()).as("no greeting set: no welcome").isEmpty();

        shop.tenant().updateOrganization(shop.org(), Map.of("greeting", "Hi! How can we help?"));
        var welcome = viber.callback(shop.token(), started);
        assertThat(welcome.status()).isEqualTo(200);
        JsonNode body = io.chathub.testing.messengers.TelegramDouble.parse(welcome.body());
        assertThat(body.get("type").asText()).isEqualTo("text");
        assertThat(body.get("text").asText()).isEqualTo("Hi! How can we help?");
        assertThat(body.get("sender").get("name").asText()).isEqualTo("Shop");
        assertThat(api().get("/api/chat/chats?source=1").bearer(shop.tenant().token()).send().json().get("total").intValue())
                .as("opening the conversation opens no chat").isZero();
    }

    @Test
    void aReceiverViberRefusesIsRejected() {
        Shop shop = shop();
        String user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop);
        viber.failNext("/send_message", ViberDouble.status(6, "receiverNotSubscribed"));
        JsonNode reply = shop.tenant().send(shop.operatorToken(), chatId, "Lost");
        eventually(Duration.ofSeconds(10), "Rejected", () -> message(shop.tenant(), chatId, reply.get("id").longValue()).get("status").intValue() == 2);
        assertThat(message(shop.tenant(), chatId, reply.get("id").longValue()).get("statusReason").asText()).isEqualTo("Viber: receiverNotSubscribed");
    }

    @Test
    void deletingTheChannelRemovesItsWebhook() {
        Shop shop = shop();
        var r = api().delete("/api/company/organization/" + shop.org() + "/channels/" + shop.channel()).bearer(shop.tenant().token()).send();
        assertThat(r.status()).isEqualTo(200);
        var last = viber.requests(q -> shop.token().equals(q.header("X-Viber-Auth-Token"))).getLast();
        assertThat(last.path()).isEqualTo("/set_webhook");
        assertThat(last.json().get("url").asText()).isEmpty();
        assertThat(viber.account(shop.token()).webhookUrl).isNull();
    }
}
