package io.chathub.channel;

import io.chathub.web.JsonBody;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One messenger's public HTTP API (Telegram, Viber, WhatsApp, …): all that ChatHub needs of it. An implementation is
 * stateless; everything it needs of a channel comes in the arguments. Adding a messenger is one more package with one
 * more implementation, registered in {@link io.chathub.ChatHub}.
 */
public interface Messenger {

    /** The channel type in the API and in webhook paths: {@code telegram}, {@code viber}, {@code whatsapp}. */
    String type();

    /** The chats' source code (SPEC §1): 1 ViberBot, 2 Telegram, 3 WhatsApp. */
    int source();

    /** Sends per second one channel may make: below the messenger's documented limit. */
    double sendsPerSecond();

    /**
     * Whether the messenger reports delivery or read statuses of sent messages by their id (Viber, WhatsApp), so that the
     * id of every sent message is kept; Telegram's Bot API reports none.
     */
    default boolean reportsStatuses() {
        return true;
    }

    /**
     * The credentials a create or update request gives, checked for form only (400 naming a missing or malformed
     * field); null when it gives none of them and they are not {@code required} (an update that keeps them). They are
     * stored encrypted and never shown again.
     */
    Credentials credentials(JsonBody body, boolean required);

    /**
     * Checks the credentials with the messenger (Telegram getMe, Viber get_account_info, WhatsApp the phone number):
     * the account they open, or an {@link io.chathub.web.ApiException} 400 when the messenger refuses them and 502 when
     * it cannot be reached.
     */
    Account verify(Credentials credentials);

    /**
     * Points the messenger's webhook at {@code url}; returns the credentials to keep from now on (with a webhook secret
     * it made, such as Telegram's secret_token). WhatsApp's webhook is set in the Meta app, so it returns them as given.
     */
    Credentials register(Channel channel, Credentials credentials, String url);

    /** Removes the webhook (best effort: a messenger that cannot be reached is logged, not an error). */
    void unregister(Channel channel, Credentials credentials);

    /**
     * Verifies a callback (secret header or signature; WhatsApp's GET handshake) and turns it into events. Throws
     * {@link Unauthorized} when it is not the messenger's, before anything is read from it.
     */
    Callback parse(Channel channel, Credentials credentials, WebhookRequest request);

    /** Downloads an inbound message's file. */
    Download download(Credentials credentials, MediaRef media) throws java.io.IOException, MessengerException;

    /** Why the messenger cannot carry this message (too long, media with text where it has no caption), or null. */
    String refuse(Outbound message);

    /** Sends one message; never throws for the messenger's answers (network errors are {@link SendResult.Retry}). */
    SendResult send(Channel channel, Credentials credentials, Outbound message);

    /**
     * How long after the customer's last message a reply may be sent (WhatsApp's 24-hour customer-service window), or
     * null for no limit. A reply outside it is refused.
     */
    default Duration replyWindow() {
        return null;
    }

    /** The reply to a customer who opened the conversation (Viber's welcome message), or null when there is none. */
    default Reply welcome(Channel channel, String greeting) {
        return null;
    }

    // ---- the data that crosses the interface

    /** A channel's secrets, by name; never printed. */
    record Credentials(Map<String, String> values) {
        public Credentials {
            values = Map.copyOf(values);
        }

        public String get(String name) {
            return values.get(name);
        }

        public Credentials with(String name, String value) {
            var copy = new java.util.HashMap<>(values);
            copy.put(name, value);
            return new Credentials(copy);
        }

        @Override
        public String toString() {
            return "Credentials[" + values.keySet() + "]";
        }
    }

    /** The account credentials open: its name there and its id (bot id, Viber account id, phone number id). */
    record Account(String name, String externalId) {}

    /** A callback as it came: method, headers (names in lower case), query parameters, the raw body. */
    record WebhookRequest(String method, Map<String, String> headers, Map<String, String> query, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** The events of a callback and the answer to give it (null: an empty 200). */
    record Callback(List<Inbound> events, Reply reply) {}

    /** An HTTP answer to a callback. */
    record Reply(int status, String contentType, String body) {}

    /** The customer as the messenger names it: its id there (the client's external id), name and phone if known. */
    record Customer(String id, String name, String phone) {}

    /** A file of an inbound message, to fetch with {@link #download}: the messenger's reference and what it says of it. */
    record MediaRef(String ref, String name, String mimeType, Long size, String kind) {}

    /** A downloaded file. */
    record Download(byte[] data, String name, String mimeType) {}

    /** Something a callback tells. */
    sealed interface Inbound {
        /**
         * A customer's message. {@code key}: the messenger's id of it with a prefix of the messenger ({@code tg:} and
         * the update_id), unique within the channel (redeliveries repeat it; at most 90 characters); {@code peerId}:
         * where replies go; {@code media}: a file to fetch, or null; {@code fallback}: the text to store when the file
         * cannot be stored; {@code sentAt}: when the customer sent it, as the messenger says (epoch ms; 0 when it does
         * not say), which starts WhatsApp's reply window.
         */
        record Message(String key, String peerId, Customer customer, String text, MediaRef media, String fallback, long sentAt)
                implements Inbound {}

        /** A status of a message this channel sent, by the messenger's id of it: 1 Success, 2 Rejected, 3 Read. */
        record Status(String externalId, int status, String reason) implements Inbound {}

        /** The customer subscribed (Viber). */
        record Subscribed(String peerId, Customer customer) implements Inbound {}

        /** The customer opened the conversation (Viber's conversation_started): the channel may welcome them. */
        record Started(String peerId, Customer customer) implements Inbound {}

        /** The customer unsubscribed: nothing more may be sent to it. */
        record Unsubscribed(String peerId) implements Inbound {}
    }

    /** A message to deliver: to {@code peerId}, its text and/or file (media: null for text). */
    record Outbound(long messageId, String peerId, String text, File media) {}

    /**
     * A file to send: on disk ({@code path}), and at a public, signed, expiring URL for messengers that fetch files
     * themselves (Viber, WhatsApp). {@code type}: the message media type (0 File, 1 Photo, 2 Video, 3 Audio).
     */
    record File(Path path, String name, String contentType, long size, int type, String publicUrl) {}

    /** What a send came to. */
    sealed interface SendResult {
        /** Accepted: the messenger's id of the message (for its statuses). */
        record Accepted(String externalId) implements SendResult {}

        /** Not now: try again after {@code after} at the earliest (null: the sender's backoff decides). */
        record Retry(Duration after, String reason) implements SendResult {}

        /** Refused for good, with the messenger's reason. */
        record Rejected(String reason) implements SendResult {}
    }

    /** A callback that is not the messenger's (bad or missing secret or signature): answered 401, nothing changes. */
    final class Unauthorized extends RuntimeException {
        public Unauthorized(String message) {
            super(message, null, false, false);
        }
    }

    /** The messenger answered a request with an error. */
    final class MessengerException extends Exception {
        public MessengerException(String message) {
            super(message, null, false, false);
        }
    }
}
