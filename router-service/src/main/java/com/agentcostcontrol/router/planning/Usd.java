package com.agentcostcontrol.router.planning;

import java.math.BigDecimal;
import java.math.RoundingMode;

import com.agentcostcontrol.platform.error.ApiException;
import com.fasterxml.jackson.databind.JsonNode;

/** Money in the API: a decimal string ({@code "0.001234"}), never a JSON number. */
public final class Usd {

    private static final BigDecimal MAX = new BigDecimal("1000000000");

    private Usd() {
    }

    /**
     * Parses a decimal-string amount: digits with at most 6 decimals, no sign or exponent, up to
     * USD 1e9; {@code allowZero} for amounts where 0 makes sense.
     *
     * @throws ApiException 400 naming {@code field} when the value is not such a string
     */
    public static BigDecimal parse(JsonNode value, String field, boolean allowZero) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a decimal string such as \"0.50\" (money is never a JSON number)");
        }
        return parse(value.asText(), field, allowZero);
    }

    public static BigDecimal parse(String text, String field, boolean allowZero) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String v = text.trim();
        if (!v.matches("\\d{1,10}(\\.\\d{1,6})?")) {
            throw ApiException.badRequest(field, field + " must be a decimal string of USD with at most 6 decimals, such as"
                    + " \"0.50\"; got '" + text + "'");
        }
        BigDecimal amount = new BigDecimal(v);
        if (amount.compareTo(MAX) > 0) {
            throw ApiException.badRequest(field, field + " must be at most 1000000000");
        }
        if (!allowZero && amount.signum() == 0) {
            throw ApiException.badRequest(field, field + " must be greater than 0");
        }
        return amount;
    }

    /** {@code 0.012500}: six decimals, rounded half-up once (as pricing-core's {@code Cost}). */
    public static String format(BigDecimal amount) {
        return amount == null ? null : amount.setScale(6, RoundingMode.HALF_UP).toPlainString();
    }
}
