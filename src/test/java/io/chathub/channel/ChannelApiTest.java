package io.chathub.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import io.chathub.testing.messengers.TelegramDouble;
import io.chathub.testing.messengers.WhatsAppDouble;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertNotFound;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The channels API: tenants, updates, configuration, and secrets kept out of every answer and log. */
class ChannelApiTest extends ChannelServerTest {

    private static String base(long org) {
        return "/api/company/organization/" + org + "/channels";
    }

    @Test
    void onlyTheOwningCompanySeesOrChangesItsChannels() {
        TestTenant a = server.newTenant(), b = server.newTenant();
        long orgA = a.organization("A"), otherOrgA = a.organization("A2"), orgB = b.organization("B");
        Bot bot = telegramBot(a, orgA);
        String one = base(orgA) + "/" + bot.id();

        assertForbidden(api().get(base(orgA)).bearer(b.token()).send());
        assertForbidden(createChannel(b, orgA, Map.of("type", "telegram", "botToken", telegram.newBot("x"))));
        assertForbidden(api().get(one).bearer(b.token()).send());
        assertForbidden(api().put(one).bearer(b.token()).json(Map.of("name", "mine")).send());
        assertForbidden(api().delete(one).bearer(b.token()).send());
        assertForbidden(api().get(base(orgB) + "/" + bot.id()).bearer(b.token()).send());
        assertNotFound(api().get(base(otherOrgA) + "/" + bot.id()).bearer(a.token()).send());
        assertNotFound(api().get(base(orgA) + "/999999999").bearer(a.token()).send());
        assertNotFound(api().get(base(999_999_999) + "/" + bot.id()).bearer(a.token()).send());
        long operator = a.operator(orgA, "Anna");
        assertForbidden(api().get(base(orgA)).bearer(a.operatorToken(operator)).send());
        assertProblem(api().get(base(orgA)).send(), 401);

        assertThat(api().get(one).bearer(a.token()).send().json().get("name").asText()).isEqualTo("Shop Bot");
        assertThat(api().get(base(orgB)).bearer(b.token()).send().json()).isEmpty();
        assertThat(telegram.bot(bot.token()).webhookUrl).as("nothing B did touched A's bot").isNotNull();
    }

    @Test
    void aChannelIsRenamedAndNewCredentialsAreCheckedAndRegisteredAgain() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        Bot bot = telegramBot(tenant, org);
        String one = base(org) + "/" + bot.id();
        String oldSecret = telegram.bot(bot.token()).secretToken;

        var renamed = api().put(one).bearer(tenant.token()).json(Map.of("name", "Support bot")).send();
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("Support bot");
        assertBadRequest(api().put(one).bearer(tenant.token()).json(Map.of("botToken", "123:bad")).send(), "botToken");
        assertBadRequest(api().put(one).bearer(tenant.token()).json(Map.of("type", "viber")).send(), "type");

