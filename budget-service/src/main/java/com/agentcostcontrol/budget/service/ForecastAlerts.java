package com.agentcostcontrol.budget.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.BudgetStatus;
import com.agentcostcontrol.budget.ForecastAlert;
import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.budget.core.PeriodWindow;
import com.agentcostcontrol.budget.repository.ForecastAlertRepository;

/** Records a {@code budget.exhaustion_forecast} alert once per budget period, with its webhook delivery. */
@ApplicationScoped
public class ForecastAlerts {

    private static final Logger LOG = Logger.getLogger(ForecastAlerts.class);

    private final ForecastAlertRepository alerts;
    private final Event<ForecastReached> reached;

    public ForecastAlerts(ForecastAlertRepository alerts, Event<ForecastReached> reached) {
        this.alerts = alerts;
        this.reached = reached;
    }

    /** The budget's forecast alerts, oldest first. */
    public List<ForecastAlert> ofBudget(Budget budget) {
        return alerts.ofBudget(budget.id());
    }

    /** Answers whether the alert is new in this period (then its delivery is enqueued in the same transaction). */
    @Transactional
    public boolean fire(Budget budget, PeriodWindow window, BudgetStatus status, Instant now) {
        ForecastAlert alert = new ForecastAlert(budget.id(), window.start(), status.spentMicros(), status.limitMicros(),
                status.projectedMicros(), status.exhaustionAt(), now);
        if (!alerts.fireOnce(budget.id(), budget.tenantId(), alert)) {
            return false;
        }
        LOG.infof("budget %s of tenant %s is forecast to reach its limit of %s USD at %s (projected %s USD by %s)",
                budget.id(), budget.tenantId(), Money.formatUsd(status.limitMicros()), status.exhaustionAt(),
                Money.formatUsd(status.projectedMicros()), status.periodEnd());
        reached.fire(new ForecastReached(budget, window, status, now));
        return true;
    }
}
