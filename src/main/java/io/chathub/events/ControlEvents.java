package io.chathub.events;

/**
 * Events for the servers themselves, never forwarded to clients (their targets start with '$').
 * Sent through the bus so that every node acts on them: the hub closes the connections concerned.
 */
public final class ControlEvents {
    /** args: operatorId, status — a non-Active operator's connections are closed. */
    public static final String OPERATOR_STATUS = "$OperatorStatus";
    /** args: jti — connections that carry this token are closed. */
    public static final String TOKEN_REVOKED = "$TokenRevoked";
    /** args: operatorId — all of the operator's connections are closed. */
    public static final String OPERATOR_TOKENS_REVOKED = "$OperatorTokensRevoked";

    /** no args — the organization's widget guid was rotated: its website visitors' connections are closed. */
    public static final String WIDGET_GUID_ROTATED = "$WidgetGuidRotated";

    /** no args — the organization was deleted: its operators' connections are closed. */
    public static final String ORGANIZATION_DELETED = "$OrganizationDeleted";

    /** no args — the organization's operators changed (synchronize: capacity, new operators); routing re-offers its queue. */
    public static final String OPERATORS_CHANGED = "$OperatorsChanged";

    /** no args — the company's webhooks changed (created, changed, disabled, deleted): every node reads them again. */
    public static final String WEBHOOKS_CHANGED = "$WebhooksChanged";

    private ControlEvents() {}

    /** The events after which a token accepted before may be refused (see {@code Authenticator.forgetTokenStates}). */
    public static boolean refusesTokens(String target) {
        return switch (target) {
            case OPERATOR_STATUS, TOKEN_REVOKED, OPERATOR_TOKENS_REVOKED, WIDGET_GUID_ROTATED, ORGANIZATION_DELETED,
                 OPERATORS_CHANGED -> true;
            default -> false;
        };
    }

    public static boolean isControl(String target) {
        return target.startsWith("$");
    }
}
