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

    public OrganizationService(OrganizationStore store, Database db, EventPublisher events) {
        this.store = store;
        this.db = db;
        this.events = events;
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

    public Organization create(Principal.Company company, OrganizationInput input) {
        if (!input.has("name")) throw ApiException.badRequest("name", "Field 'name' is required");
        Organization org = checkSettings(new Organization(0, company.companyId(), input.name(),
                UUID.randomUUID().toString(), List.of(), null, null, null, null, null), input);
        return store.create(org);
    }

    public Organization update(Principal.Company company, long id, OrganizationInput input) {
        return db.tx(h -> {
            store.lock(id);
            return store.update(checkSettings(get(company, id), input));
        });
    }

    /** Inside a transaction: serializes changes to the organization and its operators (see {@link OrganizationStore#lock}). */
    public void lock(long id) {
        store.lock(id);
    }

    /** Deletes the organization with its operators and chats; its operators' hub connections close at once on every node. */
    public void delete(Principal.Company company, long id) {
        db.tx(h -> {
            get(company, id);
            store.delete(id);
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
        return new Organization(o.id(), o.companyId(), name, o.widgetGuid(), origins, greeting, hours, offline, color, lang);
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
