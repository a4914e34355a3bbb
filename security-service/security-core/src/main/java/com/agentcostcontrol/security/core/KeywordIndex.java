package com.agentcostcontrol.security.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Aho-Corasick automaton over the detectors' keywords (ASCII, case-insensitive): one pass over the
 * text, one array lookup per character, tells which detectors can possibly match. It is the reason
 * a 100 KB prompt without any {@code sk-}, {@code AKIA}, {@code eyJ}... costs one linear pass
 * instead of one regex run per detector.
 */
final class KeywordIndex {

    private static final int ALPHABET = 128;

    /** Full DFA: next[state][char]; non-ASCII characters go back to the root. */
    private final int[][] next;
    /** Per state: pairs (detector, keyword length) of the keywords ending there. */
    private final int[][] ends;
    private final BitSet keyed = new BitSet();
    /** Per state: its depth (length of the keyword prefix it stands for) and its failure link. */
    private final int[] depth;
    private final int[] failure;
    /** Per state: bit per detector (bit 63 shared by detectors 63+) with a longer keyword through it. */
    private final long[] prefixOf;
    private final int maxDepth;

    KeywordIndex(List<List<String>> keywordsByDetector) {
        List<int[]> gotoTable = new ArrayList<>();
        List<List<int[]>> endList = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        List<Long> prefixes = new ArrayList<>();
        gotoTable.add(newRow());
        endList.add(new ArrayList<>());
        depths.add(0);
        prefixes.add(0L);
        int longest = 0;
        for (int d = 0; d < keywordsByDetector.size(); d++) {
            for (String keyword : keywordsByDetector.get(d)) {
                String k = keyword.toLowerCase(Locale.ROOT);
                if (k.isEmpty()) {
                    continue;
                }
                int state = 0;
                longest = Math.max(longest, k.length());
                for (int i = 0; i < k.length(); i++) {
                    char c = k.charAt(i);
                    if (c >= ALPHABET) {
                        throw new IllegalArgumentException("keywords must be ASCII: " + keyword);
                    }
                    if (i > 0) {
                        prefixes.set(state, prefixes.get(state) | bit(d));
                    }
                    if (gotoTable.get(state)[c] < 0) {
                        gotoTable.get(state)[c] = gotoTable.size();
                        gotoTable.add(newRow());
                        endList.add(new ArrayList<>());
                        depths.add(i + 1);
                        prefixes.add(0L);
                    }
                    state = gotoTable.get(state)[c];
                }
                endList.get(state).add(new int[] { d, k.length() });
                keyed.set(d);
            }
        }
        int n = gotoTable.size();
        int[] fail = new int[n];
        maxDepth = longest;
        depth = depths.stream().mapToInt(Integer::intValue).toArray();
        prefixOf = prefixes.stream().mapToLong(Long::longValue).toArray();
        failure = fail;
        next = new int[n][];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        next[0] = gotoTable.get(0).clone();
        for (int c = 0; c < ALPHABET; c++) {
            if (next[0][c] < 0) {
                next[0][c] = 0;
            } else {
                fail[next[0][c]] = 0;
                queue.add(next[0][c]);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            endList.get(s).addAll(endList.get(fail[s]));
            int[] row = gotoTable.get(s).clone();
            for (int c = 0; c < ALPHABET; c++) {
                int t = row[c];
                if (t < 0) {
                    row[c] = next[fail[s]][c];
                } else {
                    fail[t] = next[fail[s]][c];
                    queue.add(t);
                }
            }
            next[s] = row;
        }
        ends = new int[n][];
        for (int s = 0; s < n; s++) {
            List<int[]> l = endList.get(s);
            ends[s] = new int[l.size() * 2];
            for (int i = 0; i < l.size(); i++) {
                ends[s][2 * i] = l.get(i)[0];
                ends[s][2 * i + 1] = l.get(i)[1];
            }
        }
    }

    private static int[] newRow() {
        int[] row = new int[ALPHABET];
        java.util.Arrays.fill(row, -1);
        return row;
    }

    /** The bit of detector {@code d} in a detector mask. */
    static long bit(int d) {
        return 1L << Math.min(d, 63);
    }

    /**
     * The suffixes of {@code text} that are proper prefixes of a keyword of one of the
     * {@code detectors} (mask of {@link #bit}s): keywords the end of a streamed text may have cut
     * off. Each is {@code {length, mask of those detectors with such a keyword}}, longest first. Looks
     * only at the last (longest keyword) characters.
     */
    List<long[]> cutKeywords(String text, long detectors) {
        int state = 0;
        for (int i = Math.max(0, text.length() - maxDepth); i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= ALPHABET) {
                state = 0;
                continue;
            }
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c | 0x20);
            }
            state = next[state][c];
        }
        List<long[]> out = new ArrayList<>(2);
        for (int s = state; s != 0; s = failure[s]) {
            long mask = prefixOf[s] & detectors;
            if (mask != 0) {
                out.add(new long[] { depth[s], mask });
            }
        }
        return out;
    }

    /** Whether detector {@code d} has keywords (else it always runs). */
    boolean hasKeywords(int d) {
        return keyed.get(d);
    }

    /**
     * For each detector (index), the ascending start positions of its keywords' occurrences in
     * {@code text}; null for a detector none of whose keywords occurs.
     */
    IntList[] occurrences(String text, int detectors) {
        IntList[] found = new IntList[detectors];
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= ALPHABET) {
                state = 0;
                continue;
            }
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c | 0x20);
            }
            state = next[state][c];
            int[] e = ends[state];
            for (int k = 0; k < e.length; k += 2) {
                int d = e[k];
                int start = i + 1 - e[k + 1];
                IntList l = found[d];
                if (l == null) {
                    l = found[d] = new IntList();
                }
                if (l.isEmpty() || l.get(l.size() - 1) < start) {
                    l.add(start);
                } else if (l.get(l.size() - 1) > start) {
                    insertSorted(l, start);
                }
            }
        }
        return found;
    }

    /** Rare: a longer keyword of the same detector ending here started before the last recorded start. */
    private static void insertSorted(IntList l, int start) {
        IntList copy = new IntList();
        boolean added = false;
        for (int i = 0; i < l.size(); i++) {
            int v = l.get(i);
            if (!added && start < v) {
                copy.add(start);
                added = true;
            }
            if (v != start) {
                copy.add(v);
            }
        }
        l.replaceWith(copy);
    }
}
