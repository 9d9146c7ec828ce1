package io.chathub.channel;

import io.chathub.chat.ChatService;
import io.chathub.chat.ChatStore;
import io.chathub.chat.Enums;
import io.chathub.chat.Message;
import io.chathub.db.Database;
import io.chathub.web.ApiException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The messenger channels' side of every message append (wired into {@link ChatService} as its append listener): an
 * operator, bot or system message of a channel chat gets an outbox row in the message's own transaction, and the
 * message starts as 0 New until the messenger accepts it. A message the messenger could not carry is refused there
 * and then, so nothing is stored: 409 outside WhatsApp's 24-hour customer-service window or to a customer who
 * unsubscribed, 400 for what the messenger cannot take (too long a text, a caption it has no room for).
 */
final class ChannelOutbox implements ChatService.AppendListener {
    private final ChannelStore store;
    private final ChatStore chats;
    private final Map<String, Messenger> messengers;
    private final Database db;
    private final Clock clock;
    private final Runnable wake;

    ChannelOutbox(ChannelStore store, ChatStore chats, Map<String, Messenger> messengers, Database db, Clock clock, Runnable wake) {
        this.store = store;
        this.chats = chats;
        this.messengers = messengers;
        this.db = db;
        this.clock = clock;
        this.wake = wake;
    }

    /** A channel chat's reply starts as 0 New (stored so, without a second write); any other message as 1 Success. */
    @Override
    public int initialStatus(int source) {
        return isChannelSource(source) ? Enums.MessageStatus.NEW : Enums.MessageStatus.SUCCESS;
    }

    @Override
    public Message appended(ChatStore.Appended appended) {
        Message message = appended.message();
        if (!isChannelSource(appended.source())) return message; // no read at all for the other chats
        var route = store.routeOf(message.chatId()).orElse(null);
        Messenger messenger = route == null ? null : messengers.get(route.type());
        if (messenger == null) {
            // a channel's source without a channel (an integrator's own Telegram bridge through /api/chat/incoming): stored
            chats.setMessageStatus(message.id(), Enums.MessageStatus.SUCCESS, null, Enums.MessageStatus.NEW);
            return message.withStatus(Enums.MessageStatus.SUCCESS, null);
        }
        long now = clock.millis();
        refuseUndeliverable(messenger, route, message, now);
        store.enqueue(message.id(), message.chatId(), message.seq(), route.channelId(), route.peerId(), now);
        db.afterCommit(wake);
        return message;
    }

    private boolean isChannelSource(int source) {
        for (Messenger m : messengers.values()) if (m.source() == source) return true;
        return false;
    }

    /** Throws the refusal of a message that could never be delivered. */
    static void refuseUndeliverable(Messenger messenger, ChannelStore.Route route, Message message, long now) {
        String why = undeliverable(messenger, route, now);
        if (why != null) throw ApiException.conflict("chatId", why);
        Message.Media m = message.media();
        var file = m == null ? null : new Messenger.File(null, m.name(), m.format(), m.size() == null ? 0 : m.size(), m.type(), null);
        String refused = messenger.refuse(new Messenger.Outbound(message.id(), route.peerId(), message.message(), file));
        if (refused != null) throw ApiException.badRequest("textMessage", refused);
    }

    /** Why nothing may be sent to this customer now (unsubscribed, outside the reply window), or null. */
    static String undeliverable(Messenger messenger, ChannelStore.Route route, long now) {
        if (route.unsubscribed()) {
            return "The customer unsubscribed from this " + label(messenger) + " channel: nothing more can be sent to them";
        }
        Duration window = messenger.replyWindow();
        if (window != null && now - route.lastInboundAt() > window.toMillis()) {
            return label(messenger) + " allows replies only within " + window.toHours() + " hours of the customer's last message"
                    + (route.lastInboundAt() > 0 ? " (theirs was at " + Instant.ofEpochMilli(route.lastInboundAt()) + ")" : "")
                    + "; the reply was not sent. Wait for the customer to write again, or reach them with an approved"
                    + " template from WhatsApp Manager";
        }
        return null;
    }

    static String label(Messenger m) {
        return switch (m.type()) {
            case "telegram" -> "Telegram";
            case "viber" -> "Viber";
            case "whatsapp" -> "WhatsApp";
            default -> m.type();
        };
    }
}
