package io.chathub.organization;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Whether an organization is within its business hours at an instant, in its own time zone:
 * {@code {"timezone":"Europe/Kyiv","days":{"mon":[["09:00","18:00"]], …}}}. No hours set means always open; with
 * {@code days} set, a day that is not listed is closed. A range ends before its end time ({@code 18:00} is closed).
 */
public final class BusinessHours {
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private BusinessHours() {}

    public static boolean isOpen(JsonNode hours, Instant at) {
        if (hours == null || hours.isNull()) return true;
        JsonNode days = hours.get("days");
        if (days == null || days.isNull() || !days.isObject()) return true;
        ZoneId zone;
        try {
            zone = hours.hasNonNull("timezone") ? ZoneId.of(hours.get("timezone").asText()) : ZoneOffset.UTC;
        } catch (DateTimeException e) {
            zone = ZoneOffset.UTC;
        }
        ZonedDateTime local = at.atZone(zone);
        String day = DAYS.get(local.getDayOfWeek().getValue() - 1);
        JsonNode ranges = days.get(day);
        if (ranges == null || !ranges.isArray()) return false;
        LocalTime time = local.toLocalTime();
        for (JsonNode r : ranges) {
            try {
                LocalTime from = LocalTime.parse(r.get(0).asText());
                LocalTime to = LocalTime.parse(r.get(1).asText());
                if (!time.isBefore(from) && time.isBefore(to)) return true;
            } catch (RuntimeException ignored) {
                // validated on save; a stored range that does not parse is not open
            }
        }
        return false;
    }

}
