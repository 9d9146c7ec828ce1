package io.chathub.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.HubClient;
import io.chathub.testing.TestFiles;
import io.chathub.testing.TestTenant;
import io.chathub.testing.messengers.HttpDouble;
import io.chathub.testing.messengers.TelegramDouble;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** A Telegram bot as a channel, against the Bot API double, on both databases. */
class TelegramChannelTest extends ChannelServerTest {
    private static final AtomicLong USERS = new AtomicLong(310_000_000);

    private record Shop(TestTenant tenant, long org, Bot bot, long operator, String operatorToken) {}

    private static Shop shop() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        long operator = tenant.operator(org, "Anna");
        return new Shop(tenant, org, telegramBot(tenant, org), operator, tenant.operatorToken(operator));
    }

    private static TelegramDouble.User user() {
        return new TelegramDouble.User(USERS.incrementAndGet(), "Olena", "K", "olenak");
    }

    /** A text update from the user: delivered, must be answered 200; returns the update. */
    private static Map<String, Object> say(Shop shop, TelegramDouble.User user, String text) {
        var update = telegram.update(user, Map.of("text", text));
        assertThat(telegram.deliver(shop.bot().token(), update).status()).isEqualTo(200);
        return update;
    }

    private static JsonNode chatsOf(Shop shop, TelegramDouble.User user) {
        var r = api().get("/api/chat/chats?tg_user_id=" + user.id()).bearer(shop.tenant().token()).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json().get("items");
    }

    private static long chatOf(Shop shop, TelegramDouble.User user) {
        JsonNode items = chatsOf(shop, user);
        assertThat(items).hasSize(1);
        return items.get(0).get("id").longValue();
    }

    // ---- connecting

    @Test
    void creatingTheChannelChecksTheTokenWithGetMeAndSetsTheWebhookWithARandomSecret() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        String token = telegram.newBot("Shop Bot");

        var r = createChannel(tenant, org, Map.of("type", "telegram", "botToken", token));

        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode channel = r.json();
        long id = channel.get("id").longValue();
        assertThat(channel.get("type").asText()).isEqualTo("telegram");
        assertThat(channel.get("organizationId").longValue()).isEqualTo(org);
        assertThat(channel.get("status").asText()).isEqualTo("active");
        assertThat(channel.get("name").asText()).isEqualTo("Shop Bot");
        String webhookUrl = PUBLIC_URL + "/api/channels/telegram/" + id + "/webhook";
        assertThat(channel.get("webhookUrl").asText()).isEqualTo(webhookUrl);
        String botPath = "/bot" + token + "/";
        assertThat(telegram.requests(q -> q.path().startsWith(botPath)).stream().map(q -> q.path().substring(botPath.length())))
                .containsExactly("getMe", "setWebhook");
        JsonNode set = telegram.requestsTo(botPath + "setWebhook").getFirst().json();
        assertThat(set.get("url").asText()).isEqualTo(webhookUrl);
        String secret = set.get("secret_token").asText();
        assertThat(secret).matches("[A-Za-z0-9_-]{40,256}");
        assertThat(telegram.bot(token).secretToken).isEqualTo(secret);
        assertThat(r.text()).doesNotContain(token).doesNotContain(secret);
        var list = api().get("/api/company/organization/" + org + "/channels").bearer(tenant.token()).send();
        assertThat(list.json()).hasSize(1);
        assertThat(list.text()).doesNotContain(token).doesNotContain(secret);
    }

    @Test
    void aTokenTelegramRefusesIs400AndStoresNothing() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        int before = telegram.requests().size();

        var unknown = createChannel(tenant, org, Map.of("type", "telegram", "botToken", "123456789:AAHnotAtokenTelegramKnowsAbout"));
        assertProblem(unknown, 400);
        assertThat(unknown.json().get("detail").asText()).contains("Telegram refused the bot token").contains("Unauthorized");
        assertBadRequest(createChannel(tenant, org, Map.of("type", "telegram", "botToken", "not a token")), "botToken");
        assertBadRequest(createChannel(tenant, org, Map.of("type", "telegram")), "botToken");

        assertThat(api().get("/api/company/organization/" + org + "/channels").bearer(tenant.token()).send().json()).isEmpty();
        assertThat(telegram.requests().subList(before, telegram.requests().size()))
                .as("one getMe for the well-formed unknown token, nothing else").hasSize(1)
                .allMatch(q -> q.path().endsWith("/getMe"));
    }

    // ---- updates in

    @Test
    void updatesWithoutTheSecretTokenAre401AndChangeNothing() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        var update = telegram.update(user, Map.of("text", "forged"));

        assertThat(telegram.deliverWith(shop.bot().token(), Map.of(), update).status()).isEqualTo(401);
        assertThat(telegram.deliverWith(shop.bot().token(), Map.of("X-Telegram-Bot-Api-Secret-Token", "guessed"), update).status())
                .isEqualTo(401);
        assertThat(chatsOf(shop, user)).isEmpty();
        var otherChannelsSecret = telegramBot(shop.tenant(), shop.org());
        assertThat(telegram.deliverWith(shop.bot().token(), Map.of("X-Telegram-Bot-Api-Secret-Token",
                telegram.bot(otherChannelsSecret.token()).secretToken), update).status()).as("another channel's secret").isEqualTo(401);
        assertThat(chatsOf(shop, user)).isEmpty();
    }

    @Test
    void aTextMessageOpensATelegramChatThatOperatorsSeeLiveWithTheChannel() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        try (HubClient anna = shop.tenant().connect(shop.operatorToken(), "Anna")) {
            say(shop, user, "Do you ship to Lviv?");

            JsonNode created = anna.await("ChatCreated", e -> true).arg(0);
            assertThat(created.get("source").intValue()).isEqualTo(2);
            assertThat(created.get("messSource").intValue()).isEqualTo(2);
            assertThat(created.get("client").get("name").asText()).isEqualTo("Olena K (@olenak)");
            assertThat(created.get("channel").get("id").longValue()).isEqualTo(shop.bot().id());
            assertThat(created.get("channel").get("type").asText()).isEqualTo("telegram");
            assertThat(created.get("channel").get("name").asText()).isEqualTo("Shop Bot");
            JsonNode message = anna.await("ReceiveMessage", e -> e.arg(0).get("chatId").longValue() == created.get("id").longValue()).arg(0);
            assertThat(message.get("author").intValue()).isEqualTo(1);
            assertThat(message.get("message").asText()).isEqualTo("Do you ship to Lviv?");
        }
        long chatId = chatOf(shop, user);
        assertThat(shop.tenant().chat(chatId).get("channel").get("type").asText()).isEqualTo("telegram");
        say(shop, user, "Hello?");
        assertThat(chatOf(shop, user)).as("the same chat").isEqualTo(chatId);
        assertThat(messages(shop.tenant(), chatId)).extracting(m -> m.get("message").asText()).containsExactly("Do you ship to Lviv?", "Hello?");
    }

    @Test
    void aRedeliveredUpdateIsStoredOnceEvenAfterTheChatClosed() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        var update = say(shop, user, "Once");
        assertThat(telegram.deliver(shop.bot().token(), update).status()).isEqualTo(200);
        long chatId = chatOf(shop, user);
        assertThat(messages(shop.tenant(), chatId)).hasSize(1);

        shop.tenant().setChatStatus(chatId, 4);
        assertThat(telegram.deliver(shop.bot().token(), update).status()).isEqualTo(200);
        assertThat(chatsOf(shop, user)).as("no new chat for a redelivery").hasSize(1);
        assertThat(messages(shop.tenant(), chatId)).hasSize(1);

        say(shop, user, "A new question");
        assertThat(chatsOf(shop, user)).as("a new update after Closed opens a new chat").hasSize(2);
    }

    @Test
    void photosAndDocumentsAreFetchedWithGetFileAndStoredAsMedia() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        byte[] png = TestFiles.png(32, 16);
        String photoId = telegram.file(png);
        var photo = telegram.update(user, Map.of("caption", "this one", "photo", List.of(
                Map.of("file_id", "small-unused", "file_unique_id", "s", "width", 8, "height", 4, "file_size", 10),
                Map.of("file_id", photoId, "file_unique_id", "l", "width", 32, "height", 16, "file_size", png.length))));
        assertThat(telegram.deliver(shop.bot().token(), photo).status()).isEqualTo(200);
        byte[] pdf = TestFiles.pdf();
        var document = telegram.update(user, Map.of("document", Map.of("file_id", telegram.file(pdf), "file_unique_id", "d",
                "file_name", "invoice.pdf", "mime_type", "application/pdf", "file_size", pdf.length)));
        assertThat(telegram.deliver(shop.bot().token(), document).status()).isEqualTo(200);

        long chatId = chatOf(shop, user);
        JsonNode all = messages(shop.tenant(), chatId);
        assertThat(all).hasSize(2);
        JsonNode image = all.get(0);
        assertThat(image.get("message").asText()).isEqualTo("this one");
        assertThat(image.get("media").get("type").intValue()).isEqualTo(1);
        assertThat(image.get("media").get("width").intValue()).isEqualTo(32);
        var file = api().get(image.get("media").get("uri").asText()).bearer(shop.tenant().token()).send();
        assertThat(file.status()).isEqualTo(200);
        JsonNode doc = all.get(1);
        assertThat(doc.get("media").get("type").intValue()).isZero();
        assertThat(doc.get("media").get("name").asText()).isEqualTo("invoice.pdf");
        assertThat(doc.get("media").get("format").asText()).isEqualTo("application/pdf");
        assertThat(telegram.requests(q -> q.path().endsWith("/getFile")).stream().map(q -> q.query().get("file_id")))
                .contains(photoId).doesNotContain("small-unused");
    }

    @Test
    void stickersContactsEditsAndUnknownKindsBecomeText() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        telegram.deliver(shop.bot().token(), telegram.update(user, Map.of("sticker", Map.of("file_id", "x", "file_unique_id", "x",
                "emoji", "👍", "width", 512, "height", 512, "is_animated", false, "is_video", false, "type", "regular"))));
        telegram.deliver(shop.bot().token(), telegram.update(user, Map.of("contact", Map.of("phone_number", "380501112233",
                "first_name", "Olena", "user_id", user.id()))));
        var edit = telegram.update(900_000_001L, "edited_message", user, Map.of("text", "Lviv, not Kyiv",
                "edit_date", 1));
        telegram.deliver(shop.bot().token(), edit);
        telegram.deliver(shop.bot().token(), telegram.update(user, Map.of("poll", Map.of("id", "1", "question", "?"))));

        long chatId = chatOf(shop, user);
        assertThat(messages(shop.tenant(), chatId)).extracting(m -> m.get("message").asText()).containsExactly(
                "[sticker 👍]", "[contact] Olena 380501112233", "(edited) Lviv, not Kyiv",
                "[a Telegram message of a kind ChatHub does not show]");
        assertThat(shop.tenant().chat(chatId).get("client").get("phone").asText()).as("the customer shared its own number")
                .isEqualTo("+380501112233");
    }

    @Test
    void theChatListFindsAClientsChatsByTelegramUserId() {
        Shop shop = shop();
        TelegramDouble.User olena = user(), petro = user();
        say(shop, olena, "Hi");
        say(shop, petro, "Hi too");
        assertThat(chatsOf(shop, olena)).hasSize(1);
        assertThat(chatsOf(shop, olena).get(0).get("client").get("name").asText()).startsWith("Olena");
        assertThat(chatsOf(shop, new TelegramDouble.User(1, "x", null, null))).isEmpty();
        assertBadRequest(api().get("/api/chat/chats?tg_user_id=abc").bearer(shop.tenant().token()).send(), "tg_user_id");
        TestTenant other = server.newTenant();
        assertThat(api().get("/api/chat/chats?tg_user_id=" + olena.id()).bearer(other.token()).send().json().get("items"))
                .as("another company sees none of them").isEmpty();
    }

    // ---- replies out

    @Test
    void anOperatorsReplyGoesOutWithSendMessageAndBecomesSuccess() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop, user);
        try (HubClient anna = shop.tenant().connect(shop.operatorToken(), "Anna")) {
            JsonNode reply = shop.tenant().send(shop.operatorToken(), chatId, "Yes, in two days.");
            assertThat(reply.get("status").intValue()).as("stored, not yet accepted by Telegram").isZero();

            anna.await("MessageStatusChanged", e -> e.arg(0).longValue() == reply.get("id").longValue() && e.arg(1).intValue() == 1);
            var sent = telegram.sentTo(String.valueOf(user.id()));
            assertThat(sent).hasSize(1);
            assertThat(sent.getFirst().method()).isEqualTo("sendMessage");
            assertThat(sent.getFirst().text()).isEqualTo("Yes, in two days.");
            assertThat(sent.getFirst().token()).isEqualTo(shop.bot().token());
            assertThat(message(shop.tenant(), chatId, reply.get("id").longValue()).get("status").intValue()).isEqualTo(1);
        }
    }

    @Test
    void filesGoOutWithSendPhotoAndSendDocument() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        say(shop, user, "Send me the photo and the invoice");
        long chatId = chatOf(shop, user);
        byte[] png = TestFiles.png(20, 10);
        byte[] pdf = TestFiles.pdf();
        sendFile(shop, chatId, png, "photo.png", "the photo");
        sendFile(shop, chatId, pdf, "invoice.pdf", null);

        eventually(Duration.ofSeconds(10), "two files sent", () -> telegram.sentTo(String.valueOf(user.id())).size() == 2);
        var sent = telegram.sentTo(String.valueOf(user.id()));
        assertThat(sent.get(0).method()).isEqualTo("sendPhoto");
        assertThat(sent.get(0).file()).isEqualTo(png);
        assertThat(sent.get(0).text()).isEqualTo("the photo");
        assertThat(sent.get(1).method()).isEqualTo("sendDocument");
        assertThat(sent.get(1).file()).isEqualTo(pdf);
        assertThat(sent.get(1).fileName()).isEqualTo("invoice.pdf");
    }

    static JsonNode sendFile(Shop shop, long chatId, byte[] data, String name, String text) {
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("media", Map.of("name", name, "dataBase64", TestFiles.base64(data)));
        if (text != null) body.put("textMessage", text);
        var r = api().post("/api/chat/" + chatId + "/message").bearer(shop.operatorToken()).json(body).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    @Test
    void a429WithRetryAfterIsRetriedAfterItAndDeliveredOnce() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop, user);
        String sendMessage = "/bot" + shop.bot().token() + "/sendMessage";
        telegram.failNext(sendMessage, TelegramDouble.tooManyRequests(1));

        JsonNode reply = shop.tenant().send(shop.operatorToken(), chatId, "After the flood");

        var attempts = telegram.await(q -> q.path().equals(sendMessage), 2, Duration.ofSeconds(10));
        eventually(Duration.ofSeconds(5), "Success", () -> message(shop.tenant(), chatId, reply.get("id").longValue()).get("status").intValue() == 1);
        assertThat(telegram.sentTo(String.valueOf(user.id()))).extracting(TelegramDouble.Sent::text).containsExactly("After the flood");
        assertThat(attempts).hasSize(2);
        assertThat(Duration.ofNanos(attempts.get(1).nanos() - attempts.get(0).nanos())).as("retried after retry_after (1 s)")
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(telegram.requests(q -> q.path().equals(sendMessage))).hasSize(2);
    }

    @Test
    void serverErrorsAreRetriedUntilTelegramAccepts() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop, user);
        String sendMessage = "/bot" + shop.bot().token() + "/sendMessage";
        telegram.failNext(sendMessage, HttpDouble.Answer.json(502, Map.of("ok", false, "error_code", 502, "description", "Bad Gateway")));

        JsonNode reply = shop.tenant().send(shop.operatorToken(), chatId, "Despite the outage");

        eventually(Duration.ofSeconds(10), "Success", () -> message(shop.tenant(), chatId, reply.get("id").longValue()).get("status").intValue() == 1);
        assertThat(telegram.requests(q -> q.path().equals(sendMessage))).hasSize(2);
        assertThat(telegram.sentTo(String.valueOf(user.id()))).hasSize(1);
    }

    @Test
    void aPermanentErrorMarksTheMessageRejectedWithTheReasonAndLaterOnesStillGo() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop, user);
        String sendMessage = "/bot" + shop.bot().token() + "/sendMessage";
        telegram.failNext(sendMessage, HttpDouble.Answer.json(403, TelegramDouble.error(403, "Forbidden: bot was blocked by the user")));
        try (HubClient anna = shop.tenant().connect(shop.operatorToken(), "Anna")) {
            JsonNode first = shop.tenant().send(shop.operatorToken(), chatId, "First");
            JsonNode second = shop.tenant().send(shop.operatorToken(), chatId, "Second");

            anna.await("MessageStatusChanged", e -> e.arg(0).longValue() == first.get("id").longValue() && e.arg(1).intValue() == 2);
            anna.await("MessageStatusChanged", e -> e.arg(0).longValue() == second.get("id").longValue() && e.arg(1).intValue() == 1);
            JsonNode rejected = message(shop.tenant(), chatId, first.get("id").longValue());
            assertThat(rejected.get("status").intValue()).isEqualTo(2);
            assertThat(rejected.get("statusReason").asText()).isEqualTo("Telegram: Forbidden: bot was blocked by the user");
            assertThat(message(shop.tenant(), chatId, second.get("id").longValue()).has("statusReason")).isFalse();
            assertThat(telegram.requests(q -> q.path().equals(sendMessage))).as("never retried").hasSize(2);
        }
    }

    @Test
    void repliesOfAChatArriveInTheirOrder() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop, user);
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= 20; i++) texts.add("part " + i);
        // Some of them fail once on the way: order must hold through the retries.
        String sendMessage = "/bot" + shop.bot().token() + "/sendMessage";
        telegram.failNext(sendMessage, HttpDouble.Answer.json(500, TelegramDouble.error(500, "Internal Server Error")));
        for (String t : texts) shop.tenant().send(shop.operatorToken(), chatId, t);

        eventually(Duration.ofSeconds(15), "20 delivered", () -> telegram.sentTo(String.valueOf(user.id())).size() == 20);
        assertThat(telegram.sentTo(String.valueOf(user.id()))).extracting(TelegramDouble.Sent::text).containsExactlyElementsOf(texts);
    }

    @Test
    void aTextTelegramCannotCarryIsRefusedWith400AndNotStored() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop, user);
        var r = api().post("/api/chat/" + chatId + "/message").bearer(shop.operatorToken()).json(Map.of("textMessage", "x".repeat(4097))).send();
        assertBadRequest(r, "textMessage");
        assertThat(r.json().get("detail").asText()).contains("4096");
        assertThat(messages(shop.tenant(), chatId)).hasSize(1);
    }

    @Test
    void deletingTheChannelDeletesItsWebhookAndItsUrlStopsAnswering() {
        Shop shop = shop();
        TelegramDouble.User user = user();
        say(shop, user, "Hi");
        long chatId = chatOf(shop, user);
        String base = "/api/company/organization/" + shop.org() + "/channels/" + shop.bot().id();
        String url = telegram.bot(shop.bot().token()).webhookUrl;

        assertThat(api().delete(base).bearer(shop.tenant().token()).send().status()).isEqualTo(200);

        assertThat(telegram.requestsTo("/bot" + shop.bot().token() + "/deleteWebhook")).hasSize(1);
        assertThat(telegram.bot(shop.bot().token()).webhookUrl).isNull();
        assertProblem(api().get(base).bearer(shop.tenant().token()).send(), 404);
        assertThat(shop.tenant().chat(chatId).get("channel").isNull()).as("the chat stays, without its channel").isTrue();
        telegram.bot(shop.bot().token()).webhookUrl = url;
        assertThat(telegram.deliver(shop.bot().token(), telegram.update(user, Map.of("text", "late"))).status()).isEqualTo(404);
    }
}
