package io.chathub.webhook;

import io.chathub.chat.ChatStore;
import io.chathub.db.Database;
import io.chathub.events.ControlEvents;
import io.chathub.events.Event;
import io.chathub.events.EventPublisher;
import io.chathub.web.Json;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Puts deliveries in the persisted queue: told of every event inside the transaction of the change that causes it,
 * it writes one delivery for each enabled webhook of the company that receives the event, in that same transaction
 * (so a delivery exists exactly when its change committed), and wakes the sender after the commit.
 *
 * <p>The body is made once per event: the envelope {@code {id, event, createdAt, companyId, organizationId, data}}
 * where data is the chat or the message as the REST API shows it, read inside the transaction (so it is the state
 * the change left).
 */
final class WebhookQueue implements EventPublisher.InTransaction {
    private final WebhookStore store;
    private final ChatStore chats;
    private final Subscriptions subscriptions;
    private final Database db;
    private final Clock clock;
    private final Runnable wake;

    WebhookQueue(WebhookStore store, ChatStore chats, Subscriptions subscriptions, Database db, Clock clock, Runnable wake) {
        this.store = store;
        this.chats = chats;
        this.subscriptions = subscriptions;
        this.db = db;
        this.clock = clock;
        this.wake = wake;
    }

    @Override
    public void inTransaction(Event event) {
        if (ControlEvents.isControl(event.target())) return;
        String name = WebhookEvents.of(event.target());
        if (name == null) return;
        if (event.args().length > 0 && event.args()[0] instanceof io.chathub.chat.Message m && m.isNote()) return; // staff only
        List<Long> receivers = subscriptions.receivers(event.companyId(), name);
        if (receivers.isEmpty()) return;
        db.tx(h -> {
            Object data = data(event);
            if (data == null) return null; // gone within the same transaction
            long now = clock.millis();
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("id", UUID.randomUUID().toString());
            envelope.put("event", name);
            envelope.put("createdAt", Instant.ofEpochMilli(now).toString());
            envelope.put("companyId", event.companyId());
            envelope.put("organizationId", event.organizationId());
            envelope.put("data", data);
            String body = Json.write(envelope);
            for (long webhookId : receivers) store.enqueue(webhookId, UUID.randomUUID().toString(), name, body, now);
            db.afterCommit(wake);
            return null;
        });
    }

    /** The chat or message the event is about, as the REST API shows it. */
    private Object data(Event event) {
        Object[] args = event.args();
        return switch (event.target()) {
            case "ChatStatusChanged" -> chats.findChat(id(args[0])).orElse(null);
            case "MessageStatusChanged" -> chats.findMessage(id(args[0])).orElse(null);
            default -> args[0];
        };
    }

    private static long id(Object arg) {
        return arg instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(arg));
    }
}
