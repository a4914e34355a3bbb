package com.agentcostcontrol.budget.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The webhook signature scheme, against a vector computed independently (Python's hmac module). */
class WebhookSignatureTest {

    private static final String SECRET = "whsec_test";
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"budget.threshold_reached\"}";
    private static final long T = 1_700_000_000L;
    private static final String EXPECTED = "t=1700000000,v1=176604400f1ca728c6d16c85846aa856e657867c7d2d2c75532c39d057c8b015";
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        assertEquals(EXPECTED, WebhookSignature.sign(SECRET, T, BODY));
    }

    @Test
    void verifiesWithinTheReplayWindowOnly() {
        Instant at = Instant.ofEpochSecond(T);
        assertTrue(WebhookSignature.verify(EXPECTED, BODY, SECRET, at, FIVE_MINUTES));
        assertTrue(WebhookSignature.verify(EXPECTED, BODY, SECRET, at.plusSeconds(300), FIVE_MINUTES));
        assertFalse(WebhookSignature.verify(EXPECTED, BODY, SECRET, at.plusSeconds(301), FIVE_MINUTES), "a replay");
        assertFalse(WebhookSignature.verify(EXPECTED, BODY, SECRET, at.minusSeconds(301), FIVE_MINUTES));
    }

    @Test
    void refusesAnythingAltered() {
        Instant at = Instant.ofEpochSecond(T);
        assertFalse(WebhookSignature.verify(EXPECTED, BODY + " ", SECRET, at, FIVE_MINUTES), "body changed");
        assertFalse(WebhookSignature.verify(EXPECTED, BODY, "whsec_other", at, FIVE_MINUTES), "other secret");
        assertFalse(WebhookSignature.verify(EXPECTED.replace("t=1700000000", "t=1700000001"), BODY, SECRET,
                at, FIVE_MINUTES), "timestamp changed");
        assertFalse(WebhookSignature.verify("v1=" + EXPECTED.substring(EXPECTED.indexOf("v1=") + 3), BODY, SECRET, at,
                FIVE_MINUTES), "no timestamp");
        assertFalse(WebhookSignature.verify("t=abc,v1=00", BODY, SECRET, at, FIVE_MINUTES));
        assertFalse(WebhookSignature.verify(null, BODY, SECRET, at, FIVE_MINUTES));
        assertFalse(WebhookSignature.verify("garbage", BODY, SECRET, at, FIVE_MINUTES));
    }

    @Test
    void anyOfSeveralSignaturesMayMatch() {
        String header = "t=1700000000,v1=" + "0".repeat(64) + "," + EXPECTED.substring(EXPECTED.indexOf("v1="));
        assertTrue(WebhookSignature.verify(header, BODY, SECRET, Instant.ofEpochSecond(T), FIVE_MINUTES));
    }
}
