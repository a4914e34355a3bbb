package com.agentcostcontrol.security.core;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The built-in detectors, in priority order (when two findings start at the same place, the earlier
 * detector names it). Secret patterns are a subset ported from gitleaks' default rules
 * (https://github.com/gitleaks/gitleaks, config/gitleaks.toml, MIT licence), rewritten with bounded or
 * possessive quantifiers so that every pattern runs in linear time.
 */
public final class Detectors {

    private Detectors() {
    }

    /** Placeholder values people write in examples; a generic assignment of one of these is not a secret. */
    private static final Set<String> PLACEHOLDERS = Set.of("changeme", "password", "placeholder", "redacted", "example",
            "your", "xxxx", "****", "secret", "dummy", "sample", "test1234");

    public static List<Detector> standard() {
        return List.of(
                // --- secrets (specific formats first)
                secret("aws-access-key",
                        "(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])")
                        .keywords("akia", "asia", "abia", "acca", "a3t").build(),
                secret("aws-secret-key",
                        "(?i)aws[_.\\- ]?secret[_.\\- ]?(?:access[_.\\- ]?)?key[\"']?\\s{0,5}[:=]\\s{0,5}[\"']?"
                                + "([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])")
                        .keywords("aws").group(1).build(),
                secret("anthropic-api-key", "(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|sid|oat)[0-9]{2}-[A-Za-z0-9_-]{32,}+")
                        .keywords("sk-ant-").build(),
                secret("acc-virtual-key", "(?<![A-Za-z0-9_-])sk-acc-[A-Za-z0-9]{43}(?![A-Za-z0-9])")
                        .keywords("sk-acc-").build(),
                secret("openai-api-key",
                        "(?<![A-Za-z0-9_-])(?:sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}+|sk-[A-Za-z0-9]{32,}+(?![_-]))")
                        .keywords("sk-").build(),
                secret("github-token",
                        "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])")
                        .keywords("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_").build(),
                secret("stripe-key", "(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,99}+(?![A-Za-z0-9])")
                        .keywords("sk_live_", "rk_live_", "sk_test_", "rk_test_", "sk_prod_", "rk_prod_")
                        .build(),
                secret("slack-token", "(?<![A-Za-z0-9])xox[abeoprs]-[0-9]{6,}+-[A-Za-z0-9-]{8,}+")
                        .keywords("xox").build(),
                secret("slack-webhook", "hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}+")
                        .keywords("hooks.slack.com").build(),
                secret("google-api-key", "(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])")
                        .keywords("aiza").build(),
                new PrivateKeyDetector(),
                secret("jwt", "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}+\\.eyJ[A-Za-z0-9_-]{10,}+\\.[A-Za-z0-9_-]{10,}+")
                        .keywords("eyj").build(),
                secret("generic-secret",
                        "(?i)(?<![A-Za-z0-9])(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token"
                                + "|client[_-]?secret|private[_-]?key)[\"']?\\s{0,5}(?::|=>?)\\s{0,5}[\"']?"
                                + "([^\\s\"'`,;<>{}()\\[\\]]{8,200}+)")
                        .keywords("password", "passwd", "pwd", "secret", "api", "access", "auth", "client", "private").group(1).validator(Detectors::highEntropySecret)
                        .build(),
                // --- PII
                new EmailDetector(),
                RegexDetector.of("credit-card", Category.PII, "(?<![0-9])(?<![0-9][ -])(?:[0-9][ -]?){12,18}[0-9](?![0-9])(?![ -][0-9])")
                        .validator(Validators::cardNumber).numeric().build(),
                new IbanDetector(),
                RegexDetector.of("us-ssn", Category.PII,
                        "(?<![0-9-])(?!000|666|9[0-9]{2})[0-9]{3}-(?!00)[0-9]{2}-(?!0000)[0-9]{4}(?![0-9-])").numeric().build(),
                RegexDetector.of("phone-number", Category.PII,
                        "(?<![A-Za-z0-9+])\\+[1-9][0-9]{0,2}(?:[ .-]?\\(?[0-9]{1,4}\\)?){2,5}+(?![0-9])")
                        .validator(s -> between(Validators.digits(s).length(), 9, 15)).numeric().build(),
                RegexDetector.of("phone-number", Category.PII,
                        "(?<![0-9A-Za-z+])(?:\\([2-9][0-9]{2}\\) ?|[2-9][0-9]{2}[-.])[2-9][0-9]{2}[-.][0-9]{4}(?![0-9])")
                        .numeric().build(),
                // --- prompt injection heuristics (scored; see TextScanner)
                injection("injection-ignore-instructions", 0.6,
                        "(?i)\\b(?:ignore|disregard|forget|override|bypass|skip)\\s{1,3}"
                                + "(?:(?:all|any|the|your|my|of|these|those|every)\\s{1,3}){0,3}"
                                + "(?:previous|prior|above|earlier|preceding|former|initial|original|system|developer)\\s{1,3}"
                                + "(?:instructions?|prompts?|rules?|directives?|guidelines?|context|messages?|commands?)\\b",
                        "ignore", "disregard", "forget", "override", "bypass", "skip"),
                injection("injection-system-prompt-leak", 0.5,
                        "(?i)\\b(?:reveal|show|print|repeat|output|display|tell|leak|dump|give|what(?:'s|\\s{1,3}is|\\s{1,3}are|"
                                + "\\s{1,3}were))\\s{1,3}(?:me\\s{1,3}|us\\s{1,3})?(?:back\\s{1,3})?(?:your|the)\\s{1,3}"
                                + "(?:(?:full|entire|exact|initial|original|hidden|secret|internal)\\s{1,3}){0,2}"
                                + "(?:system\\s{1,3}(?:prompt|message|instructions?)|(?:prompt|instructions)\\s{1,3}above)\\b",
                        "reveal", "show", "print", "repeat", "output", "display", "tell", "leak", "dump", "give", "what"),
                injection("injection-repeat-above", 0.5,
                        "(?i)\\brepeat\\s{1,3}(?:all\\s{1,3})?(?:the\\s{1,3})?(?:words|text|everything|lines)\\s{1,3}above\\b",
                        "repeat"),
                injection("injection-do-anything-now", 0.6, "(?i)\\bdo\\s{1,3}anything\\s{1,3}now\\b", "do"),
                injection("injection-jailbreak-terms", 0.3,
                        "(?i)\\b(?:jailbreak(?:ing|en)?|jailbroken|developer\\s{1,3}mode|god\\s{1,3}mode|unrestricted\\s{1,3}mode"
                                + "|no\\s{1,3}(?:ethical\\s{1,3})?(?:restrictions|filters|limitations)"
                                + "|without\\s{1,3}(?:any\\s{1,3})?(?:restrictions|filters|censorship)|uncensored|unfiltered)\\b",
                        "jailbr", "developer", "god", "unrestricted", "no", "without", "uncensored", "unfiltered"),
                injection("injection-role-override", 0.3,
                        "(?i)\\b(?:you\\s{1,3}are\\s{1,3}now|from\\s{1,3}now\\s{1,3}on,?\\s{1,3}you|pretend\\s{1,3}"
                                + "(?:to\\s{1,3}be|you\\s{1,3}are)|act\\s{1,3}as\\s{1,3}(?:an?\\s{1,3})?"
                                + "(?:unrestricted|unfiltered|evil|uncensored)|roleplay\\s{1,3}as|stay\\s{1,3}in\\s{1,3}character)\\b",
                        "you", "from", "pretend", "act", "roleplay", "stay"),
                injection("injection-new-instructions", 0.3,
                        "(?i)(?:\\b(?:new|updated|real|actual|true)\\s{1,3}(?:system\\s{1,3})?instructions?\\s{0,3}:"
                                + "|\\b(?:system|admin|administrator|developer)\\s{1,3}override\\b)",
                        "new", "updated", "real", "actual", "true", "system", "admin", "developer"),
                injection("injection-chat-template", 0.4,
                        "(?:<\\|im_start\\|>|<\\|im_end\\|>|<\\|system\\|>|<\\|endoftext\\|>|\\[/?INST\\]|<<SYS>>"
                                + "|<\\|start_header_id\\|>)",
                        "<|", "[inst]", "[/inst]", "<<sys>>"));
    }

    private static RegexDetector.Builder secret(String id, String regex) {
        return RegexDetector.of(id, Category.SECRETS, regex);
    }

    /** Injection phrases: each rule's keywords are the words its phrases start with. */
    private static RegexDetector injection(String id, double weight, String regex, String... keywords) {
        return RegexDetector.of(id, Category.INJECTION, regex).keywords(keywords).score(weight).build();
    }

    private static boolean between(int n, int min, int max) {
        return n >= min && n <= max;
    }

    /** A generic {@code password=...} value that looks generated: long enough, random enough, no placeholder. */
    static boolean highEntropySecret(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (value.startsWith("$") || value.startsWith("%") || lower.startsWith("env.") || lower.startsWith("process.env")) {
            return false;
        }
        for (String p : PLACEHOLDERS) {
            if (lower.contains(p)) {
                return false;
            }
        }
        boolean digit = false;
        boolean letter = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            digit |= Character.isDigit(c);
            letter |= Character.isLetter(c);
        }
        return digit && letter && Validators.entropy(value) >= 3.0;
    }
}
