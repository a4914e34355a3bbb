package com.agentcostcontrol.budget.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void parsesDecimalStringsToMicros() {
        assertEquals(0, Money.parseUsd("0"));
        assertEquals(1, Money.parseUsd("0.000001"));
        assertEquals(1_234, Money.parseUsd("0.001234"));
        assertEquals(10_500_000, Money.parseUsd("10.5"));
        assertEquals(10_500_000, Money.parseUsd("10.500000"));
        assertEquals(12_000_000, Money.parseUsd("12"));
        // Trailing zeros beyond six decimals add no precision.
        assertEquals(1_000_000, Money.parseUsd("1.0000000"));
        assertEquals(Money.MAX_MICROS, Money.parseUsd("1000000000"));
    }

    @Test
    void rejectsWhatIsNotAnExactNonNegativeAmount() {
        assertTrue(assertThrows(Money.MoneyFormatException.class, () -> Money.parseUsd("0.0000001")).getMessage()
                .contains("more than 6 decimals"));
        assertTrue(assertThrows(Money.MoneyFormatException.class, () -> Money.parseUsd("-1")).getMessage()
                .contains("negative"));
        assertTrue(assertThrows(Money.MoneyFormatException.class, () -> Money.parseUsd("1e3")).getMessage()
                .contains("decimal string"));
        assertThrows(Money.MoneyFormatException.class, () -> Money.parseUsd("abc"));
        assertThrows(Money.MoneyFormatException.class, () -> Money.parseUsd(""));
        assertThrows(Money.MoneyFormatException.class, () -> Money.parseUsd(null));
        assertThrows(Money.MoneyFormatException.class, () -> Money.parseUsd(" 1"));
        assertThrows(Money.MoneyFormatException.class, () -> Money.parseUsd("1000000000.000001"));
    }

    @Test
    void formatsWithExactlySixDecimals() {
        assertEquals("0.000000", Money.formatUsd(0));
        assertEquals("0.001234", Money.formatUsd(1_234));
        assertEquals("10.500000", Money.formatUsd(10_500_000));
        assertEquals("-0.000001", Money.formatUsd(-1));
        assertEquals("1000000000.000000", Money.formatUsd(Money.MAX_MICROS));
        for (long v : new long[] {0, 1, 999_999, 1_000_000, 123_456_789_012L}) {
            assertEquals(v, Money.parseUsd(Money.formatUsd(v)));
        }
    }

    @Test
    void roundsComputedAmountsHalfUp() {
        assertEquals(2, Money.roundToMicros(new BigDecimal("0.0000015")));
        assertEquals(1, Money.roundToMicros(new BigDecimal("0.00000149")));
    }
}
