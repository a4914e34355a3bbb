package com.agentcostcontrol.proxy.llm.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.security.core.Action;
import com.agentcostcontrol.security.core.Category;
import com.agentcostcontrol.security.core.Policy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The incremental scan on its own: cost linear in the answer, what is held back and for how long. */
class StreamAnswerScanTest {

    static final CallScanner SCANNER = new CallScanner(null, new SimpleMeterRegistry(), 16384);
    /** Typical model output: words, numbers, punctuation, keywords of detectors that do not match. */
    static final String PROSE = "The API returns a JSON object; see section 4.2 of the access guide. Each client sends its"
            + " request with a token header, and the server answers within 200 ms on average. Cheap tasks run first. ";

    static Policy responsePolicy(Action secrets, Action pii, Action injection) {
        Map<Category, Action> r = new EnumMap<>(Category.class);
        r.put(Category.SECRETS, secrets);
        r.put(Category.PII, pii);
        r.put(Category.INJECTION, injection);
        return new Policy(null, r);
    }

    static String chunk(String text) {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                + text.replace("\n", "\\n") + "\"},\"finish_reason\":null}]}\n\n";
    }

    /** Streams {@code text} in chunks of {@code size} characters; returns the scan. */
    static StreamAnswerScan stream(String text, int size, Policy policy, StringBuilder out) {
        StreamAnswerScan scan = new StreamAnswerScan(policy, ApiFormat.OPENAI, 512, SCANNER);
        for (int i = 0; i < text.length(); i += size) {
            out.append(scan.offer(chunk(text.substring(i, Math.min(text.length(), i + size)))));
        }
        out.append(scan.finish("data: [DONE]\n\n"));
        return scan;
    }

    @Test
    void costIsLinearInTheAnswerAndProseIsNeverHeldBack() {
        Policy policy = Policy.DEFAULT;
        String small = PROSE.repeat(500); // ~100 KB
        String big = PROSE.repeat(1000);
        for (int warm = 0; warm < 6; warm++) {
            stream(small, 4, policy, new StringBuilder());
        }
        StringBuilder out = new StringBuilder();
        long t0 = System.nanoTime();
        StreamAnswerScan a = stream(small, 4, policy, out);
        long smallNanos = System.nanoTime() - t0;
        StreamAnswerScan b = stream(big, 4, policy, new StringBuilder());
        assertTrue(b.scannedChars() <= 2.1 * a.scannedChars(), "twice the answer, about twice the scanning: "
                + a.scannedChars() + " -> " + b.scannedChars());
        assertTrue(a.scannedChars() < 8L * small.length(), "each character is scanned a bounded number of times: "
                + a.scannedChars() / (double) small.length());
        // "the ac|cess| guide" in 4-character chunks: "ac" may start an access token, "access" may be followed by
        // "_token=", so two chunks wait for the third.
        assertTrue(a.maxHeldFrames() <= 3, "prose is held back at most two chunks: " + a.maxHeldFrames());
        int events = small.length() / 4;
        System.out.printf("stream-scan: %d KB answer in %d events of 4 chars, default policy: %.1f µs per event,"
                + " %.2f chars scanned per answer char, at most %d frames held%n", small.length() / 1024, events,
                smallNanos / 1000.0 / events, a.scannedChars() / (double) small.length(), a.maxHeldFrames());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < small.length(); i += 4) {
            expected.append(chunk(small.substring(i, Math.min(small.length(), i + 4))));
        }
        assertEquals(expected.append("data: [DONE]\n\n").toString(), out.toString(), "clean: byte-identical");
    }

    @Test
    void firstCleanChunkGoesOutAtOnce() {
        StreamAnswerScan scan = new StreamAnswerScan(Policy.DEFAULT, ApiFormat.OPENAI, 512, SCANNER);
        assertEquals(chunk("Hello"), scan.offer(chunk("Hello")), "no added time to first byte");
        assertEquals("", scan.offer(chunk(" use AKIA")), "an AWS key id in the making is held");
        assertEquals(chunk(" use AKIA") + chunk("NOW later"), scan.offer(chunk("NOW later")), "released: not a key");
    }

    @Test
    void aSecretLongerThanTheHoldbackIsRedactedOnlyInItsHeldPart() {
        // A PEM body is longer than the hold-back window: its start is redacted, the rest went out (documented).
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEA1234567890abcdefghij\n".repeat(40);
        StringBuilder out = new StringBuilder();
        stream("key: " + pem + "-----END RSA PRIVATE KEY----- done", 8,
                responsePolicy(Action.REDACT, Action.FLAG, Action.FLAG), out);
        assertTrue(out.toString().contains("[REDACTED:private-key]"), out.toString());
        assertFalse(out.toString().contains("BEGIN RSA"), out.toString());
    }

    @Test
    void blockStopsAndHoldsNothingBack() {
        StreamAnswerScan scan = new StreamAnswerScan(Policy.DEFAULT, ApiFormat.OPENAI, 512, SCANNER);
        assertEquals(chunk("ok "), scan.offer(chunk("ok ")));
        assertEquals("", scan.offer(chunk("ghp_0123456789")));
        assertEquals("", scan.offer(chunk("abcdefghijABCDEFGHIJ012345 and more")));
        assertTrue(scan.blockedMessage().contains("detector github-token (secrets)"), scan.blockedMessage());
        assertEquals("", scan.offer(chunk("after")));
        assertEquals("", scan.finish("data: [DONE]\n\n"));
    }
}
