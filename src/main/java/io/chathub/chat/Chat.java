package io.chathub.chat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A chat as on the wire (SPEC §1), with (ext) {@code lastSeq} and the read markers of both sides so
 * that a client can resume ({@code GET …/messages?after=}) and show read state, and for website chats
 * (ext) the page it started on, the browser's language, whether it was left while offline, and its rating. (ext)
 * {@code channel}: the messenger channel a chat's customer writes through ({id, type, name}), null for other chats.
 */
public record Chat(
        long id,
        String theme,
        long organizationId,
        int source,
        ClientRef client,
        OperatorRef operator,
        int chatStatus,
        int countUnread,
        String createdAt,
        String updatedAt,
        Message lastMessage,
        long lastSeq,
        long operatorReadSeq,
        long clientReadSeq,
        String pageUrl,
        String language,
        boolean offline,
        Rating rating,
        ChannelRef channel,
        @JsonIgnore long companyId) {

    /** (ext) The messenger channel of a chat: its id, type ({@code telegram}, {@code viber}, {@code whatsapp}) and name. */
    public record ChannelRef(long id, String type, String name) {}

    /** (ext) A website chat's customer rating, once it is Closed: 1..5 and an optional comment. */
    public record Rating(int score, String comment, String createdAt) {}

    public record ClientRef(long id, String name, String phone, String email) {}

    public record OperatorRef(long id, String name, String photo) {}

    /** The hosted service's name for {@code source}, which its samples read from {@code ChatCreated}: both are sent. */
    @JsonProperty("messSource")
    public int messSource() {
        return source;
    }

    public Long operatorId() {
        return operator == null ? null : operator.id();
    }

    @JsonIgnore
    public boolean isClosed() {
        return chatStatus == Enums.ChatStatus.CLOSED;
    }
}
