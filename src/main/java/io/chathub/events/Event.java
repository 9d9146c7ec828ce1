package io.chathub.events;

/**
 * Something that happened, told to connected clients on every node. Each event names its tenant
 * (company and organization) so that delivery can scope it; {@code target} and {@code args} are
 * the hub method and arguments the clients receive (SPEC §3). {@code clientId}, on a chat's events, is the
 * chat's client: the website visitors who write as that client hear the events meant for them too.
 */
public record Event(long companyId, long organizationId, Long operatorId, Long clientId, String target, Object[] args) {

    /** An event for everyone who watches the organization (its operators and its company). */
    public static Event forOrganization(long companyId, long organizationId, String target, Object... args) {
        return new Event(companyId, organizationId, null, null, target, args);
    }

    /** An event of one chat: for the organization's watchers and for the chat's client's visitors. */
    public static Event forChat(long companyId, long organizationId, long clientId, String target, Object... args) {
        return new Event(companyId, organizationId, null, clientId, target, args);
    }

    /** An event for one operator only (and its company). */
    public static Event forOperator(long companyId, long organizationId, long operatorId, String target, Object... args) {
        return new Event(companyId, organizationId, operatorId, null, target, args);
    }
}
