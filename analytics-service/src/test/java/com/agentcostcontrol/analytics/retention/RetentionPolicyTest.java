package com.agentcostcontrol.analytics.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.analytics.config.AnalyticsConfig;

/** Horizons on a fixed clock, and the settings refused at startup. */
class RetentionPolicyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T15:30:00Z"), ZoneOffset.UTC);

    @Test
    void horizonsAreUtcMidnightsWholeDaysBack() {
        RetentionPolicy p = new RetentionPolicy(config("90d", "730d", 5000), CLOCK);
        assertEquals(Optional.of(Instant.parse("2026-09-08T00:00:00Z")), p.callsHorizon());
        assertEquals(Optional.of(LocalDate.parse("2024-12-07")), p.rollupHorizon());
        // One day of margin before the consumer stores an old event again.
        assertTrue(p.tooOldToStore(Instant.parse("2026-09-08T23:59:59.999Z")));
        assertFalse(p.tooOldToStore(Instant.parse("2026-09-09T00:00:00Z")));
    }

    @Test
    void zeroKeepsForever() {
        RetentionPolicy p = new RetentionPolicy(config("0", "0", 5000), CLOCK);
        assertEquals(Optional.empty(), p.callsHorizon());
        assertEquals(Optional.empty(), p.rollupHorizon());
        assertFalse(p.tooOldToStore(Instant.parse("2001-01-01T00:00:00Z")));
        // Raw calls can expire while their rollup is kept forever.
        assertEquals(Optional.empty(), new RetentionPolicy(config("90d", "0", 1), CLOCK).rollupHorizon());
    }

    @Test
    void refusesSettingsThatWouldLoseAnswers() {
        assertEquals("acc.analytics.retention.rollup (30 days) must be 0 (keep forever) or at least "
                + "acc.analytics.retention.calls (90 days): a day's rollup must outlive its raw calls",
                assertThrows(IllegalArgumentException.class,
                        () -> new RetentionPolicy(config("90d", "30d", 10), CLOCK)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(config("0", "730d", 10), CLOCK));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new RetentionPolicy(config("36h", "730d", 10), CLOCK)).getMessage()
                .startsWith("acc.analytics.retention.calls must be a whole number of days"));
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(config("90d", "730d", 0), CLOCK));
    }

    private static AnalyticsConfig.Retention config(String calls, String rollup, int batchSize) {
        return new AnalyticsConfig.Retention() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Duration calls() {
                return parse(calls);
            }

            @Override
            public Duration rollup() {
                return parse(rollup);
            }

            @Override
            public Duration interval() {
                return Duration.ofHours(1);
            }

            @Override
            public Duration initialDelay() {
                return Duration.ofMinutes(1);
            }

            @Override
            public int batchSize() {
                return batchSize;
            }
        };
    }

    private static Duration parse(String value) {
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        return value.endsWith("d") ? Duration.ofDays(Long.parseLong(value.substring(0, value.length() - 1)))
                : Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
    }
}
