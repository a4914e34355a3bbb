package com.agentcostcontrol.budget.rest;

import java.time.Instant;

import com.agentcostcontrol.budget.ForecastAlert;
import com.agentcostcontrol.budget.core.Money;

/** One exhaustion forecast alert (fires once per period), with the figures it was fired on. */
public record ForecastAlertView(Instant periodStart, String spentUsd, String limitUsd, String projectedUsd, Instant exhaustionAt,
        Instant firedAt) {

    static ForecastAlertView of(ForecastAlert a) {
        return new ForecastAlertView(a.periodStart(), Money.formatUsd(a.spentMicros()), Money.formatUsd(a.limitMicros()),
                Money.formatUsd(a.projectedMicros()), a.exhaustionAt(), a.firedAt());
    }
}
