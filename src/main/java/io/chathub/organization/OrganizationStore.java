package io.chathub.organization;

import java.util.List;
import java.util.Optional;

public interface OrganizationStore {
    /** Inserts an organization (its id is ignored); returns the stored one. */
    Organization create(Organization organization);

    /** Updates name and settings; returns the stored one. */
    Organization update(Organization organization);

    boolean delete(long id);

    /** Gives the organization a new widget guid: the old one stops working at once. */
    void rotateWidgetGuid(long id, String newGuid);

    /**
     * Inside a transaction: makes other transactions that lock the same organization wait until this
     * one ends, so that read-then-write changes of it or of its operators do not overlap.
     */
    void lock(long id);

    Optional<Organization> findById(long id);

    Optional<Organization> findByWidgetGuid(String guid);

    List<Organization> listByCompany(long companyId);
}
