package io.chathub.auth;

import java.time.Instant;

/**
 * Who a request or a hub connection acts as: a company, one of its operators, or a visitor of one of its
 * organizations' websites (the customer chat widget), who reaches only its own client's chats.
 */
public sealed interface Principal {
    long companyId();

    /** The token's id (jti); used to revoke it and to close connections that carry it. */
    String tokenId();

    Instant expiresAt();

    /**
     * A company credential: a company token (role {@code owner}), or a console session of the owner, of an administrator
     * ({@code admin}) or of a viewer ({@code viewer}, read only). {@code adminId} and {@code login} are an administrator
     * session's (the owner's session: {@code login} only; a company token: both null).
     */
    record Company(long companyId, String tokenId, Instant expiresAt, String role, Long adminId, String login)
            implements Principal {
        public static final String OWNER = "owner", ADMIN = "admin", VIEWER = "viewer";

        public Company(long companyId, String tokenId, Instant expiresAt) {
            this(companyId, tokenId, expiresAt, OWNER, null, null);
        }

        public boolean isOwner() {
            return OWNER.equals(role);
        }

        public boolean readOnly() {
            return VIEWER.equals(role);
        }
    }

    record Operator(long operatorId, long organizationId, long companyId, String tokenId, Instant expiresAt)
            implements Principal {}

    /**
     * {@code clientId}: the client the visitor writes as (its own, or a verified customer's); {@code widgetGuid}: the
     * organization's widget guid the token was issued through (checked to be still the current one).
     */
    record Visitor(long visitorId, long clientId, long organizationId, long companyId, String widgetGuid, String tokenId,
                   Instant expiresAt) implements Principal {}
}
