package com.agentcostcontrol.translate;

import java.util.Locale;

/**
 * The documented mapping between OpenAI {@code reasoning_effort} and an Anthropic extended-thinking
 * budget ({@code thinking.budget_tokens}).
 *
 * <pre>
 * effort   -> budget_tokens        budget_tokens  -> effort
 * none     -> (no thinking)        &lt; 4096         -> low
 * minimal  -> 1024 (API minimum)   4096..16383    -> medium
 * low      -> 2048                 &gt;= 16384       -> high
 * medium   -> 8192
 * high     -> 24576
 * xhigh    -> 32768
 * </pre>
 * The reverse direction never produces {@code minimal} or {@code xhigh}: only some OpenAI models
 * accept them, while low/medium/high are accepted by every OpenAI reasoning model.
 */
public final class ReasoningEffort {

    /** Anthropic's smallest accepted thinking budget. */
    public static final int MIN_BUDGET = 1024;

    private ReasoningEffort() {
    }

    /**
     * Thinking budget for an effort; 0 for {@code none}.
     *
     * @throws TranslationException for an unknown effort
     */
    public static int budgetFor(String effort) {
        return switch (effort == null ? "" : effort.toLowerCase(Locale.ROOT)) {
            case "none" -> 0;
            case "minimal" -> MIN_BUDGET;
            case "low" -> 2048;
            case "medium" -> 8192;
            case "high" -> 24576;
            case "xhigh" -> 32768;
            default -> throw new TranslationException("reasoning_effort",
                    "reasoning_effort must be one of none, minimal, low, medium, high, xhigh.");
        };
    }

    /** Effort for a thinking budget (see the table). */
    public static String effortFor(long budgetTokens) {
        if (budgetTokens < 4096) {
            return "low";
        }
        return budgetTokens < 16384 ? "medium" : "high";
    }
}
