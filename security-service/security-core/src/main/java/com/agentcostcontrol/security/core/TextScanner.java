package com.agentcostcontrol.security.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the detectors of the requested categories over a text: one Aho-Corasick pass finds where
 * each detector's keywords start, one pass finds where numeric PII can start, and each detector's
 * pattern is tried only at those places (anchored, bounded or possessive: linear overall).
 * Thread-safe and immutable; build one and share it.
 */
public final class TextScanner {

    /** Default injection score from which injection findings are reported. */
    public static final double DEFAULT_INJECTION_THRESHOLD = 0.5;

    private final List<Detector> detectors;
    private final KeywordIndex index;
    private final double injectionThreshold;
    private final Map<String, Integer> priority = new HashMap<>();

    public TextScanner(List<Detector> detectors, double injectionThreshold) {
        this.detectors = List.copyOf(detectors);
        this.index = new KeywordIndex(this.detectors.stream().map(Detector::keywords).toList());
        this.injectionThreshold = injectionThreshold;
        for (int i = 0; i < this.detectors.size(); i++) {
            priority.putIfAbsent(this.detectors.get(i).id(), i);
        }
    }

    /** The built-in detectors with the default injection threshold. */
    public static TextScanner standard() {
        return new TextScanner(Detectors.standard(), DEFAULT_INJECTION_THRESHOLD);
    }

    public List<Detector> detectors() {
        return detectors;
    }

    public ScanResult scan(String text, Set<Category> categories) {
        if (text == null || text.isEmpty() || categories.isEmpty()) {
            return ScanResult.CLEAN;
        }
        IntList[] keywordHits = index.occurrences(text, detectors.size());
        IntList numeric = null;
        List<Finding> findings = new ArrayList<>();
        List<Finding> injection = new ArrayList<>();
        for (int i = 0; i < detectors.size(); i++) {
            Detector d = detectors.get(i);
            if (!categories.contains(d.category())) {
                continue;
            }
            IntList candidates;
            if (index.hasKeywords(i)) {
                candidates = keywordHits[i];
            } else {
                if (numeric == null) {
                    numeric = NumericRuns.candidates(text);
                }
                candidates = numeric;
            }
            if (candidates != null && !candidates.isEmpty()) {
                d.scan(text, candidates, d.category() == Category.INJECTION ? injection : findings);
            }
        }
        double score = 0;
        if (!injection.isEmpty()) {
            Map<String, Double> byRule = new HashMap<>();
            for (Finding f : injection) {
                byRule.merge(f.detector(), f.score(), Math::max);
            }
            for (double w : byRule.values()) {
                score += w;
            }
            score = Math.min(1.0, score);
            if (score >= injectionThreshold) {
                findings.addAll(injection);
            }
        }
        if (findings.isEmpty()) {
            return new ScanResult(List.of(), score);
        }
        findings.sort(Comparator.comparingInt(Finding::start).thenComparingInt(f -> priority.get(f.detector())));
        return new ScanResult(dedupe(findings), score);
    }

    /** Drops a finding that overlaps an earlier one of the same detector (e.g. two phone patterns). */
    private static List<Finding> dedupe(List<Finding> sorted) {
        List<Finding> out = new ArrayList<>(sorted.size());
        for (Finding f : sorted) {
            boolean duplicate = false;
            for (int i = out.size() - 1; i >= 0 && out.get(i).end() > f.start(); i--) {
                if (out.get(i).detector().equals(f.detector()) && out.get(i).overlaps(f)) {
                    duplicate = true;
                    break;
                }
            }
            if (!duplicate) {
                out.add(f);
            }
        }
        return List.copyOf(out);
    }
}
