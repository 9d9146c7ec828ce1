package io.chathub.web;

import io.javalin.http.Context;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Time query parameters: an ISO-8601 date-time (UTC when it has no offset) or a date (its UTC midnight). */
public final class Times {
    private Times() {}

    /**
     * The parameter as epoch ms, null when absent. A date is its start; with {@code endOfDay} a date is the start
     * of the next day (so {@code to=2026-12-03} includes that day).
     */
    public static Long queryInstant(Context ctx, String name, boolean endOfDay) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        String s = v.strip();
        try {
            if (s.length() <= 10) {
                LocalDate d = LocalDate.parse(s);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name, "'" + name + "' must be an ISO-8601 date-time or a date (YYYY-MM-DD), got '" + v + "'");
        }
    }
}
