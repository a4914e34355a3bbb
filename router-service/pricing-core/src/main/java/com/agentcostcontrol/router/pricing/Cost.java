package com.agentcostcontrol.router.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The exact cost of a call in USD, per dimension and in total. Nothing is rounded here: the
 * only rounding is {@link #totalMicros()} / {@link #toDecimalString()}, once, on the total.
 *
 * @param input           uncached input tokens
 * @param cacheRead       cache-read input tokens
 * @param cacheWrite5m    5-minute cache-write input tokens
 * @param cacheWrite1h    1-hour cache-write input tokens
 * @param output          output tokens other than reasoning
 * @param reasoning       reasoning output tokens
 * @param total           the sum of the above
 * @param tierAboveTokens the long-context tier applied (its threshold in input tokens), 0 when none
 */
public record Cost(BigDecimal input, BigDecimal cacheRead, BigDecimal cacheWrite5m, BigDecimal cacheWrite1h,
        BigDecimal output, BigDecimal reasoning, BigDecimal total, long tierAboveTokens) {

    /** Micro-USD per USD. */
    public static final int MICROS_SCALE = 6;

    public static final Cost ZERO = of(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
            BigDecimal.ZERO, BigDecimal.ZERO, 0);

    /** A cost whose total is the sum of the given dimensions. */
    public static Cost of(BigDecimal input, BigDecimal cacheRead, BigDecimal cacheWrite5m, BigDecimal cacheWrite1h,
            BigDecimal output, BigDecimal reasoning, long tierAboveTokens) {
        BigDecimal total = input.add(cacheRead).add(cacheWrite5m).add(cacheWrite1h).add(output).add(reasoning);
        return new Cost(input, cacheRead, cacheWrite5m, cacheWrite1h, output, reasoning, total, tierAboveTokens);
    }

    /** The total in integer micro-USD, rounded half-up once. */
    public long totalMicros() {
        return total.movePointRight(MICROS_SCALE).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** The total as a decimal string with 6 decimals, e.g. {@code "0.001234"}; never scientific notation. */
    public String toDecimalString() {
        return total.setScale(MICROS_SCALE, RoundingMode.HALF_UP).toPlainString();
    }

    /** Converts integer micro-USD to the same decimal-string form. */
    public static String microsToDecimalString(long micros) {
        return BigDecimal.valueOf(micros, MICROS_SCALE).toPlainString();
    }

    public boolean tierApplied() {
        return tierAboveTokens > 0;
    }
}
