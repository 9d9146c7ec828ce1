package io.chathub.organization;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.auth.Principal;
import io.chathub.db.Database;
import io.chathub.events.ControlEvents;
import io.chathub.events.Event;
import io.chathub.events.EventPublisher;
import io.chathub.web.ApiException;

import java.net.URI;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Organizations of a company: rules for their settings, and tenant checks. */
public final class OrganizationService {
    private static final Pattern COLOR = Pattern.compile("#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?");
    private static final Set<String> DAYS = Set.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final int MAX_ORIGINS = 100;

    private final OrganizationStore store;
    private final Database db;
    private final EventPublisher events;
    private final io.chathub.audit.AuditLog audit;

    public OrganizationService(OrganizationStore store, Database db, EventPublisher events, io.chathub.audit.AuditLog audit) {
        this.store = store;
        this.db = db;
        this.events = events;
        this.audit = audit;
    }

    public List<Organization> list(Principal principal) {
        return switch (principal) {
            case Principal.Company c -> store.listByCompany(c.companyId());
            case Principal.Operator o -> List.of(get(principal, o.organizationId()));
            case Principal.Visitor v -> throw ApiException.forbidden("A visitor token lists no organizations");
        };
    }

    /** The organization if the principal may see it: 404 when there is none, 403 when it is another tenant's (or, for an operator, another organization). */
    public Organization get(Principal principal, long id) {
        Organization org = store.findById(id).orElseThrow(() -> ApiException.notFound("Organization " + id + " not found"));
        if (org.companyId() != principal.companyId()) {
            throw ApiException.forbidden("Organization " + id + " belongs to another company");
        }
        if (principal instanceof Principal.Operator op && op.organizationId() != id) {
            throw ApiException.forbidden("Organization " + id + " is not this operator's organization");
        }
        if (principal instanceof Principal.Visitor) throw ApiException.forbidden("A visitor token reads no organization");
        return org;
    }

    /** A created or changed organization, and its new identity secret when the call made one (shown only then). */
    public record Saved(Organization organization, String newIdentitySecret) {}

    public Saved create(Principal.Company company, OrganizationInput input) {
        if (!input.has("name")) throw ApiException.badRequest("name", "Field 'name' is required");
        if (input.rotateWidgetGuid()) throw ApiException.badRequest("rotateWidgetGuid", "A new organization gets a new guid anyway");
        Organization org = checkSettings(new Organization(0, company.companyId(), input.name(),
                UUID.randomUUID().toString(), List.of(), null, null, null, null, null), input);
        String secret = input.rotateIdentitySecret() ? newIdentitySecret() : null;
        if (secret != null) org = withIdentitySecret(org, secret);
        Organization toCreate = org;
        return db.tx(h -> {
            Organization created = store.create(toCreate);
            audit.record(company, "organization.create", "organization", created.id(), created.name());
            return new Saved(created, secret);
        });
    }

    public Saved update(Principal.Company company, long id, OrganizationInput input) {
        return db.tx(h -> {
            store.lock(id);
            Organization org = checkSettings(get(company, id), input);
            String secret = input.rotateIdentitySecret() ? newIdentitySecret() : null;
            if (secret != null) org = withIdentitySecret(org, secret);
            Organization saved = store.update(org);
            if (input.rotateWidgetGuid()) {
                store.rotateWidgetGuid(id, UUID.randomUUID().toString());
                saved = store.findById(id).orElseThrow();
                events.publishAfterCommit(Event.forOrganization(company.companyId(), id, ControlEvents.WIDGET_GUID_ROTATED));
            }
            audit.record(company, "organization.update", "organization", id, changed(input));
            return new Saved(saved, secret);
        });
    }

    /** The fields a change names (what the audit log says of it); secrets by name only. */
    private static String changed(OrganizationInput input) {
        var fields = new java.util.ArrayList<String>();
        for (String f : OrganizationInput.FIELDS) if (input.present().contains(f)) fields.add(f);
        if (input.rotateIdentitySecret()) fields.add("rotateIdentitySecret");
        if (input.rotateWidgetGuid()) fields.add("rotateWidgetGuid");
        return String.join(", ", fields);
    }

    /** 32 random bytes, hex: the key of HMAC-SHA256(secret, externalId) that the company's backend computes. */
    private static String newIdentitySecret() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    private static Organization withIdentitySecret(Organization o, String secret) {
        return new Organization(o.id(), o.companyId(), o.name(), o.widgetGuid(), o.allowedOrigins(), o.greeting(),
                o.businessHours(), o.offlineContact(), o.themeColor(), o.defaultLanguage(), o.preChat(), o.position(), secret);
    }

