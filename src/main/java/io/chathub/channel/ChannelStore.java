package io.chathub.channel;

import java.util.List;
import java.util.Optional;

/** Channels, their customers (peers) and chats, and the outbox of messages to deliver. Writes join the caller's transaction. */
public interface ChannelStore {

    /** A new channel, status {@link Channel#PENDING}, with its sealed credentials. */
    Channel create(long companyId, long organizationId, String type, String name, String avatar, String externalId,
                   String sealedCredentials);

    Optional<Channel> find(long id);

    /** The channel's credentials as stored (sealed by {@link CredentialBox}). */
    Optional<String> credentials(long id);

    /** A channel with its sealed credentials: the one read of every callback. */
    record Sealed(Channel channel, String credentials) {}

    Optional<Sealed> findSealed(long id);

    List<Channel> listByOrganization(long organizationId);

    void setStatus(long id, String status);

    /** Changes the name, avatar, external id and (when not null) the sealed credentials. */
    void update(long id, String name, String avatar, String externalId, String sealedCredentials);

    boolean delete(long id);

    // ---- customers and chats

    /** The chat's customer writes through this channel as {@code peerId}: its replies go there. */
    void linkChat(long chatId, long channelId, String peerId);

    /** The customer wrote at {@code at} (epoch ms; an earlier time than the one known changes nothing); it is subscribed (again). */
    void inbound(long channelId, String peerId, long at);

    /** The customer subscribed (again) or unsubscribed. */
    void subscribed(long channelId, String peerId, boolean subscribed);

    /** Where a chat's replies go: its channel, that channel's type, the customer there and what is known of it. */
    record Route(long channelId, String type, String peerId, long lastInboundAt, boolean unsubscribed) {}

    Optional<Route> routeOf(long chatId);

    // ---- the outbox

    /** A message waiting to be delivered. */
    record Pending(long id, long messageId, long chatId, long seq, long channelId, String peerId, int attempts,
                   long nextAttemptAt, long leaseUntil, long createdAt, String lastError) {}

    void enqueue(long messageId, long chatId, long seq, long channelId, String peerId, long now);

    /**
     * Rows that may be sent now: each the lowest seq still waiting in its chat (per-chat order), due, and not leased
     * by a node; soonest due first.
     */
    List<Pending> due(long now, int limit);

    /** The lowest seq still waiting in the chat. */
    Optional<Pending> head(long chatId);

    /** The earliest time a waiting row is due (epoch ms), if any row waits. */
    Optional<Long> nextDue();

    /** Takes the row for {@code owner} until {@code until} if nobody holds it; true if it did. */
    boolean lease(long id, String owner, long now, long until);

    /**
     * The chat's next row if it is due now and nobody holds it, leased to {@code owner} until {@code until} in the
     * same statement (PostgreSQL); empty otherwise.
     */
    Optional<Pending> leaseHead(long chatId, String owner, long now, long until);

    /** Takes those of the rows nobody holds, in one statement; returns the ids it took. */
    java.util.Set<Long> leaseAll(java.util.Collection<Long> ids, String owner, long now, long until);

    /** Extends {@code owner}'s lease of the row; false when it does not hold it any more. */
    boolean renewLease(long id, String owner, long until);

    /** Gives up every lease {@code owner} holds (a node back after a crash: nothing of it is in flight any more). */
    int releaseLeases(String owner);

    /** Not sent: due again at {@code at}, with the error in words; the lease is given up. */
    void retry(long id, long at, String error);

    /** Removes a delivered (or refused) row; false when it was not there any more. */
    boolean remove(long id);

    /** The messages of a channel still waiting (to be marked Rejected when it is deleted). */
    List<Long> waitingMessages(long channelId);

    // ---- delivered messages

    void mapExternalId(long channelId, String externalId, long messageId);

    Optional<Long> messageByExternalId(long channelId, String externalId);
}
