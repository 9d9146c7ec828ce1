package io.chathub.webhook;

import io.chathub.auth.Principal;
import io.chathub.auth.SecretBox;
import io.chathub.db.Database;
import io.chathub.events.ControlEvents;
import io.chathub.events.Event;
import io.chathub.events.EventPublisher;
import io.chathub.web.ApiException;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A company's webhooks: the rules for their fields, tenant checks, and their delivery log. */
public final class WebhookService {
    static final int MAX_PER_COMPANY = 20;
    static final int MIN_SECRET = 16;
    static final int MAX_SECRET = 256;
    public static final int MAX_LOG = 500;

    /**
     * A webhook as a request gives it: the fields in {@code present} were in the body (an update changes only
     * those). {@code rotateSecret} asks for a new generated secret.
     */
    public record Input(String url, List<String> events, Boolean enabled, String secret, boolean rotateSecret,
                        Set<String> present) {
        boolean has(String field) {
            return present.contains(field);
        }
    }

    /** A created or changed webhook, and its new secret when the call made or set one (shown in full only then). */
    public record Saved(Webhook webhook, String newSecret) {}

    private final WebhookStore store;
    private io.chathub.audit.AuditLog audit;
    private final SecretBox secrets;
    private final UrlGuard guard;
    private final Database db;
    private final EventPublisher events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    WebhookService(WebhookStore store, SecretBox secrets, UrlGuard guard, Database db, EventPublisher events, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.guard = guard;
        this.db = db;
        this.events = events;
        this.clock = clock;
    }

    public List<Webhook> list(Principal.Company company) {
        return store.listByCompany(company.companyId()).stream().map(WebhookService::view).toList();
    }

    /** Records the changes in the company's audit log (set once, at wiring). */
    void audit(io.chathub.audit.AuditLog audit) {
        this.audit = audit;
    }

    private void audited(Principal.Company company, String action, long id, String detail) {
        if (audit != null) audit.record(company, action, "webhook", id, detail);
    }

    public Webhook get(Principal.Company company, long id) {
        return view(find(company, id));
    }

    /** The company's webhook: 404 when there is none, 403 when it is another company's. */
    private WebhookStore.Row find(Principal.Company company, long id) {
        WebhookStore.Row row = store.find(id).orElseThrow(() -> ApiException.notFound("Webhook " + id + " not found"));
        if (row.companyId() != company.companyId()) throw ApiException.forbidden("Webhook " + id + " belongs to another company");
        return row;
    }

    public Saved create(Principal.Company company, Input in) {
        if (!in.has("url")) throw ApiException.badRequest("url", "Field 'url' is required");
        if (!in.has("events")) throw ApiException.badRequest("events", "Field 'events' is required");
        String url = guard.check(in.url()).toString();
        List<String> events = checkEvents(in.events());
        if (in.rotateSecret()) throw ApiException.badRequest("rotateSecret", "A new webhook gets a new secret anyway");
        String secret = in.has("secret") ? checkSecret(in.secret()) : newSecret();
        boolean enabled = in.enabled() == null || in.enabled();
        return db.tx(h -> {
            store.lockCompany(company.companyId());
            if (store.countByCompany(company.companyId()) >= MAX_PER_COMPANY) {
                throw ApiException.conflict("url", "A company has at most " + MAX_PER_COMPANY + " webhooks");
            }
            long id = store.create(company.companyId(), fields(url, events, secret, enabled), clock.millis());
            changed(company.companyId());
            audited(company, "webhook.create", id, url);
            return new Saved(view(store.find(id).orElseThrow()), secret);
        });
    }

