package com.agentcostcontrol.analytics;

import java.time.Instant;
import java.util.UUID;

/**
 * One LLM call as the proxy reported it on {@code acc:usage} ({@code docs/USAGE-EVENTS.md}): a row of the usage
 * ledger. Absent values are {@code null} (the event's empty strings); money is integer micro-USD.
 *
 * @param costMicros {@code null} when the served model has no price
 * @param ttftMs     {@code null} when no token was relayed (the event's {@code -1})
 * @param streamId   the {@code acc:usage} entry the call was read from
 */
public record UsageCall(String requestId, UUID tenantId, UUID keyId, String agentId, String endpoint,
        String requestedModel, String servedModel, String provider, String deployment, String deploymentId,
        String status, int httpStatus, String errorCode, boolean streamed, int attempts, long inputTokens,
        long cacheReadTokens, long cacheWrite5mTokens, long cacheWrite1hTokens, long outputTokens,
        long reasoningTokens, boolean tokensEstimated, Long costMicros, long latencyMs, Long ttftMs,
        Instant occurredAt, String streamId) {
}
