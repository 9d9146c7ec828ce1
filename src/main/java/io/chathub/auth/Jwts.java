package io.chathub.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Signs and verifies ChatHub's HS256 JWTs. The algorithm is pinned: a token whose header names any
 * other algorithm (including {@code none}) is invalid before its signature is even looked at.
 * {@code exp}, {@code iat}, {@code jti}, {@code iss} and the ChatHub kind claim are required.
 */
public final class Jwts {
    static final String ISSUER = "chathub";
    static final String KIND = "kind";
    static final String ORGANIZATION = "org";
    static final String COMPANY = "cid";
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    /** Company and operator tokens act for the company or an operator; a visitor token for one website visitor. */
    public enum Kind { COMPANY, OPERATOR, VISITOR }

    /**
     * The verified content of a token. {@code organizationId} is 0 for company tokens; {@code audience} is the
     * widget guid a visitor token was issued through (null for the other kinds).
     */
    public record Claims(Kind kind, long subjectId, long organizationId, long companyId, String jti,
                         Instant issuedAt, Instant expiresAt, String audience) {}

    public record Issued(String token, String jti, Instant expiresAt) {}

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Clock clock;

    public Jwts(byte[] secret, Clock clock) {
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the JWT secret must be at least 32 bytes", e);
        }
        this.clock = clock;
    }

    public Issued issue(Kind kind, long subjectId, long organizationId, long companyId, Instant expiresAt) {
        return issue(kind, subjectId, organizationId, companyId, expiresAt, null);
    }

    /** {@code audience}: for a visitor token, the widget guid it was issued through (its {@code aud} claim). */
    public Issued issue(Kind kind, long subjectId, long organizationId, long companyId, Instant expiresAt, String audience) {
        Instant now = clock.instant();
        String jti = UUID.randomUUID().toString();
        var claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(Long.toString(subjectId))
                .claim(KIND, kind.name().toLowerCase())
                .claim(COMPANY, companyId)
                .jwtID(jti)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt));
        if (kind != Kind.COMPANY) claims.claim(ORGANIZATION, organizationId);
        if (audience != null) claims.audience(audience);
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
        return new Issued(jwt.serialize(), jti, Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }

    /** Verifies signature and claims; throws {@link TokenException} saying "Invalid token" or "token expired". */
    public Claims verify(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw TokenException.invalid("malformed");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) throw TokenException.invalid("algorithm");
        try {
            if (!jwt.verify(verifier)) throw TokenException.invalid("signature");
        } catch (JOSEException e) {
            throw TokenException.invalid("signature");
        }
        try {
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Date exp = c.getExpirationTime();
            Date iat = c.getIssueTime();
            if (exp == null || iat == null || c.getJWTID() == null || !ISSUER.equals(c.getIssuer())) {
                throw TokenException.invalid("claims");
            }
            Instant now = clock.instant();
            if (iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) throw TokenException.invalid("issued in the future");
            Kind kind = parseKind(c.getStringClaim(KIND));
            long subject = Long.parseLong(c.getSubject());
            Long company = c.getLongClaim(COMPANY);
            Long org = c.getLongClaim(ORGANIZATION);
            if (company == null || (kind != Kind.COMPANY && org == null)) throw TokenException.invalid("claims");
            String audience = c.getAudience().isEmpty() ? null : c.getAudience().get(0);
            if (kind == Kind.VISITOR && audience == null) throw TokenException.invalid("claims");
            if (!exp.toInstant().isAfter(now)) throw TokenException.expired();
            return new Claims(kind, subject, org == null ? 0 : org, company, c.getJWTID(), iat.toInstant(), exp.toInstant(),
                    audience);
        } catch (ParseException | NumberFormatException e) {
            throw TokenException.invalid("claims");
        }
    }

    private static Kind parseKind(String kind) {
        if ("company".equals(kind)) return Kind.COMPANY;
        if ("operator".equals(kind)) return Kind.OPERATOR;
        if ("visitor".equals(kind)) return Kind.VISITOR;
        throw TokenException.invalid("kind");
    }
}
