package io.chathub.canned;

import java.util.List;
import java.util.Optional;

public interface CannedStore {
    /** Inserts one; empty when the organization has that shortcut already. */
    Optional<Long> create(long organizationId, String shortcut, String text);

    /** Changes one; false when another of the organization has that shortcut already. */
    boolean update(long id, String shortcut, String text);

    void delete(long id);

    Optional<CannedResponse> find(long id);

    List<CannedResponse> list(long organizationId);
}
