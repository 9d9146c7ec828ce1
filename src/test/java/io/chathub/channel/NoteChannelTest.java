package io.chathub.channel;

import io.chathub.testing.TestTenant;
import io.chathub.testing.messengers.TelegramDouble;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A private note in a messenger chat is never sent to the messenger (no outbox row), while a reply after it is. */
class NoteChannelTest extends ChannelServerTest {

    @Test
    void aNoteInATelegramChatIsNeverSentToTelegram() {
        TestTenant t = server.newTenant();
        long org = t.organization("Shop");
        Bot bot = telegramBot(t, org);
        TelegramDouble.User user = new TelegramDouble.User(420_000_000L + System.nanoTime() % 1_000_000, "Olena", "K", "olenak");
        assertThat(telegram.deliver(bot.token(), telegram.update(user, Map.of("text", "hi"))).status()).isEqualTo(200);
        long chat = api().get("/api/chat/chats?tg_user_id=" + user.id()).bearer(t.token()).send().json()
                .at("/items/0/id").asLong();

        var note = api().post("/api/chat/" + chat + "/note").bearer(t.token()).json(Map.of("text", "internal only")).send();
        assertThat(note.status()).as(note.toString()).isEqualTo(200);
        long noteId = note.json().get("id").asLong();
        t.send(t.token(), chat, "Public reply");

        eventually(Duration.ofSeconds(10), "the reply is sent",
                () -> telegram.sentTo(String.valueOf(user.id())).stream().anyMatch(s -> "Public reply".equals(s.text())));
        assertThat(telegram.sentTo(String.valueOf(user.id()))).extracting(TelegramDouble.Sent::text).containsExactly("Public reply");
        int outbox = server.hub().database().read(h -> h.createQuery("SELECT COUNT(*) FROM channel_outbox WHERE message_id = :id")
                .bind("id", noteId).mapTo(Integer.class).one());
        assertThat(outbox).isZero();
        assertThat(t.messages(chat, "after=0").get(1).get("status").asInt()).as("a note's status").isEqualTo(1);
    }
}
