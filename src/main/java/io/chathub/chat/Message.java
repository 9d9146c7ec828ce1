package io.chathub.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A message as on the wire (SPEC §1). {@code media} is null for a text message. {@code phone} is the phone of the
 * chat's client (null when unknown), as the hosted service's samples read it from {@code ReceiveMessage}. (ext)
 * {@code statusReason}: why a message to a messenger channel was Rejected (status 2); absent otherwise. (ext)
 * {@code isNote}: true for a private note (staff only, never shown to the customer); absent on other messages.
 */
public record Message(
        long id,
        long chatId,
        long seq,
        int author,
        String message,
        Media media,
        int status,
        OperatorRef operator,
        String createdAt,
        String phone,
        @JsonInclude(JsonInclude.Include.NON_NULL) String statusReason,
        @JsonProperty("isNote") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean isNote) {

    /** A message that is not a note. */
    public Message(long id, long chatId, long seq, int author, String message, Media media, int status, OperatorRef operator,
                   String createdAt, String phone, String statusReason) {
        this(id, chatId, seq, author, message, media, status, operator, createdAt, phone, statusReason, false);
    }

    /** {uri, name, format, type}; (ext) size in bytes and, for images, width and height. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Media(String uri, String name, String format, int type, Long size, Integer width, Integer height) {}

    public record OperatorRef(long id, String name) {}

    public boolean hasMedia() {
        return media != null;
    }

    /** The same message with another status (and reason). */
    public Message withStatus(int newStatus, String reason) {
        return new Message(id, chatId, seq, author, message, media, newStatus, operator, createdAt, phone, reason, isNote);
    }
}
