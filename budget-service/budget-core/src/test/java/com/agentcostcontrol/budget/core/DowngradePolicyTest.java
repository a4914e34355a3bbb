package com.agentcostcontrol.budget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

class DowngradePolicyTest {

    private static BudgetDefinition budget(BudgetMode mode, long limit, DowngradePolicy p) {
        return new BudgetDefinition("b1", "t1", BudgetScope.tenant(), BudgetPeriod.MONTHLY, limit, mode, List.of(50),
                ZoneId.of("UTC"), Instant.EPOCH, p);
    }

    @Test
    void thresholdIsTheShareOfTheLimitRoundedDown() {
        assertEquals(899_999, new DowngradePolicy("m", 90).thresholdMicros(999_999));
        assertEquals(999_999, new DowngradePolicy("m", 100).thresholdMicros(999_999));
        assertEquals(0, new DowngradePolicy("m", 1).thresholdMicros(99));
        assertEquals(Money.MAX_MICROS / 2, new DowngradePolicy("m", 50).thresholdMicros(Money.MAX_MICROS));
    }

    @Test
    void atTheThresholdABudgetIsHardWithTheSameCounters() {
        BudgetDefinition soft = budget(BudgetMode.SOFT, 10_000_000, new DowngradePolicy("gpt-4o-mini", 90));
        BudgetDefinition t = soft.atDowngradeThreshold();
        assertTrue(t.hard());
        assertEquals(9_000_000, t.limitMicros());
        assertEquals(soft.id(), t.id());
        assertEquals(soft.windowAt(Instant.EPOCH), t.windowAt(Instant.EPOCH));
        assertEquals(soft.downgrade(), t.downgrade());
        BudgetDefinition none = budget(BudgetMode.HARD, 10_000_000, null);
        assertSame(none, none.atDowngradeThreshold());
        assertNull(new BudgetDefinition("b2", "t1", BudgetScope.tenant(), BudgetPeriod.DAILY, 1, BudgetMode.HARD, List.of(),
                ZoneId.of("UTC"), Instant.EPOCH).downgrade());
    }

    @Test
    void badPoliciesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DowngradePolicy("m", 0));
        assertThrows(IllegalArgumentException.class, () -> new DowngradePolicy("m", 101));
        assertThrows(IllegalArgumentException.class, () -> new DowngradePolicy(" ", 50));
        assertThrows(IllegalArgumentException.class, () -> new DowngradePolicy(null, 50));
        assertThrows(IllegalArgumentException.class, () -> new DowngradePolicy("x".repeat(301), 50));
    }
}
