package io.chathub.web;

import io.chathub.auth.Principal;
import io.chathub.organization.Organization;
import io.chathub.organization.OrganizationStore;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may use the API and the hub with a given token: the origins in the allowed
 * origins of the token's organization (a company token: of any of the company's organizations); {@code *}
 * in that list allows any origin. Requests without an Origin header (servers, scripts) are not browsers
 * and are not restricted. In development mode {@code http://localhost:*}, {@code http://127.0.0.1:*} and
 * {@code http://[::1]:*} are always allowed. A page of this server itself (the console, its full-page operator
 * panel and the widget preview) is same-origin and always allowed: see {@link #isOwn}.
 */
public final class OriginRules {
    private final OrganizationStore organizations;
    private final boolean dev;
    private final String publicOrigin;

    public OriginRules(OrganizationStore organizations, boolean dev) {
        this(organizations, dev, null);
    }

    /** {@code publicUrl}: this server's public URL (CHATHUB_PUBLIC_URL), or null; its origin is this server's own. */
    public OriginRules(OrganizationStore organizations, boolean dev, String publicUrl) {
        this.organizations = organizations;
        this.dev = dev;
        this.publicOrigin = publicUrl == null ? null : originOf(publicUrl);
    }

    /**
     * True when a page at {@code origin} is this server's own: the origin is the scheme and {@code host} (the Host
     * header, host[:port]) that the request was sent to, or the origin of the public URL (behind a proxy that
     * rewrites the Host). Only pages that this server serves live there: the console and its pages.
     */
    public boolean isOwn(String origin, String host) {
        if (origin == null || origin.isBlank()) return false;
        String o = normalize(origin);
        if (o.equals(publicOrigin)) return true;
        if (host == null || host.isBlank()) return false;
        String h = host.strip().toLowerCase(Locale.ROOT);
        return o.equals("http://" + h) || o.equals("https://" + h);
    }

    private static String originOf(String url) {
        try {
            URI u = new URI(url.strip());
            return normalize(u.getScheme() + "://" + u.getRawAuthority());
        } catch (Exception e) {
            return null;
        }
    }

    /** True when a page at {@code origin} (null: not a browser) may act as {@code principal}. */
    public boolean allows(String origin, Principal principal) {
        if (origin == null || origin.isBlank()) return true;
        String o = normalize(origin);
        if (dev && isLoopback(o)) return true;
        List<Organization> orgs = switch (principal) {
            case Principal.Operator op -> organizations.findById(op.organizationId()).stream().toList();
            case Principal.Company c -> organizations.listByCompany(c.companyId());
            case Principal.Visitor v -> organizations.findById(v.organizationId()).stream().toList();
        };
        for (Organization org : orgs) {
            if (allowedBy(org, o)) return true;
        }
        return false;
    }

    /**
     * True when a page at {@code origin} may use the chat widget of this guid: one of its organization's allowed
     * origins (an empty list allows none, but loopback pages in development mode). An unknown guid is left to the
     * route, which answers 404.
     */
    public boolean allowsWidget(String origin, String guid) {
        if (origin == null || origin.isBlank()) return true;
        String o = normalize(origin);
        if (dev && isLoopback(o)) return true;
        return organizations.findByWidgetGuid(guid).map(org -> allowedBy(org, o)).orElse(true);
    }

    private static boolean allowedBy(Organization org, String normalizedOrigin) {
        if (org.allowedOrigins() == null) return false;
        for (String allowed : org.allowedOrigins()) {
            if ("*".equals(allowed) || normalizedOrigin.equals(allowed)) return true;
        }
        return false;
    }

    /** Origins are compared as stored by the organization settings: lower-case, without a trailing slash. */
    static String normalize(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    static boolean isLoopback(String origin) {
        try {
            URI u = new URI(origin);
            String host = u.getHost();
            return "http".equals(u.getScheme()) && host != null
                    && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
        } catch (Exception e) {
            return false;
        }
    }
}
