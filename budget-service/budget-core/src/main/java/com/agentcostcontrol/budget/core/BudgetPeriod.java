package com.agentcostcontrol.budget.core;

import java.util.Arrays;
import java.util.Optional;

/** How often a budget starts again. Calendar-aligned in the budget's time zone; weeks start on Monday. */
public enum BudgetPeriod {
    DAILY("daily"), WEEKLY("weekly"), MONTHLY("monthly"), TOTAL("total");

    private final String wire;

    BudgetPeriod(String wire) {
        this.wire = wire;
    }

    /** The name used in JSON and in the database. */
    public String wire() {
        return wire;
    }

    public static Optional<BudgetPeriod> fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(value)).findFirst();
    }
}
