package io.chathub.webhook;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Webhooks and their deliveries (the persisted queue and the delivery log). Times are epoch milliseconds. Writes
 * join the caller's transaction (see {@link io.chathub.db.Database#tx}).
 */
public interface WebhookStore {
    int PENDING = 0;
    int DELIVERED = 1;
    int FAILED = 2;

    /** A webhook as stored; {@code secret} is encrypted. */
    record Row(long id, long companyId, String url, List<String> events, String secret, String secretHint,
               boolean enabled, int consecutiveFailures, Long disabledAt, String disabledReason, long createdAt,
               long updatedAt) {}

    /** What a new or changed webhook is. */
    record Fields(String url, List<String> events, String secret, String secretHint, boolean enabled) {}

    /** An enabled webhook of a company and the events it receives. */
    record Subscription(long webhookId, Set<String> events) {}

    /** A webhook with pending deliveries, and when the first of them is due. */
    record Pending(long webhookId, long nextAttemptAt) {}

    /** A pending delivery that is due, as the sender first sees it. */
    record Due(long id, long webhookId, long nextAttemptAt) {}

    /**
     * A claimed delivery with what an attempt needs: its body and its webhook as they were when it was claimed (until
     * {@code leaseUntil}).
     */
    record Attempt(long id, String publicId, String event, String body, int attempts, long createdAt, long leaseUntil,
                   Row webhook) {}

    /** A delivery as its log keeps it; {@code state} is {@link #PENDING}, {@link #DELIVERED} or {@link #FAILED}. */
    record Logged(String publicId, String event, int state, int attempts, long createdAt, Long lastAttemptAt,
                  long nextAttemptAt, Long deliveredAt, Integer lastStatusCode, String lastError) {}

    long create(long companyId, Fields fields, long now);

    Optional<Row> find(long id);

    List<Row> listByCompany(long companyId);

    int countByCompany(long companyId);

    /** Inside a transaction: serializes the company's webhook changes (a row lock on PostgreSQL; SQLite has one writer). */
    void lockCompany(long companyId);

    /** Sets the fields; enabling a disabled webhook also clears its failure count and the reason it was disabled. */
    void update(long id, Fields fields, long now);

    void delete(long id);

    /** The company's enabled webhooks. */
    List<Subscription> subscriptions(long companyId);

    /** A new pending delivery, due at once. */
    void enqueue(long webhookId, String publicId, String event, String body, long now);

    /** Each webhook that has pending deliveries, with the time the earliest of them is due. */
    List<Pending> pending();

    /** The webhook's pending deliveries due at {@code now}, the longest due first. */
    List<Due> due(long webhookId, long now, int limit);

    /**
     * Claims a due delivery for one attempt: moves it on to {@code leaseUntil}, but only if nobody else (another node)
     * has claimed it since it was read as due at {@code seenNextAttemptAt}.
     */
    boolean claim(long id, long seenNextAttemptAt, long leaseUntil);

    /** Gives back a claim that was not used: due at {@code now}, unless it has changed since it was claimed until {@code leaseUntil}. */
    void unclaim(long id, long leaseUntil, long now);

    /** The pending deliveries among {@code ids}, with their webhooks. */
    List<Attempt> attempts(List<Long> ids);

    /** The attempt succeeded; false when the delivery was no longer pending (given up meanwhile). */
    boolean delivered(long id, int statusCode, long now);

    /** A failed attempt, to be tried again at {@code nextAttemptAt}. */
    void retry(long id, Integer statusCode, String error, long now, long nextAttemptAt);

    /** A failed attempt after which the delivery is given up; false when it was no longer pending. */
    boolean failed(long id, Integer statusCode, String error, long now);

    /** Gives up every pending delivery of the webhook (it was disabled), with {@code reason} as their last error. */
    int cancelPending(long webhookId, String reason, long now);

    /** A delivery failed for good: counts it and returns the webhook's consecutive failures. */
    int countFailure(long webhookId);

    /** A delivery succeeded: the webhook's consecutive failures start again from zero. */
    void resetFailures(long webhookId);

    /** Disables an enabled webhook with a reason; false when it was disabled already. */
    boolean disable(long webhookId, String reason, long now);

    /** The webhook's newest deliveries first, of one state or all (null). */
    List<Logged> deliveries(long webhookId, Integer state, int limit);

    /** Deletes up to {@code limit} finished (delivered or failed) deliveries made before {@code cutoff}. */
    int deleteFinishedBefore(long cutoff, int limit);
}
