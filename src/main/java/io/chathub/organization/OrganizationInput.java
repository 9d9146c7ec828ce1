package io.chathub.organization;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * An organization's name and settings as a request gave them. {@code present} names the fields the
 * request contained: on update, absent fields stay as they are and present nulls clear the setting.
 */
public record OrganizationInput(
        String name,
        List<String> allowedOrigins,
        String greeting,
        JsonNode businessHours,
        String offlineContact,
        String themeColor,
        String defaultLanguage,
        Set<String> present) {

    public static final List<String> FIELDS = List.of(
            "name", "allowedOrigins", "greeting", "businessHours", "offlineContact", "themeColor", "defaultLanguage");

    public boolean has(String field) {
        return present.contains(field);
    }
}
