package io.chathub.webhook;

import io.chathub.auth.Authenticator;
import io.chathub.auth.SecretBox;
import io.chathub.chat.ChatStore;
import io.chathub.config.Config;
import io.chathub.db.Database;
import io.chathub.events.ControlEvents;
import io.chathub.events.EventBus;
import io.chathub.events.EventPublisher;
import io.javalin.config.RoutesConfig;

import java.time.Clock;

/**
 * Outbound webhooks wired together: the API, the queue that the event publisher fills inside each change's
 * transaction, the subscriptions every node keeps (dropped on {@code $WebhooksChanged}), and the sender.
 */
public final class Webhooks implements AutoCloseable {
    private final WebhookService service;
    private final WebhookSender sender;
    private final AutoCloseable subscription;

    private Webhooks(WebhookService service, WebhookSender sender, AutoCloseable subscription) {
        this.service = service;
        this.sender = sender;
        this.subscription = subscription;
    }

    /** Starts the sender (it delivers what an earlier run left queued) and hooks the queue into {@code events}. */
    public static Webhooks start(Config.WebhookSettings settings, Database db, EventPublisher events, EventBus bus,
                                 ChatStore chats, SecretBox secrets, Clock clock) {
        var store = new JdbiWebhookStore(db);
        var guard = new UrlGuard(settings.allowPrivate());
        var subscriptions = new Subscriptions(store, clock);
        var sender = new WebhookSender(store, db, events, secrets, guard, settings, clock);
        AutoCloseable subscription = bus.subscribe(e -> {
            if (!ControlEvents.WEBHOOKS_CHANGED.equals(e.target())) return;
            subscriptions.changed(e.companyId());
            sender.companyChanged(e.companyId());
        });
        events.listen(new WebhookQueue(store, chats, subscriptions, db, clock, sender::wake));
        return new Webhooks(new WebhookService(store, secrets, guard, db, events, clock), sender, subscription);
    }

    /** Records the webhooks' changes in the company's audit log. */
    public void audit(io.chathub.audit.AuditLog audit) {
        service.audit(audit);
    }

    public void register(RoutesConfig routes, Authenticator auth) {
        new WebhookRoutes(service, auth).register(routes);
    }

    @Override
    public void close() throws Exception {
        sender.close();
        subscription.close();
    }
}
