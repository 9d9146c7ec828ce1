package io.chathub.organization;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.web.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Business hours are read in the organization's own time zone; a day not listed is closed; the end is exclusive. */
class BusinessHoursTest {
    private static JsonNode hours(String json) throws Exception {
        return Json.read(json);
    }

    @Test
    void hoursAreReadInTheOrganizationsTimeZone() throws Exception {
        JsonNode kyiv = hours("{\"timezone\":\"Europe/Kyiv\",\"days\":{\"wed\":[[\"09:00\",\"18:00\"]]}}");
        // Wednesday 2026-12-02: Kyiv is UTC+2 in winter.
        assertThat(BusinessHours.isOpen(kyiv, Instant.parse("2026-12-02T06:59:00Z"))).isFalse(); // 08:59 there
        assertThat(BusinessHours.isOpen(kyiv, Instant.parse("2026-12-02T07:00:00Z"))).isTrue();  // 09:00
        assertThat(BusinessHours.isOpen(kyiv, Instant.parse("2026-12-02T15:59:59Z"))).isTrue();  // 17:59:59
        assertThat(BusinessHours.isOpen(kyiv, Instant.parse("2026-12-02T16:00:00Z"))).isFalse(); // 18:00: closed
        assertThat(BusinessHours.isOpen(kyiv, Instant.parse("2026-12-03T10:00:00Z"))).as("Thursday is not listed").isFalse();
    }

    @Test
    void severalRangesInADayAndTheDayBoundaryOfTheZone() throws Exception {
        JsonNode ny = hours("{\"timezone\":\"America/New_York\",\"days\":{\"tue\":[[\"09:00\",\"12:00\"],[\"13:00\",\"22:00\"]]}}");
        // 2026-12-02T02:30Z is Tuesday 21:30 in New York (UTC-5), though Wednesday in UTC.
        assertThat(BusinessHours.isOpen(ny, Instant.parse("2026-12-02T02:30:00Z"))).isTrue();
        assertThat(BusinessHours.isOpen(ny, Instant.parse("2026-12-01T17:30:00Z"))).as("12:30, the lunch gap").isFalse();
    }

    @Test
    void noHoursOrNoDaysMeansAlwaysOpen() throws Exception {
        assertThat(BusinessHours.isOpen(null, Instant.now())).isTrue();
        assertThat(BusinessHours.isOpen(hours("{\"timezone\":\"Europe/Kyiv\"}"), Instant.now())).isTrue();
        assertThat(BusinessHours.isOpen(hours("{\"days\":{}}"), Instant.now())).as("days given, none open").isFalse();
    }
}
