package com.agentcostcontrol.budget.service;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.BudgetStatus;
import com.agentcostcontrol.budget.config.BudgetConfig;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.BudgetUsage;
import com.agentcostcontrol.budget.core.CounterSnapshot;
import com.agentcostcontrol.budget.core.PeriodWindow;
import com.agentcostcontrol.budget.repository.LedgerRepository;

/**
 * A budget's live state (Redis counters) and its forecast.
 *
 * <p>Forecast method: the burn rate is the larger of (a) spend so far in the period divided by the time
 * the budget has been counting in it, and (b) the ledger's spend in the recent window
 * ({@code acc.budget.forecast.recent-window}, default 1 h) divided by that window. Taking the larger
 * warns early when spending accelerates, and does not relax because of a quiet last hour. Both spans are
 * at least {@code acc.budget.forecast.minimum-span}. Projected spend = spent + rate x time left in the
 * period (for {@code total} budgets, which never end: the current spend). Exhaustion = now + (limit -
 * spent) / rate, reported only if it falls inside the current period; {@code now} when already exhausted;
 * {@code null} when the rate is zero.
 */
@ApplicationScoped
public class BudgetStatusService {

    private final BudgetEngine engine;
    private final LedgerRepository ledger;
    private final BudgetConfig config;

    public BudgetStatusService(BudgetEngine engine, LedgerRepository ledger, BudgetConfig config) {
        this.engine = engine;
        this.ledger = ledger;
        this.config = config;
    }

    public BudgetStatus status(Budget budget, Instant now) {
        BudgetDefinition d = budget.definition();
        CounterSnapshot snapshot = RedisCalls.await(engine.status(d.tenantId(), List.of(d), now), "read the budget's counters");
        BudgetUsage usage = snapshot.usages().get(0);
        PeriodWindow w = usage.window();
        Instant countingFrom = d.createdAt().isAfter(w.start()) ? d.createdAt() : w.start();
        long spent = usage.spentMicros();
        if (!snapshot.synced()) {
            // Redis lost the counters and they are not rebuilt yet: the ledger is the better answer meanwhile.
            spent = Math.max(spent, ledger.sum(budget.tenantId(), budget.id(), w.start(), w.end()));
        }
        long reserved = usage.reservedMicros();
        long remaining = Math.max(0, d.limitMicros() - spent - reserved);

        Duration minimum = config.forecast().minimumSpan();
        BigDecimal periodRate = rate(spent, Duration.between(countingFrom, now), minimum);
        Instant recentFrom = now.minus(config.forecast().recentWindow());
        if (recentFrom.isBefore(countingFrom)) {
            recentFrom = countingFrom;
        }
        long recentSpent = ledger.sum(budget.tenantId(), budget.id(), recentFrom, null);
        BigDecimal recentRate = rate(recentSpent, Duration.between(recentFrom, now), minimum);
        BigDecimal perMilli = periodRate.max(recentRate);

        long projected = spent;
        if (w.end() != null && w.end().isAfter(now)) {
            projected = spent + perMilli.multiply(BigDecimal.valueOf(Duration.between(now, w.end()).toMillis()))
                    .setScale(0, RoundingMode.HALF_UP).longValueExact();
        }
        Instant exhaustionAt = null;
        long left = d.limitMicros() - spent;
        if (left <= 0) {
            exhaustionAt = now;
        } else if (perMilli.signum() > 0) {
            long millis = BigDecimal.valueOf(left).divide(perMilli, 0, RoundingMode.CEILING).min(BigDecimal.valueOf(Long.MAX_VALUE / 4))
                    .longValue();
            Instant at = now.plusMillis(millis);
            exhaustionAt = w.end() == null || at.isBefore(w.end()) ? at : null;
        }
        Instant periodStart = w.unbounded() ? d.createdAt() : w.start();
        return new BudgetStatus(d.limitMicros(), spent, reserved, remaining, periodStart, w.end(), projected, exhaustionAt);
    }

    /** Micro-USD per millisecond over a span of at least {@code minimum}. */
    private static BigDecimal rate(long micros, Duration span, Duration minimum) {
        long millis = Math.max(span.toMillis(), minimum.toMillis());
        if (micros <= 0 || millis <= 0) {
            return BigDecimal.ZERO;
        }
        return BigDecimal.valueOf(micros).divide(BigDecimal.valueOf(millis), MathContext.DECIMAL64);
    }
}
