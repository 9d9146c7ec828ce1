package io.chathub.webhook;

import java.util.List;

/**
 * A webhook as the API shows it. {@code secret} is never shown in full after the call that made it: here it is
 * {@code "…"} and its last four characters. {@code disabledReason} says why the server disabled it (null when the
 * company did, or while it is enabled); {@code consecutiveFailures} counts the deliveries that failed for good since
 * the last one that succeeded.
 */
public record Webhook(
        long id,
        String url,
        List<String> events,
        boolean enabled,
        String secret,
        int consecutiveFailures,
        String disabledAt,
        String disabledReason,
        String createdAt,
        String updatedAt) {}
