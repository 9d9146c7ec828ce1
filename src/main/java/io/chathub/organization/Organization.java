package io.chathub.organization;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * An organization (department or brand) of a company, with its settings. {@code businessHours} is
 * a JSON object: {@code {"timezone":"Europe/Kyiv","days":{"mon":[["09:00","18:00"]], …}}}; {@code preChat}
 * the customer chat widget's pre-chat form: {@code {"fields":["name","email"],"required":["email"]}};
 * {@code position} where the widget sits ({@code right}, {@code left}). The identity secret (which signs
 * logged-in customers' external ids) is never written out in full: {@code identitySecret} shows its last four
 * characters.
 */
public record Organization(
        long id,
        @JsonIgnore long companyId,
        String name,
        String widgetGuid,
        List<String> allowedOrigins,
        String greeting,
        JsonNode businessHours,
        String offlineContact,
        String themeColor,
        String defaultLanguage,
        JsonNode preChat,
        String position,
        @JsonIgnore String identitySecret) {

    /** An organization without widget settings. */
    public Organization(long id, long companyId, String name, String widgetGuid, List<String> allowedOrigins, String greeting,
                        JsonNode businessHours, String offlineContact, String themeColor, String defaultLanguage) {
        this(id, companyId, name, widgetGuid, allowedOrigins, greeting, businessHours, offlineContact, themeColor,
                defaultLanguage, null, null, null);
    }

    /** The identity secret as shown: {@code "…" + its last four characters}, or null when none is set. */
    @JsonProperty("identitySecret")
    public String identitySecretHint() {
        return identitySecret == null ? null : "…" + identitySecret.substring(Math.max(0, identitySecret.length() - 4));
    }

    /** The list form of the hosted API: {id, name}. */
    public Summary summary() {
        return new Summary(id, name);
    }

    public record Summary(long id, String name) {}
}