        String newToken = telegram.newBot("New Bot");
        var moved = api().put(one).bearer(tenant.token()).json(Map.of("botToken", newToken)).send();
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        assertThat(moved.json().get("name").asText()).as("the name given stays").isEqualTo("Support bot");
        assertThat(telegram.bot(newToken).webhookUrl).isEqualTo(PUBLIC_URL + "/api/channels/telegram/" + bot.id() + "/webhook");
        assertThat(telegram.bot(bot.token()).webhookUrl).as("the previous bot's webhook is removed").isNull();
        String newSecret = telegram.bot(newToken).secretToken;
        assertThat(newSecret).isNotEqualTo(oldSecret);
        var user = new TelegramDouble.User(42, "Ivan", null, null);
        assertThat(telegram.deliverWith(newToken, Map.of("X-Telegram-Bot-Api-Secret-Token", oldSecret),
                telegram.update(user, Map.of("text", "old secret"))).status()).isEqualTo(401);
        assertThat(telegram.deliver(newToken, telegram.update(user, Map.of("text", "new secret"))).status()).isEqualTo(200);
    }

    @Test
    void theTypeMustBeAMessengerAndTheCredentialsComplete() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        assertBadRequest(createChannel(tenant, org, Map.of("type", "icq", "uin", "123")), "type");
        assertBadRequest(createChannel(tenant, org, Map.of("botToken", "x")), "type");
        assertBadRequest(createChannel(tenant, org, Map.of("type", "viber")), "authToken");
        assertBadRequest(createChannel(tenant, org, Map.of("type", "whatsapp", "phoneNumberId", "12")), "accessToken");
        assertThat(api().get(base(org)).bearer(tenant.token()).send().json()).isEmpty();
    }

    @Test
    void aChatWithATelegramSourceButNoChannelKeepsTheStoredStatusAndSendsNothing() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Bridge");
        var in = tenant.incoming(Map.of("organizationId", org, "source", "telegram", "client", Map.of("externalId", "tg-bridge-1"),
                "textMessage", "from our own bridge"));
        int before = telegram.requests().size();
        JsonNode reply = tenant.send(tenant.token(), in.get("chatId").longValue(), "answered here");
        assertThat(reply.get("status").intValue()).as("stored, as any chat's message").isEqualTo(1);
        assertThat(tenant.chat(in.get("chatId").longValue()).get("channel").isNull()).isTrue();
        assertThat(telegram.requests()).hasSize(before);
    }

    @Test
    void deletingTheOrganizationRemovesItsChannelsWebhooks() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Closing down");
        Bot bot = telegramBot(tenant, org);
        assertThat(api().delete("/api/company/organization/" + org).bearer(tenant.token()).send().status()).isEqualTo(200);
        assertThat(telegram.bot(bot.token()).webhookUrl).isNull();
        assertThat(telegram.requestsTo("/bot" + bot.token() + "/deleteWebhook")).hasSize(1);
    }

    @Test
    void webhooksOfNoChannelAre404() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        Bot bot = telegramBot(tenant, org);
        assertNotFound(api().post("/api/channels/telegram/999999999/webhook").json("{}").send());
        assertNotFound(api().post("/api/channels/viber/" + bot.id() + "/webhook").json("{}").send());
        assertNotFound(api().post("/api/channels/icq/" + bot.id() + "/webhook").json("{}").send());
    }

    @Test
    void credentialsAreSealedAtRestUnderAKeyKeptWithMode600() throws Exception {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        Bot bot = telegramBot(tenant, org);
        String stored = server.hub().database().read(h -> h.createQuery("SELECT credentials FROM channel WHERE id = :id")
                .bind("id", bot.id()).mapTo(String.class).one());
        assertThat(stored).startsWith("v1:").doesNotContain(bot.token()).doesNotContain(telegram.bot(bot.token()).secretToken);
        var key = server.hub().config().dataDir().resolve("secret-key");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void creatingAChannelNeedsThePublicUrl() {
        try (TestServer plain = TestServer.start(database)) {
            TestTenant tenant = plain.newTenant();
            long org = tenant.organization("Shop");
            var r = plain.api().post(base(org)).bearer(tenant.token()).json(Map.of("type", "telegram", "botToken", telegram.newBot("x"))).send();
            assertProblem(r, 400);
            assertThat(r.json().get("detail").asText()).contains("CHATHUB_PUBLIC_URL is not set");
        }
    }

    @Test
    void noSecretEverAppearsInAnAnswerOrInTheLog() {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        List<String> secrets = new ArrayList<>();
        List<String> answers = new ArrayList<>();

        String tgToken = telegram.newBot("Secretive Bot");
        var tg = createChannel(tenant, org, Map.of("type", "telegram", "botToken", tgToken));
        answers.add(tg.text());
        secrets.add(tgToken);
        secrets.add(telegram.bot(tgToken).secretToken);
        String viberToken = viber.newAccount("Secretive");
        var vb = createChannel(tenant, org, Map.of("type", "viber", "authToken", viberToken, "name", "Secretive"));
        answers.add(vb.text());
        secrets.add(viberToken);
        WhatsAppDouble.Number number = whatsapp.newNumber("Secretive Ltd");
        String appSecret = "app-secret-" + java.util.UUID.randomUUID();
        String verifyToken = "verify-" + java.util.UUID.randomUUID();
        var wa = createChannel(tenant, org, Map.of("type", "whatsapp", "phoneNumberId", number.id(), "accessToken", number.accessToken(),
                "appSecret", appSecret, "verifyToken", verifyToken));
        answers.add(wa.text());
        secrets.addAll(List.of(number.accessToken(), appSecret, verifyToken));

        // traffic, failures and refusals: everything that logs
        var user = new TelegramDouble.User(77, "Ivan", null, null);
        telegram.deliver(tgToken, telegram.update(user, Map.of("text", "hi")));
        telegram.deliverWith(tgToken, Map.of("X-Telegram-Bot-Api-Secret-Token", "wrong"), telegram.update(user, Map.of("text", "x")));
        long chatId = api().get("/api/chat/chats?tg_user_id=77").bearer(tenant.token()).send().json().get("items").get(0).get("id").longValue();
        telegram.failNext("/bot" + tgToken + "/sendMessage", io.chathub.testing.messengers.HttpDouble.Answer.json(502, Map.of("ok", false)));
        telegram.failNext("/bot" + tgToken + "/sendMessage", io.chathub.testing.messengers.HttpDouble.Answer.json(400,
                TelegramDouble.error(400, "Bad Request: chat not found")));
        JsonNode failed = tenant.send(tenant.token(), chatId, "goes wrong twice");
        eventually(Duration.ofSeconds(10), "rejected", () -> message(tenant, chatId, failed.get("id").longValue()).get("status").intValue() == 2);
        whatsapp.verify(wa.json().get("webhookUrl").asText(), "wrong", "1");
        whatsapp.forged(wa.json().get("webhookUrl").asText(), Map.of(), "sha256=00");
        createChannel(tenant, org, Map.of("type", "viber", "authToken", "wrong-token-0123456789", "name", "x"));
        for (JsonNode c : api().get(base(org)).bearer(tenant.token()).send().json()) {
            answers.add(api().get(base(org) + "/" + c.get("id").longValue()).bearer(tenant.token()).send().text());
            answers.add(api().put(base(org) + "/" + c.get("id").longValue()).bearer(tenant.token()).json(Map.of("name", "n")).send().text());
        }
        answers.add(api().get(base(org)).bearer(tenant.token()).send().text());
        answers.add(api().get("/api/chat/chats?tg_user_id=77").bearer(tenant.token()).send().text());
        answers.add(api().get("/api/chat/" + chatId + "/messages?after=0").bearer(tenant.token()).send().text());
        assertThat(api().delete(base(org) + "/" + tg.json().get("id").longValue()).bearer(tenant.token()).send().status()).isEqualTo(200);

        String log = logs.text();
        assertThat(log).as("the log has the channel's traffic").contains("channel_created").contains("channel_webhook_refused");
        for (String secret : secrets) {
            assertThat(secret).isNotBlank();
            assertThat(log).as("the log").doesNotContain(secret);
            for (String answer : answers) assertThat(answer).as("an answer").doesNotContain(secret);
        }
    }
}
