package io.chathub.canned;

import io.chathub.audit.AuditLog;
import io.chathub.auth.Principal;
import io.chathub.db.Database;
import io.chathub.organization.OrganizationService;
import io.chathub.web.ApiException;

import java.util.List;
import java.util.regex.Pattern;

/** Canned responses: an organization's prepared replies, managed by its company, read by its operators. */
public final class CannedService {
    static final Pattern SHORTCUT = Pattern.compile("[a-z0-9_-]{1,32}");
    static final int MAX_TEXT = 2000;

    private final CannedStore store;
    private final OrganizationService organizations;
    private final AuditLog audit;
    private final Database db;

    public CannedService(CannedStore store, OrganizationService organizations, AuditLog audit, Database db) {
        this.store = store;
        this.organizations = organizations;
        this.audit = audit;
        this.db = db;
    }

    /** The organization's canned responses, for its company or its operators. */
    public List<CannedResponse> list(Principal p, long organizationId) {
        organizations.get(p, organizationId);
        return store.list(organizationId);
    }

    /** An operator's own organization's. */
    public List<CannedResponse> mine(Principal p) {
        if (!(p instanceof Principal.Operator op)) throw ApiException.forbidden("This call needs an operator token");
        return store.list(op.organizationId());
    }

    public CannedResponse create(Principal.Company company, long organizationId, String shortcut, String text) {
        organizations.get(company, organizationId);
        String s = checkShortcut(shortcut);
        String t = checkText(text);
        return db.tx(h -> {
            long id = store.create(organizationId, s, t).orElseThrow(() -> taken(s));
            audit.record(company, "canned.create", "cannedResponse", id, s);
            return store.find(id).orElseThrow();
        });
    }

    /** Changes the fields given (null: as it is). */
    public CannedResponse update(Principal.Company company, long organizationId, long id, String shortcut, String text) {
        if (shortcut == null && text == null) throw ApiException.badRequest("shortcut", "Give 'shortcut' or 'text'");
        String s = shortcut == null ? null : checkShortcut(shortcut);
        String t = text == null ? null : checkText(text);
        return db.tx(h -> {
            CannedResponse c = owned(company, organizationId, id);
            String newShortcut = s == null ? c.shortcut() : s;
            if (!store.update(id, newShortcut, t == null ? c.text() : t)) throw taken(newShortcut);
            audit.record(company, "canned.update", "cannedResponse", id, newShortcut);
            return store.find(id).orElseThrow();
        });
    }

    public void delete(Principal.Company company, long organizationId, long id) {
        db.tx(h -> {
            CannedResponse c = owned(company, organizationId, id);
            store.delete(id);
            audit.record(company, "canned.delete", "cannedResponse", id, c.shortcut());
            return null;
        });
    }

    private CannedResponse owned(Principal.Company company, long organizationId, long id) {
        organizations.get(company, organizationId);
        return store.find(id).filter(c -> c.organizationId() == organizationId)
                .orElseThrow(() -> ApiException.notFound("Canned response " + id + " not found in organization " + organizationId));
    }

    private static ApiException taken(String shortcut) {
        return ApiException.conflict("shortcut", "The organization has a canned response '" + shortcut + "' already");
    }

    private static String checkShortcut(String shortcut) {
        if (shortcut == null || !SHORTCUT.matcher(shortcut).matches()) {
            throw ApiException.badRequest("shortcut", "Field 'shortcut' must be 1-32 characters of a-z, 0-9, _ and -");
        }
        return shortcut;
    }

    private static String checkText(String text) {
        if (text == null || text.isBlank()) throw ApiException.badRequest("text", "Field 'text' must not be blank");
        if (text.length() > MAX_TEXT) throw ApiException.badRequest("text", "Field 'text' is longer than " + MAX_TEXT + " characters");
        return text;
    }
}
