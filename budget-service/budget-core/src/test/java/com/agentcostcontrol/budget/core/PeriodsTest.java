package com.agentcostcontrol.budget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class PeriodsTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void dailyIsTheLocalCalendarDay() {
        PeriodWindow w = Periods.window(BudgetPeriod.DAILY, BERLIN, Instant.parse("2025-06-10T21:59:59Z"));
        assertEquals(Instant.parse("2025-06-09T22:00:00Z"), w.start());
        assertEquals(Instant.parse("2025-06-10T22:00:00Z"), w.end());
        // One second later it is the next local day.
        PeriodWindow next = Periods.window(BudgetPeriod.DAILY, BERLIN, Instant.parse("2025-06-10T22:00:00Z"));
        assertEquals(w.end(), next.start());
    }

    @Test
    void dstDaysAreTwentyThreeAndTwentyFiveHoursLong() {
        PeriodWindow spring = Periods.window(BudgetPeriod.DAILY, BERLIN, Instant.parse("2025-03-30T12:00:00Z"));
        assertEquals(Duration.ofHours(23), Duration.between(spring.start(), spring.end()));
        PeriodWindow autumn = Periods.window(BudgetPeriod.DAILY, BERLIN, Instant.parse("2025-10-26T12:00:00Z"));
        assertEquals(Duration.ofHours(25), Duration.between(autumn.start(), autumn.end()));
    }

    @Test
    void aMidnightInsideADstGapStartsAtTheFirstValidTime() {
        // Sao Paulo moved its clocks from 00:00 to 01:00 on 2018-11-04: that day began at 01:00 local (03:00Z).
        ZoneId saoPaulo = ZoneId.of("America/Sao_Paulo");
        PeriodWindow w = Periods.window(BudgetPeriod.DAILY, saoPaulo, Instant.parse("2018-11-04T12:00:00Z"));
        assertEquals(Instant.parse("2018-11-04T03:00:00Z"), w.start());
        assertEquals(Instant.parse("2018-11-05T02:00:00Z"), w.end());
        PeriodWindow before = Periods.window(BudgetPeriod.DAILY, saoPaulo, Instant.parse("2018-11-04T02:59:59Z"));
        assertEquals(w.start(), before.end());
    }

    @Test
    void weeksStartOnMonday() {
        // 2025-01-01 is a Wednesday.
        PeriodWindow w = Periods.window(BudgetPeriod.WEEKLY, ZoneOffset.UTC, Instant.parse("2025-01-01T10:00:00Z"));
        assertEquals(Instant.parse("2024-12-30T00:00:00Z"), w.start());
        assertEquals(Instant.parse("2025-01-06T00:00:00Z"), w.end());
        PeriodWindow sunday = Periods.window(BudgetPeriod.WEEKLY, ZoneOffset.UTC, Instant.parse("2025-01-05T23:59:59Z"));
        assertEquals(w, sunday);
        // A week that contains the spring DST switch is 167 hours long in Berlin.
        PeriodWindow dstWeek = Periods.window(BudgetPeriod.WEEKLY, BERLIN, Instant.parse("2025-03-27T12:00:00Z"));
        assertEquals(Duration.ofHours(167), Duration.between(dstWeek.start(), dstWeek.end()));
    }

    @Test
    void monthsAreCalendarMonthsInTheZone() {
        PeriodWindow feb = Periods.window(BudgetPeriod.MONTHLY, ZoneOffset.UTC, Instant.parse("2024-02-29T23:00:00Z"));
        assertEquals(Instant.parse("2024-02-01T00:00:00Z"), feb.start());
        assertEquals(Instant.parse("2024-03-01T00:00:00Z"), feb.end());
        // 2025-01-31T23:30Z is already February 1st in Berlin.
        PeriodWindow berlin = Periods.window(BudgetPeriod.MONTHLY, BERLIN, Instant.parse("2025-01-31T23:30:00Z"));
        assertEquals(Instant.parse("2025-01-31T23:00:00Z"), berlin.start());
        assertEquals(Instant.parse("2025-02-28T23:00:00Z"), berlin.end());
        PeriodWindow tokyo = Periods.window(BudgetPeriod.MONTHLY, ZoneId.of("Asia/Tokyo"), Instant.parse("2025-12-31T15:00:00Z"));
        assertEquals(Instant.parse("2025-12-31T15:00:00Z"), tokyo.start());
    }

    @Test
    void totalNeverEnds() {
        PeriodWindow w = Periods.window(BudgetPeriod.TOTAL, BERLIN, Instant.parse("2030-01-01T00:00:00Z"));
        assertEquals(Instant.EPOCH, w.start());
        assertNull(w.end());
        assertEquals("total", w.token());
        assertTrue(w.contains(Instant.parse("2999-01-01T00:00:00Z")));
    }
}
