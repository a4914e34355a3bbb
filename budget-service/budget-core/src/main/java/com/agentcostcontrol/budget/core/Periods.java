package com.agentcostcontrol.budget.core;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * Period bounds, calendar-aligned in a time zone. DST-safe: a period starts at the first instant of
 * its first local day ({@link LocalDate#atStartOfDay(ZoneId)} moves a midnight that falls into a DST
 * gap to the first valid time), so days can be 23 or 25 hours long and periods never overlap or leave
 * gaps.
 */
public final class Periods {

    private Periods() {
    }

    public static PeriodWindow window(BudgetPeriod period, ZoneId zone, Instant at) {
        if (period == BudgetPeriod.TOTAL) {
            return new PeriodWindow(Instant.EPOCH, null);
        }
        LocalDate day = at.atZone(zone).toLocalDate();
        LocalDate first = switch (period) {
            case DAILY -> day;
            case WEEKLY -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTHLY -> day.withDayOfMonth(1);
            case TOTAL -> throw new IllegalStateException("unreachable");
        };
        LocalDate next = switch (period) {
            case DAILY -> first.plusDays(1);
            case WEEKLY -> first.plusWeeks(1);
            case MONTHLY -> first.plusMonths(1);
            case TOTAL -> throw new IllegalStateException("unreachable");
        };
        return new PeriodWindow(first.atStartOfDay(zone).toInstant(), next.atStartOfDay(zone).toInstant());
    }
}
