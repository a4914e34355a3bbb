package com.agentcostcontrol.security.core;

import java.util.List;

/**
 * The findings in one text, sorted by start (ties: detector priority), and the text's prompt-injection
 * score in [0, 1] (the sum of the weights of the distinct injection rules that matched, capped at 1).
 * Injection findings are only present when the score reached the scanner's threshold.
 */
public record ScanResult(List<Finding> findings, double injectionScore) {

    public static final ScanResult CLEAN = new ScanResult(List.of(), 0);

    public boolean clean() {
        return findings.isEmpty();
    }
}
