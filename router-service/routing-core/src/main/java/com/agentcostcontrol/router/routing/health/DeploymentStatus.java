package com.agentcostcontrol.router.routing.health;

import java.time.Instant;

/**
 * One deployment's shared health as read from Redis. Times are on this JVM's clock (converted from
 * the Redis clock with the offset measured at the read), so they compare with {@code Instant.now()}.
 * The state depends on time: use {@link #state(Instant)}.
 *
 * @param deploymentId        the deployment
 * @param cooldownEndsAt      end of the current or last cooldown while the circuit is not closed;
 *                            {@code null} when closed (healthy)
 * @param cause               why that cooldown started: {@code failures}, {@code retry-after},
 *                            {@code probe-failed}; {@code null} when closed
 * @param consecutiveFailures counted failures in a row within the failure window
 * @param trips               cooldowns in a row without a successful close (the backoff exponent)
 * @param cooldowns           cooldowns ever started (for metrics; resets only when the key expires)
 * @param probeLeaseEndsAt    end of the current half-open probe's lease, {@code null} when none
 * @param lastFailureKind     {@link FailureKind#wireName()} of the last failure, {@code null} when none
 * @param lastFailureAt       time of the last failure
 * @param lastSuccessAt       time of the last success
 * @param ewmaLatencyMs       EWMA of successful attempts' latency across every proxy, {@code null} before any
 * @param latencySamples      successful attempts with a latency
 * @param remainingRequests   the provider's last reported requests left, {@code null} when unknown
 * @param requestsResetAt     when that count resets
 * @param remainingTokens     the provider's last reported tokens left, {@code null} when unknown
 * @param tokensResetAt       when that count resets
 * @param observedAt          when this status was read
 */
public record DeploymentStatus(String deploymentId, Instant cooldownEndsAt, String cause, int consecutiveFailures,
        int trips, long cooldowns, Instant probeLeaseEndsAt, String lastFailureKind, Instant lastFailureAt,
        Instant lastSuccessAt, Double ewmaLatencyMs, long latencySamples, Long remainingRequests,
        Instant requestsResetAt, Long remainingTokens, Instant tokensResetAt, Instant observedAt) {

    /** A deployment nothing is known about: healthy. */
    public static DeploymentStatus unknown(String deploymentId) {
        return new DeploymentStatus(deploymentId, null, null, 0, 0, 0, null, null, null, null, null, 0, null, null,
                null, null, null);
    }

    /** Healthy (closed), cooling down (open) or half-open at {@code now}. */
    public HealthState state(Instant now) {
        if (cooldownEndsAt == null) {
            return HealthState.HEALTHY;
        }
        return now.isBefore(cooldownEndsAt) ? HealthState.COOLING_DOWN : HealthState.HALF_OPEN;
    }

    /** Whether a half-open probe holds the slot at {@code now}. */
    public boolean probeInFlight(Instant now) {
        return probeLeaseEndsAt != null && now.isBefore(probeLeaseEndsAt);
    }

    /** Requests left according to the provider, if reported and its window has not reset yet. */
    public Long remainingRequests(Instant now) {
        return remainingRequests != null && requestsResetAt != null && now.isBefore(requestsResetAt)
                ? remainingRequests : null;
    }

    /** Tokens left according to the provider, if reported and its window has not reset yet. */
    public Long remainingTokens(Instant now) {
        return remainingTokens != null && tokensResetAt != null && now.isBefore(tokensResetAt) ? remainingTokens : null;
    }
}
