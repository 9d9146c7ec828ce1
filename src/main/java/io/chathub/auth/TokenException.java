package io.chathub.auth;

/** A token that is not accepted, with the wire-compatible message: "Invalid token" or "token expired". */
public final class TokenException extends RuntimeException {
    public static final String INVALID = "Invalid token";
    public static final String EXPIRED = "token expired";

    private final String reason;

    private TokenException(String message, String reason) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public static TokenException invalid(String reason) {
        return new TokenException(INVALID, reason);
    }

    public static TokenException expired() {
        return new TokenException(EXPIRED, "expired");
    }

    public boolean isExpired() {
        return EXPIRED.equals(getMessage());
    }

    /** Why, for logs and the problem's {@code reason} member: "malformed", "signature", "revoked", … */
    public String reason() {
        return reason;
    }
}
