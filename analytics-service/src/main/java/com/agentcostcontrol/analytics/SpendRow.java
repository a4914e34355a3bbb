package com.agentcostcontrol.analytics;

/**
 * One group of a spend query.
 *
 * @param group        the group's value; {@code null} for calls that have none (no agent, no provider)
 * @param inputTokens  all input tokens: plain, cache reads and cache writes
 * @param outputTokens all output tokens, reasoning included
 * @param costMicros   total cost in micro-USD (unpriced calls count 0)
 */
public record SpendRow(String group, long requests, long inputTokens, long outputTokens, long costMicros) {
}
