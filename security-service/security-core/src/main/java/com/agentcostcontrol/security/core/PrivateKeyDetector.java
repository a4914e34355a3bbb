package com.agentcostcontrol.security.core;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM private keys ({@code -----BEGIN ... PRIVATE KEY-----}), spanning to the matching END line when
 * it follows within {@link #MAX_BODY} characters, else to the end of the base64 body. The END search
 * is one forward {@code indexOf} reused across headers, so even a text of nothing but BEGIN lines
 * stays linear (a lazy regex up to the END line would not).
 */
final class PrivateKeyDetector implements Detector {

    static final int MAX_BODY = 20_000;
    private static final Pattern HEADER = Pattern.compile("-----BEGIN[ A-Z0-9]{0,40}?PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern FOOTER = Pattern.compile("-----END[ A-Z0-9]{0,40}?PRIVATE KEY(?: BLOCK)?-----");

    @Override
    public String id() {
        return "private-key";
    }

    @Override
    public Category category() {
        return Category.SECRETS;
    }

    @Override
    public List<String> keywords() {
        return List.of("-----begin");
    }

    @Override
    public void scan(String text, IntList candidates, List<Finding> out) {
        Matcher header = HEADER.matcher(text);
        Matcher footer = FOOTER.matcher(text);
        int nextEnd = -2; // the next "-----END" at or after the last search point; -1 = none left
        int covered = 0;
        for (int k = 0; k < candidates.size(); k++) {
            int start = candidates.get(k);
            if (start < covered || !header.region(start, text.length()).lookingAt()) {
                continue;
            }
            int bodyFrom = header.end();
            if (nextEnd == -2 || nextEnd >= 0 && nextEnd < bodyFrom) {
                nextEnd = text.indexOf("-----END", bodyFrom);
            }
            int end = -1;
            if (nextEnd >= 0 && nextEnd - bodyFrom <= MAX_BODY && footer.region(nextEnd, text.length()).lookingAt()) {
                end = footer.end();
            }
            if (end < 0) {
                end = bodyFrom;
                while (end < text.length() && end - bodyFrom < MAX_BODY && base64OrSpace(text.charAt(end))) {
                    end++;
                }
            }
            out.add(new Finding(id(), category(), start, end, 1.0));
            covered = end;
        }
    }

    private static boolean base64OrSpace(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
                || c == '\n' || c == '\r' || c == ' ' || c == '\t';
    }

    /** Open at a header that is still being written, or whose END line has not come yet. */
    @Override
    public int openFrom(String text, IntList candidates) {
        if (candidates.isEmpty()) {
            return text.length();
        }
        Matcher header = HEADER.matcher(text);
        Matcher footer = FOOTER.matcher(text);
        for (int k = 0; k < candidates.size(); k++) {
            int start = candidates.get(k);
            header.region(start, text.length());
            if (!header.lookingAt()) {
                if (header.hitEnd()) {
                    return start;
                }
                continue;
            }
            footer.region(header.end(), text.length());
            if (!footer.find() || footer.hitEnd()) {
                return start;
            }
        }
        return text.length();
    }
}
