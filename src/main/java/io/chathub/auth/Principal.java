package io.chathub.auth;

import java.time.Instant;

/** Who a request or a hub connection acts as: a company or one of its operators. */
public sealed interface Principal {
    long companyId();

    /** The token's id (jti); used to revoke it and to close connections that carry it. */
    String tokenId();

    Instant expiresAt();

    record Company(long companyId, String tokenId, Instant expiresAt) implements Principal {}

    record Operator(long operatorId, long organizationId, long companyId, String tokenId, Instant expiresAt)
            implements Principal {}
}
