package com.agentcostcontrol.budget.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Money as integer micro-USD ({@code long}) and its JSON form, a decimal string with exactly six
 * decimals ({@code "0.001234"}). Never a float: parsing goes through {@link BigDecimal}.
 */
public final class Money {

    /** Micro-USD per USD. */
    public static final long MICROS_PER_USD = 1_000_000L;
    /**
     * Largest amount accepted anywhere in the protocol: USD 1e9. Keeps every sum the Redis scripts
     * compute below 2^53, where Lua's double arithmetic is exact.
     */
    public static final long MAX_MICROS = 1_000_000_000L * MICROS_PER_USD;

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private Money() {
    }

    /**
     * Parses a non-negative USD decimal string ({@code "12"}, {@code "0.5"}, {@code "0.000001"}).
     *
     * @throws MoneyFormatException when the text is not a plain decimal, is negative, has more than
     *                              six decimals or exceeds {@link #MAX_MICROS}
     */
    public static long parseUsd(String text) {
        if (text == null || !DECIMAL.matcher(text).matches()) {
            throw new MoneyFormatException("must be a decimal string such as \"10.50\" (got "
                    + (text == null ? "nothing" : "\"" + abbreviate(text) + "\"") + ")");
        }
        BigDecimal usd = new BigDecimal(text);
        if (usd.signum() < 0) {
            throw new MoneyFormatException("must not be negative (got \"" + text + "\")");
        }
        if (usd.stripTrailingZeros().scale() > 6) {
            throw new MoneyFormatException("has more than 6 decimals; money is counted in micro-USD (got \""
                    + abbreviate(text) + "\")");
        }
        if (usd.compareTo(BigDecimal.valueOf(MAX_MICROS / MICROS_PER_USD)) > 0) {
            throw new MoneyFormatException("must be at most " + (MAX_MICROS / MICROS_PER_USD) + " USD");
        }
        return usd.movePointRight(6).longValueExact();
    }

    /** The JSON form of an amount: exactly six decimals, {@code "-"} prefix for negatives. */
    public static String formatUsd(long micros) {
        return toUsd(micros).toPlainString();
    }

    public static BigDecimal toUsd(long micros) {
        return BigDecimal.valueOf(micros, 6);
    }

    /** Rounds a USD amount half-up to whole micro-USD (for computed values such as forecasts). */
    public static long roundToMicros(BigDecimal usd) {
        return usd.setScale(6, RoundingMode.HALF_UP).movePointRight(6).longValueExact();
    }

    /** Fails unless {@code micros} is a usable amount of the protocol (0..{@link #MAX_MICROS}). */
    public static long checkAmount(String what, long micros) {
        if (micros < 0 || micros > MAX_MICROS) {
            throw new IllegalArgumentException(what + " must be between 0 and " + MAX_MICROS + " micro-USD, got " + micros);
        }
        return micros;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** A money string that is not acceptable; the message says why and is safe to show to the caller. */
    public static final class MoneyFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public MoneyFormatException(String message) {
            super(message);
        }
    }
}
