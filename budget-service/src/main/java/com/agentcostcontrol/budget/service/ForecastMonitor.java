package com.agentcostcontrol.budget.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.BudgetStatus;
import com.agentcostcontrol.budget.config.BudgetConfig;
import com.agentcostcontrol.budget.repository.BudgetRepository;

import io.quarkus.scheduler.Scheduled;

/**
 * The periodic forecast of every budget, with the status endpoint's method
 * ({@link BudgetStatusService#status}): refreshes the per-budget gauges and fires a
 * {@code budget.exhaustion_forecast} alert once per period when the projected spend at period end exceeds
 * the limit. A budget must have been counting in its period for {@code alert-min-observation} first, and
 * {@code total} budgets (no period end) are never forecast.
 */
@ApplicationScoped
public class ForecastMonitor {

    private static final Logger LOG = Logger.getLogger(ForecastMonitor.class);

    /** What one run did. */
    public record Report(int budgets, int alerts, int failures) {
    }

    private final BudgetRepository budgets;
    private final BudgetStatusService statuses;
    private final ForecastAlerts alerts;
    private final BudgetGauges gauges;
    private final Duration minObservation;
    /** Last good reading per budget: kept on the gauges when Redis cannot be read for a run. */
    private final Map<UUID, BudgetGauges.Reading> last = new ConcurrentHashMap<>();

    public ForecastMonitor(BudgetRepository budgets, BudgetStatusService statuses, ForecastAlerts alerts, BudgetGauges gauges,
            BudgetConfig config) {
        this.budgets = budgets;
        this.statuses = statuses;
        this.alerts = alerts;
        this.gauges = gauges;
        this.minObservation = config.forecast().alertMinObservation();
    }

    @Scheduled(every = "${acc.budget.forecast.check-interval:1m}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("budget forecast run failed (%s); retrying at the next run", e.getMessage());
        }
    }

    /** Forecasts every budget as of {@code now}. */
    public Report run(Instant now) {
        List<Budget> all = budgets.all();
        List<BudgetGauges.Reading> readings = new ArrayList<>(all.size());
        int fired = 0;
        int failures = 0;
        for (Budget b : all) {
            BudgetStatus s;
            try {
                s = statuses.status(b, now);
            } catch (RuntimeException e) {
                failures++;
                BudgetGauges.Reading previous = last.get(b.id());
                if (previous != null) {
                    readings.add(previous);
                }
                continue;
            }
            BudgetGauges.Reading reading = new BudgetGauges.Reading(b, s, now);
            readings.add(reading);
            last.put(b.id(), reading);
            if (forecastExceedsLimit(b, s, now)) {
                try {
                    if (alerts.fire(b, b.definition().windowAt(now), s, now)) {
                        fired++;
                    }
                } catch (RuntimeException e) {
                    failures++;
                    LOG.warnf("cannot record the forecast alert of budget %s: %s", b.id(), e.getMessage());
                }
            }
        }
        last.keySet().retainAll(all.stream().map(Budget::id).collect(Collectors.toSet()));
        gauges.update(readings);
        if (failures > 0) {
            LOG.warnf("budget forecast: %d of %d budgets could not be evaluated (Redis or database trouble)", failures,
                    all.size());
        }
        return new Report(all.size(), fired, failures);
    }

    private boolean forecastExceedsLimit(Budget b, BudgetStatus s, Instant now) {
        if (s.periodEnd() == null || s.projectedMicros() <= s.limitMicros()) {
            return false;
        }
        Instant created = b.definition().createdAt();
        Instant countingFrom = created.isAfter(s.periodStart()) ? created : s.periodStart();
        return !Duration.between(countingFrom, now).minus(minObservation).isNegative();
    }
}
