package com.agentcostcontrol.budget.core;

/**
 * What a budget does near its limit instead of refusing: serve the call with a cheaper model
 * (approve with modification). The proxy tries the asked-for model against {@link #thresholdMicros}
 * first; when that budget would be taken past it, the call is switched to {@link #model} and reserved
 * again at the real limits (docs/BUDGETS.md §1a).
 *
 * @param model     the cheaper model that serves the call instead (a catalog model name)
 * @param atPercent from which share of the limit (1..100) calls are downgraded; 100 = only when the
 *                  asked-for model would not fit at all
 */
public record DowngradePolicy(String model, int atPercent) {

    /** The longest model name the catalog holds ({@code model_prices.model}). */
    public static final int MAX_MODEL_LENGTH = 300;

    public DowngradePolicy {
        if (model == null || model.isBlank() || model.length() > MAX_MODEL_LENGTH) {
            throw new IllegalArgumentException("downgrade model must be a model name of 1.." + MAX_MODEL_LENGTH + " characters");
        }
        if (atPercent < 1 || atPercent > 100) {
            throw new IllegalArgumentException("downgrade atPercent is a percentage 1..100, got " + atPercent);
        }
    }

    /** The share of {@code limitMicros} past which calls are downgraded, rounded down to the micro-dollar. */
    public long thresholdMicros(long limitMicros) {
        // limit <= Money.MAX_MICROS (1e15), so limit * 100 cannot overflow a long.
        return limitMicros * atPercent / 100;
    }
}
