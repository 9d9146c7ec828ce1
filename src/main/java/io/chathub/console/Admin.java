package io.chathub.console;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** An administrator of a company, as the API shows it (never its password hash). */
public record Admin(long id, String login, String role, String createdAt, String updatedAt,
                    @JsonIgnore long companyId, @JsonIgnore String passwordHash) {}
