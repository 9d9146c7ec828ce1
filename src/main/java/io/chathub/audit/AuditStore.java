package io.chathub.audit;

import java.util.List;

public interface AuditStore {
    /** A change to record; {@code at} epoch ms. */
    record NewEntry(long companyId, long at, String actorType, Long actorId, String actorLogin, String action,
                    String objectType, String objectId, String detail, String ip) {}

    /** Joins the caller's transaction. */
    void insert(NewEntry entry);

    /** Newest first; each bound null for none ({@code to} exclusive, {@code before} an id). */
    List<AuditEntry> list(long companyId, Long from, Long to, Long before, int limit);

    /** The login of a company (the actor of a company token). */
    String companyLogin(long companyId);
}
