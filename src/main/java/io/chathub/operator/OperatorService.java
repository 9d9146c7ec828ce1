package io.chathub.operator;

import io.chathub.auth.Authenticator;
import io.chathub.auth.Jwts;
import io.chathub.auth.Principal;
import io.chathub.auth.TokenException;
import io.chathub.auth.TokenStore;
import io.chathub.db.Database;
import io.chathub.events.ControlEvents;
import io.chathub.events.Event;
import io.chathub.events.EventPublisher;
import io.chathub.organization.OrganizationService;
import io.chathub.web.ApiException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Operators: listing, synchronization, status, and their tokens. */
public final class OperatorService {
    /** Tolerance for the client's clock when it asks for a token that lasts exactly 24 h. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CHATS = 5;

    /** One item of a synchronize request. Optional fields are null when absent. */
    public record SyncItem(long organizationId, String name, String externalId, String email, String photo, Integer maxChats) {}

    /**
     * The validate-token answer, in the hosted service's shape. {@code clientId} is the operator's company (the
     * hosted API's name for it); {@code valid} repeats {@code isValid}, which the hosted docs' Python sample reads.
     */
    public record Validation(boolean isValid, Long operatorId, Long clientId, String expiresAt, String error) {
        @com.fasterxml.jackson.annotation.JsonProperty("valid")
        public boolean valid() {
            return isValid;
        }

        static Validation valid(Principal.Operator op) {
            return new Validation(true, op.operatorId(), op.companyId(), op.expiresAt().toString(), null);
        }

        static Validation invalid(String error) {
            return new Validation(false, null, null, null, error);
        }
    }

    private final OperatorStore store;
    private final OrganizationService organizations;
    private final TokenStore tokens;
    private final Jwts jwts;
    private final Authenticator auth;
    private final Database db;
    private final Duration maxTokenTtl;
    private final Clock clock;
    private final EventPublisher events;
    private final io.chathub.audit.AuditLog audit;

    public OperatorService(OperatorStore store, OrganizationService organizations, TokenStore tokens, Jwts jwts,
                           Authenticator auth, Database db, Duration maxTokenTtl, Clock clock, EventPublisher events,
                           io.chathub.audit.AuditLog audit) {
        this.events = events;
        this.audit = audit;
        this.store = store;
        this.organizations = organizations;
        this.tokens = tokens;
        this.jwts = jwts;
        this.auth = auth;
        this.db = db;
        this.maxTokenTtl = maxTokenTtl;
        this.clock = clock;
    }

    /** Operators the principal may see: of one organization, or (company, no filter) of all its organizations. */
    public List<Operator> list(Principal principal, Optional<Long> organizationId) {
        if (organizationId.isEmpty() && principal instanceof Principal.Company c) return store.listByCompany(c.companyId());
        long orgId = organizationId.orElseGet(() -> ((Principal.Operator) principal).organizationId());
        organizations.get(principal, orgId);
        return store.listByOrganization(orgId);
    }

    /** The operator if it belongs to the principal's company: 404 if none, 403 if another company's. */
    public Operator get(Principal principal, long id) {
        Operator op = store.findById(id).orElseThrow(() -> ApiException.notFound("Operator " + id + " not found"));
        if (op.companyId() != principal.companyId()) throw ApiException.forbidden("Operator " + id + " belongs to another company");
        return op;
    }

    /**
     * Creates or updates operators by externalId (else name) within each item's organization, all or
     * nothing; answers in request order.
     */
    public List<Operator> synchronize(Principal.Company company, List<SyncItem> items) {
        checkSyncItems(company, items);
        return db.tx(h -> {
            items.stream().mapToLong(SyncItem::organizationId).distinct().sorted().forEach(organizations::lock);
            List<Operator> out = new ArrayList<>();
            for (SyncItem item : items) out.add(upsert(item));
            audit.record(company, "operator.synchronize", "operator", out.size() == 1 ? out.get(0).id() : null,
                    "ids " + String.join(", ", out.stream().map(o -> String.valueOf(o.id())).toList()));
            items.stream().mapToLong(SyncItem::organizationId).distinct().forEach(org -> events.publishAfterCommit(
                    Event.forOrganization(company.companyId(), org, ControlEvents.OPERATORS_CHANGED)));
            return out;
        });
    }

    private void checkSyncItems(Principal.Company company, List<SyncItem> items) {
        if (items.isEmpty()) throw ApiException.badRequest("body", "Request body must list at least one operator");
        if (items.size() > 1000) throw ApiException.badRequest("body", "At most 1000 operators per request");
        for (int i = 0; i < items.size(); i++) {
            SyncItem item = items.get(i);
            try {
                organizations.get(company, item.organizationId());
            } catch (ApiException e) {
                if (e.status() == 404) throw ApiException.badRequest("[" + i + "].organizationId", e.detail());
                throw e;
            }
            if (item.maxChats() != null && (item.maxChats() < 0 || item.maxChats() > 1000)) {
                throw ApiException.badRequest("[" + i + "].maxChats", "Field 'maxChats' must be between 0 and 1000");
            }
        }
    }

