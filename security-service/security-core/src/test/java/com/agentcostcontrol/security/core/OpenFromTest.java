package com.agentcostcontrol.security.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TextScanner#openFrom}: where a streamed text must be held back because a finding may still be in the making. */
class OpenFromTest {

    static final TextScanner SCANNER = TextScanner.standard();
    static final Set<Category> ALL = EnumSet.allOf(Category.class);
    static final Set<Category> SECRETS = EnumSet.of(Category.SECRETS);
    static final Set<Category> PII = EnumSet.of(Category.PII);

    @Test
    void proseIsNotHeldBackForSecrets() {
        for (String s : List.of("Hello, the first", "the API returns JSON", "access granted", "first", "task-force",
                "use AKIAIOSFODNN7EXAMPLE now", "the password field is long", "DE89")) {
            assertEquals(s.length(), SCANNER.openFrom(s, SECRETS), s);
        }
    }

    @Test
    void cutKeywordsAndRunningMatchesAreOpen() {
        assertEquals(4, SCANNER.openFrom("use AK", SECRETS), "a keyword cut off by the end");
        assertEquals(4, SCANNER.openFrom("use AKIAIOSFOD", SECRETS), "a match still growing");
        assertEquals(4, SCANNER.openFrom("use AKIAIOSFODNN7EXAMPLE", SECRETS), "complete, but one more letter would undo it");
        assertEquals(3, SCANNER.openFrom("db_password = \"Xk9", SECRETS));
        assertEquals(5, SCANNER.openFrom("here:-----BEGIN RSA PRIVATE KEY-----\nMIIE", SECRETS), "PEM body before its END line");
        assertEquals("the API".length() - 3, SCANNER.openFrom("the API", SECRETS), "api_key= may follow");
    }

    @Test
    void aCutKeywordIsOpenOnlyWhereItsPatternCanStart() {
        assertEquals(7, SCANNER.openFrom("key is sk", SECRETS));
        assertEquals(4, SCANNER.openFrom("the ap", SECRETS));
        assertEquals(10, SCANNER.openFrom("cheap task", SECRETS), "sk- cannot start inside a word");
        assertEquals(10, SCANNER.openFrom("the laptop", SECRETS), "nor a password inside a word");
        assertEquals(6, SCANNER.openFrom("use ak", SECRETS), "AWS key ids are upper case");
    }

    @Test
    void numericRunsAndWordsAreOpenForPii() {
        assertEquals(4, SCANNER.openFrom("call 415", PII));
        assertEquals(9, SCANNER.openFrom("write to bob", PII), "bob@… may follow");
        assertEquals(9, SCANNER.openFrom("write to bob@example.c", PII));
        assertEquals("write to bob@example.com, ".length(), SCANNER.openFrom("write to bob@example.com, ", PII));
        assertEquals(4, SCANNER.openFrom("iban DE89 3704", PII), "from the separator before it");
    }

    static List<Arguments> positives() {
        return DetectorsTest.rows().filter(a -> !((List<?>) a.get()[1]).isEmpty()).toList();
    }

    /**
     * The streaming invariant: at every cut of a text inside a finding, either the prefix already shows a
     * finding over its start, or the start is still held back (open). So no character of a finding is
     * relayed before the finding is known.
     */
    @ParameterizedTest
    @MethodSource("positives")
    void aFindingsStartIsHeldUntilItIsFound(String text, List<String> expected) {
        for (Finding f : SCANNER.scan(text, ALL).findings()) {
            if (f.category() == Category.INJECTION) {
                continue; // scored over the whole text: not local, see TextScanner#openFrom
            }
            for (int k = f.start() + 1; k <= f.end(); k++) {
                String prefix = text.substring(0, k);
                boolean found = SCANNER.scan(prefix, ALL).findings().stream()
                        .anyMatch(p -> p.start() <= f.start() && p.end() > f.start());
                int open = SCANNER.openFrom(prefix, EnumSet.of(f.category()));
                assertTrue(found || open <= f.start(), () -> f.detector() + " cut at " + prefix.length() + " of '"
                        + text + "': open from " + open + ", finding starts at " + f.start());
            }
        }
    }
}
