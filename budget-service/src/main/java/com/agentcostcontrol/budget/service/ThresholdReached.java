package com.agentcostcontrol.budget.service;

import java.time.Instant;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.core.PeriodWindow;

/**
 * CDI event: a budget's alert threshold was reached for the first time in a period (recorded in
 * {@code budget_alerts}). Fired inside the recording transaction.
 */
public record ThresholdReached(Budget budget, PeriodWindow window, int threshold, long spentMicros, Instant firedAt) {
}
