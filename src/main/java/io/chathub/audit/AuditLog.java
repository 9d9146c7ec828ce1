package io.chathub.audit;

import io.chathub.auth.Principal;
import io.chathub.web.ApiException;
import io.chathub.web.RequestContext;

import java.time.Clock;
import java.util.List;

/**
 * The audit log of a company's administrative changes. Services call {@link #record} inside the transaction of the
 * change (or right after a change that has none), so an entry exists exactly when the change does.
 */
public final class AuditLog {
    public static final int MAX_LIMIT = 500;
    private static final int MAX_DETAIL = 500;

    private final AuditStore store;
    private final Clock clock;

    public AuditLog(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Records that {@code who} did {@code action} to an object; {@code detail} may be null. */
    public void record(Principal who, String action, String objectType, Object objectId, String detail) {
        String actorType;
        Long actorId;
        String login;
        switch (who) {
            case Principal.Company c when c.adminId() != null -> {
                actorType = "admin";
                actorId = c.adminId();
                login = c.login();
            }
            case Principal.Company c -> {
                actorType = "company";
                actorId = c.companyId();
                login = c.login() != null ? c.login() : store.companyLogin(c.companyId());
            }
            case Principal.Operator o -> {
                actorType = "operator";
                actorId = o.operatorId();
                login = null;
            }
            case Principal.Visitor v -> throw new IllegalArgumentException("a visitor makes no administrative change");
        }
        String d = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL - 1) + "…";
        store.insert(new AuditStore.NewEntry(who.companyId(), clock.millis(), actorType, actorId, login, action, objectType,
                objectId == null ? null : String.valueOf(objectId), d, RequestContext.ip()));
    }

    /** A page of the company's log, newest first. */
    public List<AuditEntry> list(Principal principal, Long from, Long to, Long before, int limit) {
        if (!(principal instanceof Principal.Company)) throw ApiException.forbidden("This call needs a company token");
        return store.list(principal.companyId(), from, to, before, limit);
    }
}
