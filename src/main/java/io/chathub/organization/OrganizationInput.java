package io.chathub.organization;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * An organization's name and settings as a request gave them. {@code present} names the fields the
 * request contained: on update, absent fields stay as they are and present nulls clear the setting.
 * {@code rotateIdentitySecret} and {@code rotateWidgetGuid} are actions, not settings: {@code true} makes a new
 * random identity secret (shown in full in that answer only) or a new widget guid (the old one stops working).
 */
public record OrganizationInput(
        String name,
        List<String> allowedOrigins,
        String greeting,
        JsonNode businessHours,
        String offlineContact,
        String themeColor,
        String defaultLanguage,
        JsonNode preChat,
        String position,
        String identitySecret,
        boolean rotateIdentitySecret,
        boolean rotateWidgetGuid,
        Set<String> present) {

    public static final List<String> FIELDS = List.of(
            "name", "allowedOrigins", "greeting", "businessHours", "offlineContact", "themeColor", "defaultLanguage",
            "preChat", "position", "identitySecret");

    public boolean has(String field) {
        return present.contains(field);
    }
}
