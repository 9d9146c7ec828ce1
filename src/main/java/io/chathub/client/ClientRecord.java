package io.chathub.client;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A client (customer) of an organization as the console shows it, with how many chats it has. */
public record ClientRecord(long id, long organizationId, int source, String externalId, String name, String phone, String email,
                           String createdAt, String updatedAt, long chats, boolean erased, @JsonIgnore long companyId) {}
