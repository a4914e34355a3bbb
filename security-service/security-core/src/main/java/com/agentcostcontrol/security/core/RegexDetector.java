package com.agentcostcontrol.security.core;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A detector defined by a regular expression tried ({@code lookingAt}) at each candidate position, an optional capture group that is the sensitive part
 * (e.g. the value of {@code password=...}) and an optional validator (checksum, entropy). Patterns
 * are written to run in linear time: bounded or possessive quantifiers, no nested unbounded
 * repetition, so a hostile prompt cannot make the scan backtrack catastrophically.
 */
final class RegexDetector implements Detector {

    private final String id;
    private final Category category;
    private final List<String> keywords;
    private final Pattern pattern;
    private final int group;
    private final Predicate<String> validator;
    private final double score;
    private final boolean numeric;

    private RegexDetector(Builder b) {
        this.id = b.id;
        this.category = b.category;
        this.keywords = List.copyOf(b.keywords);
        this.pattern = Pattern.compile(b.regex);
        this.group = b.group;
        this.validator = b.validator;
        this.score = b.score;
        this.numeric = b.numeric;
    }

    static Builder of(String id, Category category, String regex) {
        return new Builder(id, category, regex);
    }

    static final class Builder {
        private final String id;
        private final Category category;
        private final String regex;
        private List<String> keywords = List.of();
        private int group;
        private Predicate<String> validator;
        private double score = 1.0;
        private boolean numeric;

        private Builder(String id, Category category, String regex) {
            this.id = id;
            this.category = category;
            this.regex = regex;
        }

        Builder keywords(String... k) {
            keywords = List.of(k);
            return this;
        }

        /** The capture group that is the sensitive part (0 = the whole match). */
        Builder group(int g) {
            group = g;
            return this;
        }

        Builder validator(Predicate<String> v) {
            validator = v;
            return this;
        }

        Builder score(double s) {
            score = s;
            return this;
        }

        Builder numeric() {
            numeric = true;
            return this;
        }

        RegexDetector build() {
            return new RegexDetector(this);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Category category() {
        return category;
    }

    @Override
    public List<String> keywords() {
        return keywords;
    }

    @Override
    public boolean numeric() {
        return numeric;
    }

    @Override
    public void scan(String text, IntList candidates, List<Finding> out) {
        Matcher m = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        int covered = -1;
        for (int i = 0; i < candidates.size(); i++) {
            int at = candidates.get(i);
            if (at < covered) {
                continue;
            }
            m.region(at, text.length());
            if (!m.lookingAt()) {
                continue;
            }
            int start = m.start(group);
            int end = m.end(group);
            if (start < 0 || end <= start) {
                continue;
            }
            if (validator == null || validator.test(text.substring(start, end))) {
                out.add(new Finding(id, category, start, end, score));
                covered = m.end();
            }
        }
    }

    /** The first candidate whose match attempt reached the end of the text ({@link Matcher#hitEnd}). */
    @Override
    public int openFrom(String text, IntList candidates) {
        if (candidates.isEmpty()) {
            return text.length();
        }
        Matcher m = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        for (int i = 0; i < candidates.size(); i++) {
            int at = candidates.get(i);
            m.region(at, text.length());
            m.lookingAt();
            if (m.hitEnd()) {
                return at;
            }
        }
        return text.length();
    }
}
