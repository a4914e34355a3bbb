package com.agentcostcontrol.analytics.service;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import com.agentcostcontrol.platform.error.ApiException;

/** Reading the analytics API's query parameters ({@code docs/ANALYTICS.md}); errors are 400s naming the parameter. */
final class QueryParams {

    /** An unencoded {@code +02:00} arrives as {@code " 02:00"}: a '+' in a query string decodes to a space. */
    private static final Pattern UNENCODED_PLUS_OFFSET = Pattern.compile(".+T.+ \\d\\d:\\d\\d");

    private QueryParams() {
    }

    /**
     * An ISO-8601 instant with a zone offset ({@code 2026-11-01T00:00:00Z}, {@code ...+02:00}) or a date
     * ({@code 2026-11-01}, a UTC day: its start, or — as an exclusive {@code end} — the start of the next day, so
     * that the day is covered whole).
     */
    static Instant instant(String name, String text, boolean end) {
        String t = text.strip();
        if (UNENCODED_PLUS_OFFSET.matcher(t).matches()) {
            t = t.substring(0, t.length() - 6) + "+" + t.substring(t.length() - 5);
        }
        try {
            if (t.length() == 10) {
                LocalDate day = LocalDate.parse(t);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException e) {
            throw ApiException.badRequest(name, name + " must be an ISO-8601 instant with an offset, e.g. "
                    + "2026-11-01T00:00:00Z, or a date (a UTC day), e.g. 2026-11-01 (got \"" + clip(text) + "\")");
        }
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** A caller's value, shortened for an error message. */
    static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
