package io.chathub.webhook;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which enabled webhooks of a company receive which events, kept in memory so that a change of a company without
 * webhooks (most changes) costs no query. An entry is dropped when the company's webhooks change (on every node:
 * {@code $WebhooksChanged}) and read again after {@link #TTL} anyway. A read that raced with a change is not kept.
 */
final class Subscriptions {
    static final long TTL = 30_000;
    private static final int MAX_COMPANIES = 20_000;

    private record Cached(List<WebhookStore.Subscription> subscriptions, long readAt) {}

    private final WebhookStore store;
    private final Clock clock;
    private final Map<Long, Cached> byCompany = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Cached> eldest) {
            return size() > MAX_COMPANIES;
        }
    };
    private long generation;

    Subscriptions(WebhookStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The ids of the company's enabled webhooks that receive {@code event}. */
    List<Long> receivers(long companyId, String event) {
        long now = clock.millis();
        Cached entry;
        long seen;
        synchronized (byCompany) {
            entry = byCompany.get(companyId);
            seen = generation;
        }
        if (entry == null || now - entry.readAt() > TTL) {
            entry = new Cached(store.subscriptions(companyId), now);
            synchronized (byCompany) {
                if (generation == seen) byCompany.put(companyId, entry);
            }
        }
        return entry.subscriptions().stream().filter(s -> s.events().contains(event)).map(WebhookStore.Subscription::webhookId).toList();
    }

    void changed(long companyId) {
        synchronized (byCompany) {
            generation++;
            byCompany.remove(companyId);
        }
    }
}