    /** The organization by id, for a caller whose right to it was checked otherwise (a verified messenger callback). */
    public Organization byId(long id) {
        return store.findById(id).orElseThrow(() -> ApiException.notFound("Organization " + id + " not found"));
    }

    /** The organization of a widget guid (the customer chat widget's public API): 404 when there is none. */
    public Organization byWidgetGuid(String guid) {
        return store.findByWidgetGuid(guid).orElseThrow(() -> ApiException.notFound("No chat widget " + guid));
    }

    /** Inside a transaction: serializes changes to the organization and its operators (see {@link OrganizationStore#lock}). */
    public void lock(long id) {
        store.lock(id);
    }

    private final List<java.util.function.LongConsumer> beforeDelete = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Runs {@code listener} with an organization's id before it is deleted (messenger channels remove their webhooks). */
    public void beforeDelete(java.util.function.LongConsumer listener) {
        beforeDelete.add(listener);
    }

    /** Deletes the organization with its operators and chats; its operators' hub connections close at once on every node. */
    public void delete(Principal.Company company, long id) {
        get(company, id);
        for (var listener : beforeDelete) listener.accept(id);
        db.tx(h -> {
            Organization org = get(company, id);
            store.delete(id);
            audit.record(company, "organization.delete", "organization", id, org.name());
            events.publishAfterCommit(Event.forOrganization(company.companyId(), id, ControlEvents.ORGANIZATION_DELETED));
            return null;
        });
    }

    /** Validates the present fields of the input and returns the organization with them applied. */
    private static Organization checkSettings(Organization o, OrganizationInput in) {
        String name = in.has("name") ? checkName(in.name()) : o.name();
        List<String> origins = in.has("allowedOrigins") ? checkOrigins(in.allowedOrigins()) : o.allowedOrigins();
        String greeting = in.has("greeting") ? checkLength("greeting", in.greeting(), 2000) : o.greeting();
        JsonNode hours = in.has("businessHours") ? checkBusinessHours(in.businessHours()) : o.businessHours();
        String offline = in.has("offlineContact") ? checkLength("offlineContact", in.offlineContact(), 500) : o.offlineContact();
        String color = in.has("themeColor") ? checkPattern("themeColor", in.themeColor(), COLOR, "a colour like #1f6feb") : o.themeColor();
        String lang = in.has("defaultLanguage")
                ? checkPattern("defaultLanguage", lower(in.defaultLanguage()), LANGUAGE, "a language tag like en or uk") : o.defaultLanguage();
        JsonNode preChat = in.has("preChat") ? checkPreChat(in.preChat()) : o.preChat();
        String position = in.has("position") ? checkPosition(in.position()) : o.position();
        String secret = o.identitySecret();
        if (in.has("identitySecret")) secret = checkIdentitySecret(in.identitySecret());
        else if (in.present().contains("identitySecret")) secret = null; // explicit null clears it
        if (in.rotateIdentitySecret() && in.present().contains("identitySecret")) {
            throw ApiException.badRequest("identitySecret", "Give 'identitySecret' or 'rotateIdentitySecret', not both");
        }
        return new Organization(o.id(), o.companyId(), name, o.widgetGuid(), origins, greeting, hours, offline, color, lang,
                preChat, position, secret);
    }

    static final List<String> PRE_CHAT_FIELDS = List.of("name", "email", "phone");

    /** {fields: [...], required: [...]}: fields among name, email, phone; required among the fields. */
    static JsonNode checkPreChat(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw ApiException.badRequest("preChat", "Field 'preChat' must be an object {fields, required}");
        Set<String> fields = names(v, "fields", PRE_CHAT_FIELDS);
        Set<String> required = names(v, "required", PRE_CHAT_FIELDS);
        for (String r : required) {
            if (!fields.contains(r)) throw ApiException.badRequest("preChat.required", "'" + r + "' is required but not among the fields");
        }
        var out = io.chathub.web.Json.MAPPER.createObjectNode();
        fields.forEach(out.putArray("fields")::add);
        required.forEach(out.putArray("required")::add);
        return out;
    }

