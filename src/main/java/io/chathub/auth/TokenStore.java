package io.chathub.auth;

import java.time.Instant;
import java.util.Optional;

/** Issued operator tokens and their revocation; the per-request lookups of token checking. */
public interface TokenStore {

    /** What a request with an operator token needs to know, in one lookup. */
    record OperatorTokenState(long operatorId, long organizationId, long companyId, int operatorStatus, boolean revoked) {}

    /** What a request with a visitor token needs to know, in one lookup: its client and its organization's guid now. */
    record VisitorState(long visitorId, long clientId, long organizationId, long companyId, String widgetGuid) {}

    void recordOperatorToken(String jti, long operatorId, Instant expiresAt);

    Optional<VisitorState> findVisitor(long visitorId);

    Optional<OperatorTokenState> findOperatorToken(String jti);

    /** Revokes one token; false when no such token was issued. */
    boolean revoke(String jti, Instant at);

    /** Revokes every unexpired token of the operator; returns how many. */
    int revokeAllOf(long operatorId, Instant at);

    /** Forgets tokens that expired before {@code before}; returns how many. */
    int deleteExpired(Instant before);

    boolean companyExists(long companyId);

    /** The operator the development token stands for: the first Active operator of the company with this login. */
    Optional<OperatorTokenState> firstActiveOperatorOf(String companyLogin);
}
