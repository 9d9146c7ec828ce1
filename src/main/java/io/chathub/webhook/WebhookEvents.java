package io.chathub.webhook;

import java.util.List;

/** The events a webhook can receive, and the change (the hub event) each one reports. */
public final class WebhookEvents {
    /** A new chat (hub {@code ChatCreated}); data: the chat. */
    public static final String CHAT_CREATED = "chat.created";
    /** A chat's status changed (hub {@code ChatStatusChanged}); data: the chat with its new status. */
    public static final String CHAT_STATUS_CHANGED = "chat.status_changed";
    /** A chat was assigned, transferred or put back in the queue (hub {@code ChatAssigned}); data: the chat. */
    public static final String CHAT_ASSIGNED = "chat.assigned";
    /** A message was stored, from either side (hub {@code ReceiveMessage}, {@code ReceiveMediaMessage}); data: the message. */
    public static final String MESSAGE_CREATED = "message.created";
    /** A message's status changed, e.g. to Read (hub {@code MessageStatusChanged}); data: the message. */
    public static final String MESSAGE_STATUS_CHANGED = "message.status_changed";
    /** A customer rated a chat (hub {@code ChatRated}); data: the chat with its {@code rating}. */
    public static final String RATING_CREATED = "rating.created";

    public static final List<String> ALL = List.of(CHAT_CREATED, CHAT_STATUS_CHANGED, CHAT_ASSIGNED, MESSAGE_CREATED,
            MESSAGE_STATUS_CHANGED, RATING_CREATED);

    private WebhookEvents() {}

    /** The webhook event that reports a hub event, or null when none does. */
    static String of(String hubTarget) {
        return switch (hubTarget) {
            case "ChatCreated" -> CHAT_CREATED;
            case "ChatStatusChanged" -> CHAT_STATUS_CHANGED;
            case "ChatAssigned" -> CHAT_ASSIGNED;
            case "ReceiveMessage", "ReceiveMediaMessage" -> MESSAGE_CREATED;
            case "MessageStatusChanged" -> MESSAGE_STATUS_CHANGED;
            case "ChatRated" -> RATING_CREATED;
            default -> null;
        };
    }
}
