package io.chathub.operator;

/** Operator status as on the wire: 0 Active, 1 Inactive, 2 Deleted. */
public enum OperatorStatus {
    ACTIVE, INACTIVE, DELETED;

    /** The codes and, accepted in requests as an extension, their names. */
    public static final io.chathub.web.WireEnum WIRE = new io.chathub.web.WireEnum("operator status", "Active", "Inactive", "Deleted");

    public int code() {
        return ordinal();
    }

    public static OperatorStatus of(int code) {
        return values()[code];
    }
}
