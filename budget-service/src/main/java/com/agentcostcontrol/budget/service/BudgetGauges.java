package com.agentcostcontrol.budget.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.BudgetStatus;
import com.agentcostcontrol.budget.config.BudgetConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * Per-budget Prometheus gauges, tagged {@code budget_id} and {@code tenant_id}: {@code acc_budget_spent_usd},
 * {@code acc_budget_limit_usd}, {@code acc_budget_projected_usd} (period-end forecast) and
 * {@code acc_budget_exhaustion_seconds} (time until the forecast reaches the limit; 0 when exhausted,
 * +Inf when not this period). Refreshed by {@link ForecastMonitor}; a deleted budget's series disappear
 * at the next refresh. Cardinality: 4 series per budget, at most {@code acc.budget.metrics.max-budgets}
 * budgets (those closest to their limit are kept). Prometheus values are doubles: USD here are for
 * dashboards and alert rules, the API's decimal strings stay the exact figures.
 */
@ApplicationScoped
public class BudgetGauges {

    /** One budget's figures at one time. */
    public record Reading(Budget budget, BudgetStatus status, Instant at) {
        double usage() {
            return status.limitMicros() == 0 ? Double.POSITIVE_INFINITY : (double) status.spentMicros() / status.limitMicros();
        }
    }

    private final MultiGauge spent;
    private final MultiGauge limit;
    private final MultiGauge projected;
    private final MultiGauge exhaustion;
    private final int maxBudgets;

    public BudgetGauges(MeterRegistry registry, BudgetConfig config) {
        this.maxBudgets = config.metrics().maxBudgets();
        this.spent = MultiGauge.builder("acc.budget.spent.usd").description("Spend of the budget's current period, USD")
                .register(registry);
        this.limit = MultiGauge.builder("acc.budget.limit.usd").description("The budget's limit, USD").register(registry);
        this.projected = MultiGauge.builder("acc.budget.projected.usd")
                .description("Forecast spend at the end of the budget's period, USD").register(registry);
        this.exhaustion = MultiGauge.builder("acc.budget.exhaustion.seconds")
                .description("Seconds until the forecast reaches the budget's limit (0: exhausted, +Inf: not this period)")
                .register(registry);
    }

    /** Replaces every series with these readings (budgets missing from them are dropped). */
    public void update(List<Reading> readings) {
        List<Reading> kept = readings;
        if (readings.size() > maxBudgets) {
            kept = readings.stream().sorted(Comparator.comparingDouble(Reading::usage).reversed()).limit(maxBudgets).toList();
        }
        List<MultiGauge.Row<?>> spentRows = new ArrayList<>(kept.size());
        List<MultiGauge.Row<?>> limitRows = new ArrayList<>(kept.size());
        List<MultiGauge.Row<?>> projectedRows = new ArrayList<>(kept.size());
        List<MultiGauge.Row<?>> exhaustionRows = new ArrayList<>(kept.size());
        for (Reading r : kept) {
            Tags tags = Tags.of("budget_id", r.budget().id().toString(), "tenant_id", r.budget().tenantId().toString());
            BudgetStatus s = r.status();
            spentRows.add(MultiGauge.Row.of(tags, usd(s.spentMicros())));
            limitRows.add(MultiGauge.Row.of(tags, usd(s.limitMicros())));
            projectedRows.add(MultiGauge.Row.of(tags, usd(s.projectedMicros())));
            exhaustionRows.add(MultiGauge.Row.of(tags, secondsUntil(s.exhaustionAt(), r.at())));
        }
        spent.register(spentRows, true);
        limit.register(limitRows, true);
        projected.register(projectedRows, true);
        exhaustion.register(exhaustionRows, true);
    }

    private static double usd(long micros) {
        return micros / 1_000_000.0;
    }

    private static double secondsUntil(Instant at, Instant now) {
        if (at == null) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(0, Duration.between(now, at).toMillis()) / 1000.0;
    }
}