    public Saved update(Principal.Company company, long id, Input in) {
        String url = in.has("url") ? guard.check(in.url()).toString() : null;
        List<String> events = in.has("events") ? checkEvents(in.events()) : null;
        if (in.rotateSecret() && in.has("secret")) throw ApiException.badRequest("secret", "Give 'secret' or 'rotateSecret', not both");
        String secret = in.rotateSecret() ? newSecret() : in.has("secret") ? checkSecret(in.secret()) : null;
        return db.tx(h -> {
            WebhookStore.Row row = find(company, id);
            boolean enabled = in.enabled() == null ? row.enabled() : in.enabled();
            WebhookStore.Fields f = new WebhookStore.Fields(url == null ? row.url() : url, events == null ? row.events() : events,
                    secret == null ? row.secret() : secrets.encrypt(WebhookSender.SECRET_PURPOSE, secret),
                    secret == null ? row.secretHint() : hint(secret), enabled);
            long now = clock.millis();
            store.update(id, f, now);
            if (row.enabled() && !enabled) store.cancelPending(id, "webhook disabled", now);
            changed(company.companyId());
            audited(company, "webhook.update", id, f.url() + (enabled ? "" : " (disabled)") + (secret != null ? ", new secret" : ""));
            return new Saved(view(store.find(id).orElseThrow()), in.rotateSecret() ? secret : null);
        });
    }

    /** Deletes the webhook with its delivery log; its pending deliveries are never sent. */
    public void delete(Principal.Company company, long id) {
        db.tx(h -> {
            WebhookStore.Row row = find(company, id);
            store.delete(id);
            changed(company.companyId());
            audited(company, "webhook.delete", id, row.url());
            return null;
        });
    }

    /** The webhook's newest deliveries first; {@code status} null for all, else pending, delivered or failed. */
    public List<WebhookDelivery> deliveries(Principal.Company company, long id, String status, int limit) {
        Integer state = status == null ? null : switch (status) {
            case "pending" -> WebhookStore.PENDING;
            case "delivered" -> WebhookStore.DELIVERED;
            case "failed" -> WebhookStore.FAILED;
            default -> throw ApiException.badRequest("status", "'status' must be pending, delivered or failed");
        };
        find(company, id);
        return store.deliveries(id, state, limit).stream().map(WebhookService::view).toList();
    }

    /** Every node reads the company's webhooks again once this commits. */
    private void changed(long companyId) {
        events.publishAfterCommit(Event.forOrganization(companyId, 0, ControlEvents.WEBHOOKS_CHANGED));
    }

    private WebhookStore.Fields fields(String url, List<String> events, String secret, boolean enabled) {
        return new WebhookStore.Fields(url, events, secrets.encrypt(WebhookSender.SECRET_PURPOSE, secret), hint(secret), enabled);
    }

    private static List<String> checkEvents(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw ApiException.badRequest("events", "Field 'events' must name at least one of " + WebhookEvents.ALL);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String e : events) {
            if (!WebhookEvents.ALL.contains(e)) {
                throw ApiException.badRequest("events", "Unknown event '" + e + "': 'events' takes " + WebhookEvents.ALL);
            }
            out.add(e);
        }
        return List.copyOf(out);
    }

    private static String checkSecret(String secret) {
        if (secret == null || secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
            throw ApiException.badRequest("secret", "Field 'secret' must be " + MIN_SECRET + " to " + MAX_SECRET + " characters long");
        }
        if (!secret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiException.badRequest("secret", "Field 'secret' must be printable ASCII without spaces");
        }
        return secret;
    }

    /** 32 random bytes, hex: the HMAC key is the UTF-8 bytes of this text. */
    private String newSecret() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String hint(String secret) {
        return secret.substring(secret.length() - 4);
    }

    private static Webhook view(WebhookStore.Row r) {
        return new Webhook(r.id(), r.url(), r.events(), r.enabled(), "…" + r.secretHint(), r.consecutiveFailures(),
                time(r.disabledAt()), r.disabledReason(), time(r.createdAt()), time(r.updatedAt()));
    }

    private static WebhookDelivery view(WebhookStore.Logged d) {
        String status = switch (d.state()) {
            case WebhookStore.PENDING -> "pending";
            case WebhookStore.DELIVERED -> "delivered";
            default -> "failed";
        };
        return new WebhookDelivery(d.publicId(), d.event(), status, d.attempts(), time(d.createdAt()), time(d.lastAttemptAt()),
                d.state() == WebhookStore.PENDING ? time(d.nextAttemptAt()) : null, time(d.deliveredAt()), d.lastStatusCode(),
                d.lastError());
    }

    private static String time(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
