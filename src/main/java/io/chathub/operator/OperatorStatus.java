package io.chathub.operator;

/** Operator status as on the wire: 0 Active, 1 Inactive, 2 Deleted. */
public enum OperatorStatus {
    ACTIVE, INACTIVE, DELETED;

    public int code() {
        return ordinal();
    }

    public static OperatorStatus of(int code) {
        return values()[code];
    }
}
