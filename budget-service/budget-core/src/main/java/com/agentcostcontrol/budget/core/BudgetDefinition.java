package com.agentcostcontrol.budget.core;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * One budget as the engine needs it.
 *
 * @param id              budget id (a UUID in practice)
 * @param tenantId        owning tenant
 * @param scope           which calls it counts
 * @param period          how often it starts again
 * @param limitMicros     the limit in micro-USD
 * @param mode            hard (refuses) or soft (reports)
 * @param alertThresholds percentages of the limit (1..100) at which an alert fires once per period
 * @param zone            time zone the period is calendar-aligned in
 * @param createdAt       when the budget started counting (the start shown for {@code total} budgets)
 * @param downgrade       what to do near the limit instead of refusing, or {@code null} (refuse / report only)
 */
public record BudgetDefinition(String id, String tenantId, BudgetScope scope, BudgetPeriod period, long limitMicros,
        BudgetMode mode, List<Integer> alertThresholds, ZoneId zone, Instant createdAt, DowngradePolicy downgrade) {

    /** A budget without a downgrade policy. */
    public BudgetDefinition(String id, String tenantId, BudgetScope scope, BudgetPeriod period, long limitMicros,
            BudgetMode mode, List<Integer> alertThresholds, ZoneId zone, Instant createdAt) {
        this(id, tenantId, scope, period, limitMicros, mode, alertThresholds, zone, createdAt, null);
    }

    public BudgetDefinition {
        BudgetKeys.checkId("budget id", id);
        BudgetKeys.checkId("tenant id", tenantId);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(zone, "zone");
        Money.checkAmount("limit", limitMicros);
        alertThresholds = alertThresholds == null ? List.of() : List.copyOf(alertThresholds);
        for (int t : alertThresholds) {
            if (t < 1 || t > 100) {
                throw new IllegalArgumentException("alert thresholds are percentages 1..100, got " + t);
            }
        }
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
    }

    /**
     * This budget as a hard one whose limit is its downgrade threshold (same id, so the same counters):
     * what the asked-for model is tried against first. Itself when it has no policy.
     */
    public BudgetDefinition atDowngradeThreshold() {
        if (downgrade == null) {
            return this;
        }
        return new BudgetDefinition(id, tenantId, scope, period, downgrade.thresholdMicros(limitMicros), BudgetMode.HARD,
                alertThresholds, zone, createdAt, downgrade);
    }

    public boolean hard() {
        return mode == BudgetMode.HARD;
    }

    /** The period this budget is in at {@code at}. */
    public PeriodWindow windowAt(Instant at) {
        return Periods.window(period, zone, at);
    }
}
