package io.chathub.webhook;

/**
 * One event for one webhook, as its delivery log shows it. {@code id} is the {@code X-ChatHub-Delivery} header, the
 * same on every attempt; {@code status} is {@code pending} (waiting for its first or next attempt), {@code delivered}
 * (an attempt got a 2xx answer) or {@code failed} (given up: its retries ran out, or its webhook was disabled or
 * deleted). {@code lastStatusCode} is the HTTP status of the last answer (null when there was none: see
 * {@code lastError}).
 */
public record WebhookDelivery(
        String id,
        String event,
        String status,
        int attempts,
        String createdAt,
        String lastAttemptAt,
        String nextAttemptAt,
        String deliveredAt,
        Integer lastStatusCode,
        String lastError) {}
