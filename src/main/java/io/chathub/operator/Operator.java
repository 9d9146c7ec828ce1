package io.chathub.operator;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** An operator as the API shows it: {id, name, status, organization:{id, name}} and the (ext) profile fields. */
public record Operator(
        long id,
        String name,
        int status,
        OrganizationRef organization,
        String externalId,
        String email,
        String photo,
        int maxChats,
        @JsonIgnore long companyId) {

    public record OrganizationRef(long id, String name) {}

    @JsonIgnore
    public boolean isActive() {
        return status == OperatorStatus.ACTIVE.code();
    }

    /** The synchronize response form: {id, name, status}. */
    public Summary summary() {
        return new Summary(id, name, status);
    }

    public record Summary(long id, String name, int status) {}
}
