package io.chathub.organization;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * An organization (department or brand) of a company, with its settings. {@code businessHours} is
 * a JSON object: {@code {"timezone":"Europe/Kyiv","days":{"mon":[["09:00","18:00"]], …}}}.
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
        String defaultLanguage) {

    /** The list form of the hosted API: {id, name}. */
    public Summary summary() {
        return new Summary(id, name);
    }

    public record Summary(long id, String name) {}
}
