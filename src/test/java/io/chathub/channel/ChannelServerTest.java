package io.chathub.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.LogCapture;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import io.chathub.testing.messengers.TelegramDouble;
import io.chathub.testing.messengers.ViberDouble;
import io.chathub.testing.messengers.WhatsAppDouble;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the channel tests: a real server per database (SQLite, PostgreSQL) whose messenger APIs are local doubles
 * ({@link TelegramDouble}, {@link ViberDouble}, {@link WhatsAppDouble}) and whose public URL is
 * {@link #PUBLIC_URL}; the doubles call back whatever the server registers under it. Everything the server logs is
 * captured ({@link #logs}).
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
public abstract class ChannelServerTest {
    public static final String PUBLIC_URL = "https://chathub.example.com";

    protected static TelegramDouble telegram;
    protected static ViberDouble viber;
    protected static WhatsAppDouble whatsapp;
    protected static TestServer server;
    protected static LogCapture logs;

    @Parameter
    protected String database;

    @BeforeParameterizedClassInvocation
    static void startServer(String database) {
        logs = LogCapture.attach();
        telegram = new TelegramDouble();
        viber = new ViberDouble();
        whatsapp = new WhatsAppDouble();
        server = TestServer.start(database, b -> b.publicUrl(PUBLIC_URL).telegramApiUrl(telegram.url()).viberApiUrl(viber.url())
                .whatsappApiUrl(whatsapp.url()));
        telegram.route(PUBLIC_URL, server.base());
        viber.route(PUBLIC_URL, server.base());
        whatsapp.route(PUBLIC_URL, server.base());
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
        telegram.close();
        viber.close();
        whatsapp.close();
        logs.close();
    }

    protected static Api api() {
        return server.api();
    }

    /** POST …/channels with this body; returns the answer, whatever it is. */
    protected static Api.Response createChannel(TestTenant tenant, long organizationId, Map<String, ?> body) {
        return api().post("/api/company/organization/" + organizationId + "/channels").bearer(tenant.token()).json(body).send();
    }

    /** A channel that must be created; returns its answer. */
    protected static JsonNode channel(TestTenant tenant, long organizationId, Map<String, ?> body) {
        Api.Response r = createChannel(tenant, organizationId, body);
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        return r.json();
    }

    /** A Telegram channel of a new bot in the organization: {channel answer, token}. */
    protected record Bot(JsonNode channel, String token) {
        public long id() {
            return channel.get("id").longValue();
        }
    }

    protected static Bot telegramBot(TestTenant tenant, long organizationId) {
        String token = telegram.newBot("Shop Bot");
        return new Bot(channel(tenant, organizationId, Map.of("type", "telegram", "botToken", token)), token);
    }

    /** The client messages of the chat, oldest first. */
    protected static JsonNode messages(TestTenant tenant, long chatId) {
        return tenant.messages(chatId, "after=0");
    }

    /** Waits until {@code condition} holds (polling), failing after {@code wait}. */
    protected static void eventually(Duration wait, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + wait + ": " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The status of one message of a chat, as the API shows it now. */
    protected static JsonNode message(TestTenant tenant, long chatId, long messageId) {
        for (JsonNode m : tenant.messages(chatId, "after=0")) if (m.get("id").longValue() == messageId) return m;
        throw new AssertionError("no message " + messageId + " in chat " + chatId);
    }
}
