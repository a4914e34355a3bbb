package com.agentcostcontrol.budget.core;

import java.util.Arrays;
import java.util.Optional;

/** A hard budget refuses calls that could take it over its limit; a soft one only reports crossing it. */
public enum BudgetMode {
    HARD("hard"), SOFT("soft");

    private final String wire;

    BudgetMode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<BudgetMode> fromWire(String value) {
        return Arrays.stream(values()).filter(m -> m.wire.equals(value)).findFirst();
    }
}
