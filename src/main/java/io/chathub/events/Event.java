package io.chathub.events;

/**
 * Something that happened, told to connected clients on every node. Each event names its tenant
 * (company and organization) so that delivery can scope it; {@code target} and {@code args} are
 * the hub method and arguments the clients receive (SPEC §3).
 */
public record Event(long companyId, long organizationId, Long operatorId, String target, Object[] args) {

    /** An event for everyone who watches the organization (its operators and its company). */
    public static Event forOrganization(long companyId, long organizationId, String target, Object... args) {
        return new Event(companyId, organizationId, null, target, args);
    }

    /** An event for one operator only (and its company). */
    public static Event forOperator(long companyId, long organizationId, long operatorId, String target, Object... args) {
        return new Event(companyId, organizationId, operatorId, target, args);
    }
}
