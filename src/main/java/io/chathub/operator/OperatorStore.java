package io.chathub.operator;

import java.util.List;
import java.util.Optional;

public interface OperatorStore {
    /** The profile fields an operator is created or updated with. */
    record Profile(String name, String externalId, String email, String photo, int maxChats) {}

    long create(long organizationId, Profile profile);

    void update(long id, Profile profile);

    void setStatus(long id, OperatorStatus status);

    Optional<Operator> findById(long id);

    Optional<Operator> findByExternalId(long organizationId, String externalId);

    /** The oldest operator of the organization with this name; when {@code withoutExternalId}, only among those with none. */
    Optional<Operator> findByName(long organizationId, String name, boolean withoutExternalId);

    List<Operator> listByOrganization(long organizationId);

    List<Operator> listByCompany(long companyId);
}