    private Operator upsert(SyncItem item) {
        Optional<Operator> existing = item.externalId() != null
                ? store.findByExternalId(item.organizationId(), item.externalId())
                        .or(() -> store.findByName(item.organizationId(), item.name(), true))
                : store.findByName(item.organizationId(), item.name(), false);
        if (existing.isEmpty()) {
            long id = store.create(item.organizationId(), new OperatorStore.Profile(item.name(), item.externalId(),
                    item.email(), item.photo(), item.maxChats() == null ? DEFAULT_MAX_CHATS : item.maxChats()));
            return store.findById(id).orElseThrow();
        }
        Operator op = existing.get();
        store.update(op.id(), new OperatorStore.Profile(item.name(),
                item.externalId() != null ? item.externalId() : op.externalId(),
                item.email() != null ? item.email() : op.email(),
                item.photo() != null ? item.photo() : op.photo(),
                item.maxChats() != null ? item.maxChats() : op.maxChats()));
        return store.findById(op.id()).orElseThrow();
    }

    /**
     * Sets the status. Deactivating (Inactive) or deleting (Deleted) also revokes every token the operator has
     * been issued so far, for good: setting the operator Active again later does not revive them, it needs new
     * tokens. Their connections close at once on every node.
     */
    public void setStatus(Principal.Company company, long id, OperatorStatus status) {
        db.tx(h -> {
            Operator op = get(company, id);
            store.setStatus(id, status);
            if (status != OperatorStatus.ACTIVE) tokens.revokeAllOf(id, clock.instant());
            audit.record(company, "operator.status", "operator", id, op.name() + ": " + status.name());
            events.publishAfterCommit(Event.forOperator(op.companyId(), op.organization().id(), id,
                    ControlEvents.OPERATOR_STATUS, id, status.code()));
            return null;
        });
    }

    /** Issues an operator token that expires at {@code expiresAt}: in the future, at most 24 h ahead. */
    public Jwts.Issued issueToken(Principal.Company company, long id, Instant expiresAt) {
        Operator op = get(company, id);
        checkTokenExpiry(expiresAt);
        if (!op.isActive()) throw ApiException.badRequest("id", "Operator " + id + " is not active");
        return db.tx(h -> {
            var issued = issue(op, expiresAt);
            audit.record(company, "operator.token.issue", "operator", id, "expires " + issued.expiresAt());
            return issued;
        });
    }

    private Jwts.Issued issue(Operator op, Instant expiresAt) {
        return db.tx(h -> {
            var issued = jwts.issue(Jwts.Kind.OPERATOR, op.id(), op.organization().id(), op.companyId(), expiresAt);
            tokens.recordOperatorToken(issued.jti(), op.id(), issued.expiresAt());
            return issued;
        });
    }

    /** An operator token for the operator itself (its console session), expiring at {@code expiresAt}. */
    public Jwts.Issued issueOwnToken(Principal.Operator self, Instant expiresAt) {
        Operator op = get(self, self.operatorId());
        if (!op.isActive()) throw ApiException.forbidden("Operator " + op.id() + " is not active");
        return issue(op, expiresAt);
    }

    private void checkTokenExpiry(Instant expiresAt) {
        Instant now = clock.instant();
        if (!expiresAt.isAfter(now)) throw ApiException.badRequest("expiresAt", "Field 'expiresAt' must be in the future");
        if (expiresAt.isAfter(now.plus(maxTokenTtl).plus(CLOCK_SKEW))) {
            throw ApiException.badRequest("expiresAt", "Field 'expiresAt' must be at most 24 hours ahead");
        }
    }

    /**
     * Validates an operator token for a company (which sees only its own operators' tokens as valid),
     * or for the token itself ({@code companyId} null).
     */
    public Validation validateToken(Long companyId, String token) {
        try {
            Principal p = auth.authenticate(token);
            if (p instanceof Principal.Operator op && (companyId == null || companyId == op.companyId())) {
                return Validation.valid(op);
            }
            return Validation.invalid(TokenException.INVALID);
        } catch (TokenException e) {
            return Validation.invalid(e.getMessage());
        }
    }

    /** Revokes one operator token of the company. An already expired token needs nothing. */
    public void revokeToken(Principal.Company company, String token) {
        if (Authenticator.DEV_TOKEN.equals(token)) throw ApiException.badRequest("token", "The development token cannot be revoked");
        Jwts.Claims claims;
        try {
            claims = jwts.verify(token);
        } catch (TokenException e) {
            if (e.isExpired()) return;
            throw ApiException.badRequest("token", TokenException.INVALID);
        }
        if (claims.kind() != Jwts.Kind.OPERATOR) throw ApiException.badRequest("token", "Not an operator token");
        if (claims.companyId() != company.companyId()) throw ApiException.forbidden("The token belongs to another company");
        db.tx(h -> {
            tokens.revoke(claims.jti(), clock.instant());
            audit.record(company, "operator.token.revoke", "operator", claims.subjectId(), "token " + claims.jti());
            return null;
        });
        events.publishAfterCommit(Event.forOperator(claims.companyId(), claims.organizationId(), claims.subjectId(),
                ControlEvents.TOKEN_REVOKED, claims.jti()));
    }

    /** Revokes every token of one operator of the company. */
    public int revokeAll(Principal.Company company, long operatorId) {
        Operator op = get(company, operatorId);
        int n = db.tx(h -> {
            int revoked = tokens.revokeAllOf(operatorId, clock.instant());
            audit.record(company, "operator.token.revoke", "operator", operatorId, "all tokens (" + revoked + ")");
            return revoked;
        });
        events.publishAfterCommit(Event.forOperator(op.companyId(), op.organization().id(), operatorId,
                ControlEvents.OPERATOR_TOKENS_REVOKED, operatorId));
        return n;
    }
}
