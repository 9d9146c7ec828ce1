package io.chathub.audit;

/** One recorded change: who (actor), what (action on an object, with a short detail), when and from where. */
public record AuditEntry(long id, String at, Actor actor, String action, String objectType, String objectId, String detail,
                         String ip) {
    /** {@code type}: company, admin or operator. */
    public record Actor(String type, Long id, String login) {}
}
