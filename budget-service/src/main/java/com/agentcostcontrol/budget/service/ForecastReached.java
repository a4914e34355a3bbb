package com.agentcostcontrol.budget.service;

import java.time.Instant;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.BudgetStatus;
import com.agentcostcontrol.budget.core.PeriodWindow;

/**
 * CDI event: a budget is forecast to reach its limit before its period ends, for the first time in the
 * period (recorded in {@code budget_forecast_alerts}). Fired inside the recording transaction.
 */
public record ForecastReached(Budget budget, PeriodWindow window, BudgetStatus status, Instant firedAt) {
}
