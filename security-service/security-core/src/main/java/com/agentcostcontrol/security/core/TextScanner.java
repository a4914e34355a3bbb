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

    private static final IntList NO_CANDIDATES = new IntList();

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

    /**
     * For a text that is still being streamed: the first position where a finding of these
     * categories may still be in the making, so that more text could create, extend or change it
     * ({@code text.length()} when none can). A streaming caller holds back the text from there; the
     * text before it can be relayed, since no finding can start there any more (given the text
     * before it was scanned). Conservative: a keyword cut off by the end where the detector's pattern
     * could start, a regex that hit the end
     * ({@link java.util.regex.Matcher#hitEnd}), a trailing run of characters numeric PII is made of,
     * a trailing word an e-mail address may yet grow from. Injection findings are scored over the
     * whole scanned text, so a weak phrase that only counts once a later one comes is not held back.
     */
    public int openFrom(String text, Set<Category> categories) {
        int n = text == null ? 0 : text.length();
        if (n == 0 || categories.isEmpty()) {
            return n;
        }
        long wanted = 0;
        boolean numericWanted = false;
        for (int i = 0; i < detectors.size(); i++) {
            Detector d = detectors.get(i);
            if (categories.contains(d.category())) {
                wanted |= KeywordIndex.bit(i);
                numericWanted |= !index.hasKeywords(i);
            }
        }
        int open = n;
        for (long[] cut : index.cutKeywords(text, wanted)) {
            int at = n - (int) cut[0];
            for (int i = 0; i < detectors.size() && at < open; i++) {
                if ((cut[1] & KeywordIndex.bit(i)) != 0 && categories.contains(detectors.get(i).category())) {
                    // The detector's own pattern decides: an "sk-" key cannot start inside "task" (look-behind).
                    IntList at1 = new IntList();
                    at1.add(at);
                    open = Math.min(open, detectors.get(i).openFrom(text, at1));
                }
            }
        }
        if (numericWanted) {
            open = Math.min(open, NumericRuns.trailingRun(text));
        }
        IntList[] keywordHits = index.occurrences(text, detectors.size());
        for (int i = 0; i < detectors.size(); i++) {
            Detector d = detectors.get(i);
            IntList candidates = keywordHits[i] == null ? NO_CANDIDATES : keywordHits[i];
            if (categories.contains(d.category()) && index.hasKeywords(i)
                    && (candidates.isEmpty() || candidates.get(0) < open)) {
                // Also without candidates: an e-mail address grows from a word before its "@".
                open = Math.min(open, d.openFrom(text, candidates));
            }
        }
        return open;
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