    private static Set<String> names(JsonNode v, String part, List<String> allowed) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode list = v.get(part);
        if (list == null || list.isNull()) return names;
        if (!list.isArray()) throw ApiException.badRequest("preChat." + part, "Field 'preChat." + part + "' must be an array");
        for (JsonNode f : list) {
            if (!f.isTextual() || !allowed.contains(f.asText())) {
                throw ApiException.badRequest("preChat." + part, f + " is not one of " + allowed);
            }
            names.add(f.asText());
        }
        return names;
    }

    private static String checkPosition(String v) {
        if (v == null || v.isBlank()) return null;
        String p = v.strip().toLowerCase(Locale.ROOT);
        if (!p.equals("right") && !p.equals("left")) throw ApiException.badRequest("position", "Field 'position' must be right or left");
        return p;
    }

    private static String checkIdentitySecret(String v) {
        if (v == null || v.isBlank()) return null;
        String s = v.strip();
        if (s.length() < 32 || s.length() > 128) {
            throw ApiException.badRequest("identitySecret", "Field 'identitySecret' must be 32 to 128 characters (or use rotateIdentitySecret)");
        }
        return s;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    static String checkName(String name) {
        if (name == null || name.isBlank()) throw ApiException.badRequest("name", "Field 'name' must not be blank");
        if (name.strip().length() > 200) throw ApiException.badRequest("name", "Field 'name' is longer than 200 characters");
        return name.strip();
    }

    private static String checkLength(String field, String value, int max) {
        if (value == null || value.isBlank()) return null;
        if (value.length() > max) throw ApiException.badRequest(field, "Field '" + field + "' is longer than " + max + " characters");
        return value.strip();
    }

    private static String checkPattern(String field, String value, Pattern pattern, String what) {
        if (value == null || value.isBlank()) return null;
        if (!pattern.matcher(value.strip()).matches()) throw ApiException.badRequest(field, "Field '" + field + "' must be " + what);
        return value.strip();
    }

    /** Origins as browsers send them: scheme://host[:port], lower-case, no path; or "*" for any. */
    static List<String> checkOrigins(List<String> origins) {
        if (origins == null) return List.of();
        if (origins.size() > MAX_ORIGINS) throw ApiException.badRequest("allowedOrigins", "At most " + MAX_ORIGINS + " origins");
        Set<String> out = new LinkedHashSet<>();
        for (String raw : origins) {
            String o = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
            if (o.endsWith("/")) o = o.substring(0, o.length() - 1);
            if (o.equals("*")) {
                out.add(o);
                continue;
            }
            try {
                URI u = new URI(o);
                boolean ok = ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                        && (u.getRawPath() == null || u.getRawPath().isEmpty()) && u.getRawQuery() == null
                        && u.getRawFragment() == null && u.getRawUserInfo() == null;
                if (!ok) throw new IllegalArgumentException();
            } catch (Exception e) {
                throw ApiException.badRequest("allowedOrigins",
                        "'" + raw + "' is not an origin; use scheme://host[:port], e.g. https://crm.example.com");
            }
            out.add(o);
        }
        return new ArrayList<>(out);
    }

    static JsonNode checkBusinessHours(JsonNode hours) {
        if (hours == null || hours.isNull()) return null;
        String f = "businessHours";
        if (!hours.isObject()) throw ApiException.badRequest(f, "Field 'businessHours' must be an object");
        JsonNode tz = hours.get("timezone");
        if (tz != null && !tz.isNull()) {
            try {
                ZoneId.of(tz.asText());
            } catch (DateTimeException e) {
                throw ApiException.badRequest(f + ".timezone", "Unknown time zone '" + tz.asText() + "'");
            }
        }
        JsonNode days = hours.get("days");
        if (days != null && !days.isNull()) {
            if (!days.isObject()) throw ApiException.badRequest(f + ".days", "Field 'businessHours.days' must be an object");
            for (Iterator<String> it = days.fieldNames(); it.hasNext(); ) {
                String day = it.next();
                if (!DAYS.contains(day)) throw ApiException.badRequest(f + ".days", "Unknown day '" + day + "'; use mon..sun");
                JsonNode ranges = days.get(day);
                if (!ranges.isArray()) throw ApiException.badRequest(f + ".days." + day, "Each day is a list of [\"HH:mm\",\"HH:mm\"] ranges");
                for (JsonNode r : ranges) {
                    if (!r.isArray() || r.size() != 2) throw ApiException.badRequest(f + ".days." + day, "Each range is [\"HH:mm\",\"HH:mm\"]");
                    try {
                        LocalTime from = LocalTime.parse(r.get(0).asText());
                        LocalTime to = LocalTime.parse(r.get(1).asText());
                        if (!to.isAfter(from)) throw new IllegalArgumentException();
                    } catch (RuntimeException e) {
                        throw ApiException.badRequest(f + ".days." + day, "Each range is [\"HH:mm\",\"HH:mm\"] with start before end");
                    }
                }
            }
        }
        return hours;
    }
}
