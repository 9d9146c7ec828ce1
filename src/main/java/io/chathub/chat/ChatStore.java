package io.chathub.chat;

import java.util.List;
import java.util.Optional;

/** Clients, chats and messages. Writes join the caller's transaction (see {@link io.chathub.db.Database#tx}). */
public interface ChatStore {

    /** A client's identity and contact as an inbound message gave them. */
    record ClientInput(int source, String externalId, String name, String phone, String email) {}

    /**
     * A new message; {@code media} null for text; {@code operatorId} the sending operator, if any (the store
     * adds its name); {@code clientKey} null when the sender gave none.
     */
    record NewMessage(long chatId, int author, String text, Message.Media media, Long operatorId, String clientKey, boolean note) {
        public NewMessage(long chatId, int author, String text, Message.Media media, Long operatorId, String clientKey) {
            this(chatId, author, text, media, operatorId, clientKey, false);
        }
    }

    /** What decides who may see a chat: its company and organization, which never change. */
    record Scope(long chatId, long companyId, long organizationId) {}

    /** A client as found or created by an inbound message, with its current chat (the newest not Closed). */
    record ClientState(long clientId, Long currentChatId) {}

    /** A stored message and its chat as the append left it (read under the append's row lock); {@code source}: the chat's. */
    record Appended(Message message, long companyId, long organizationId, long clientId, int chatStatus, Long operatorId,
                    int source) {}

    /**
     * Filters of the chat list; null means "any". {@code dateFrom}/{@code dateTo} are epoch ms, to exclusive;
     * {@code telegramUserId}: the chats of the Telegram client with that user id ({@code from.id}).
     */
    record ChatQuery(long companyId, Long organizationId, Long operatorId, Integer status, Integer source,
                     String search, String phone, Long dateFrom, Long dateTo, int page, int perPage, String telegramUserId) {}

    /**
     * A page of chats; with a search, {@code matches} holds, by chat id, the newest message whose words matched
     * (no entry: the chat matched by its client or theme only); without one, it is empty.
     */
    record Page(long total, List<Chat> items, java.util.Map<Long, Match> matches) {}

    /** (ext) The message a searched chat was found by: its id, seq and text. */
    record Match(long messageId, long seq, String text) {}

    /**
     * Finds the client by (organization, source, externalId), creating it or updating contact fields that
     * changed, and returns it with its newest chat that is not Closed.
     */
    ClientState upsertClient(long organizationId, ClientInput client);

    /** A new chat; {@code pageUrl}, {@code language} and {@code offline} are a website chat's (null/false otherwise). */
    record NewChat(long companyId, long organizationId, long clientId, int source, String theme, String pageUrl,
                   String language, boolean offline) {}

    long createChat(NewChat chat);

    /** Sets the contact fields given (null leaves one as it is). */
    void updateClientContact(long clientId, String name, String phone, String email);

    /** The client's newest chat that is not Closed. */
    Optional<Long> currentChatOf(long clientId);

    /** The client's newest chat, whatever its status. */
    Optional<Chat> latestChatOf(long clientId);

    /** Stores the rating of a chat; false when it has one already. */
    boolean rate(long chatId, int score, String comment);

    Optional<Chat> findChat(long id);

    Optional<Scope> findScope(long chatId);

    Page listChats(ChatQuery query);

    /**
     * Appends a message with the chat's next seq, moving the chat's last message, unread count and time;
     * empty when the chat does not exist (any more).
     */
    Optional<Appended> appendMessage(NewMessage message);

    /** Like {@link #appendMessage(NewMessage)}, the message's first status chosen by the chat's source. */
    Optional<Appended> appendMessage(NewMessage message, java.util.function.IntUnaryOperator statusBySource);

    Optional<Message> findMessageByClientKey(long chatId, String clientKey);

    Optional<Message> findMessage(long id);

    /** A message with this client key in any chat of the client (a messenger's redelivered update). */
    Optional<Message> findClientMessageByKey(long clientId, String clientKey);

    /** A message whose status changed, with its chat's tenant and client (for the event). */
    record StatusChange(long messageId, long chatId, long companyId, long organizationId, long clientId) {}

    /**
     * Sets a message's status (and the reason of a rejection, else null) if its status is now one of {@code from};
     * empty when it is not (or there is no such message).
     */
    Optional<StatusChange> setMessageStatus(long messageId, int status, String reason, int... from);

    /** Messages with seq > {@code afterSeq}, in seq order, at most {@code limit}. */
    List<Message> messages(long chatId, long afterSeq, int limit);

    /** Messages with seq < {@code beforeSeq}, newest first reversed into seq order, at most {@code limit}. */
    List<Message> messagesBefore(long chatId, long beforeSeq, int limit);

    /** Like {@link #messages(long, long, int)}; without notes when {@code withNotes} is false (what a customer sees). */
    List<Message> messages(long chatId, long afterSeq, int limit, boolean withNotes);

    /** Like {@link #messagesBefore(long, long, int)}; without notes when {@code withNotes} is false. */
    List<Message> messagesBefore(long chatId, long beforeSeq, int limit, boolean withNotes);

    void setStatus(long chatId, int status);

    /** Sets the operator (null: unassigned). */
    void assign(long chatId, Long operatorId);

    /** Assigns only if the chat is still unassigned and open; true if it did. */
    boolean assignIfUnassigned(long chatId, long operatorId);

    /** Moves the operators' read marker up to {@code seq}; returns the client messages that became Read. */
    List<Long> markReadByOperator(long chatId, long seq);

    /** Moves the client's read marker up to {@code seq}; returns the operator messages that became Read. */
    List<Long> markReadByClient(long chatId, long seq);

    boolean deleteChat(long chatId);

    /** True when a message with this media URI lies in a chat of the company (and organization, if given). */
    boolean mediaVisibleTo(String uri, long companyId, Long organizationId);

    /** True when a message with this media URI lies in a chat of the client (a website visitor's own chats). */
    boolean mediaVisibleToClient(String uri, long clientId);

    /** How many chats that are not Closed the operator holds. */
    int activeChatCount(long operatorId);

    /** Unassigned chats of the organization that are not Closed, oldest first. */
    List<Long> queuedChats(long organizationId, int limit);
}
