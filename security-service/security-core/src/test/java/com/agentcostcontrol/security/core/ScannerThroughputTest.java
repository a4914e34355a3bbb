package com.agentcostcontrol.security.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Throughput on 100 KB texts, printed (not asserted: the build machine is shared); the pathological
 * inputs check that no pattern backtracks catastrophically (a generous timeout guards the build).
 */
class ScannerThroughputTest {

    static final TextScanner SCANNER = TextScanner.standard();
    static final int SIZE = 100 * 1024;

    static String prose(long seed) {
        String[] words = { "the", "gateway", "routes", "each", "call", "to", "a", "model", "and", "counts", "tokens", "cost",
                "budget", "tenant", "for", "with", "2024", "12.5", "function", "return", "value", "(x)", "=", "{", "}",
                "user", "assistant", "please", "summarise", "this", "document", "key", "token", "pass", "secret", "ask-me" };
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(SIZE + 64);
        while (b.length() < SIZE) {
            b.append(words[r.nextInt(words.length)]).append(r.nextInt(12) == 0 ? ".\n" : " ");
        }
        return b.toString();
    }

    static double mbPerSecond(String text, int iterations) {
        for (int i = 0; i < Math.max(20, iterations); i++) { // warm-up: let the JIT compile the scan path
            SCANNER.scan(text, EnumSet.allOf(Category.class));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            SCANNER.scan(text, EnumSet.allOf(Category.class));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return text.length() * (double) iterations / seconds / (1024 * 1024);
    }

    @Test
    void proseWithOnePlantedSecret() {
        String text = prose(42);
        text = text.substring(0, SIZE / 2) + " AKIAIOSFODNN7EXAMPLE " + text.substring(SIZE / 2);
        ScanResult r = SCANNER.scan(text, EnumSet.allOf(Category.class));
        assertEquals(1, r.findings().stream().filter(f -> f.detector().equals("aws-access-key")).count());
        double mbs = mbPerSecond(text, 200);
        System.out.printf("security-core throughput: 100 KB prose prompt, all categories: %.1f MB/s (%.2f ms per scan)%n",
                mbs, 100.0 / 1024 / mbs * 1000);
        assertTrue(mbs > 0);
    }

    @Test
    void pathologicalInputsStayLinear() {
        String[] hostile = { "a".repeat(SIZE), "1 ".repeat(SIZE / 2), "a@".repeat(SIZE / 2), "sk-".repeat(SIZE / 3),
                "password=".repeat(SIZE / 9), "+1 ".repeat(SIZE / 3), "AKIA".repeat(SIZE / 4),
                "-----BEGIN PRIVATE KEY-----".repeat(SIZE / 27), "ignore ".repeat(SIZE / 7), "DE89 ".repeat(SIZE / 5),
                "eyJ".repeat(SIZE / 3) };
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (String h : hostile) {
                double mbs = mbPerSecond(h, 10);
                System.out.printf("security-core throughput: hostile %-28s %.1f MB/s%n",
                        "'" + h.substring(0, Math.min(12, h.length())).replace("\n", "\\n") + "…'", mbs);
            }
        });
    }
}
