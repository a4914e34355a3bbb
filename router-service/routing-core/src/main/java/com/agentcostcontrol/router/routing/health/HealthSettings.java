package com.agentcostcontrol.router.routing.health;

import java.time.Duration;

/**
 * Parameters of the shared deployment health. Every proxy should use the same values (they are
 * passed to the scripts on each call, so a mismatch only makes proxies disagree on when to trip).
 *
 * @param failureThreshold     counted failures in a row (within {@code failureWindow}) that start a cooldown
 * @param failureWindow        failures further apart than this do not add up
 * @param baseCooldown         the first cooldown; the n-th in a row lasts base x multiplier^(n-1)
 * @param cooldownMultiplier   growth of consecutive cooldowns (>= 1)
 * @param maxCooldown          cap of a computed cooldown
 * @param maxRetryAfter        cap of a provider's {@code Retry-After} (a bogus "retry in a day" must
 *                             not take a deployment out for a day)
 * @param probeLease           how long a half-open probe holds its slot when its outcome is never
 *                             recorded (a crashed proxy); callers pass the attempt's timeout instead
 * @param latencyAlpha         weight of the newest sample in the shared latency EWMA (0 < alpha <= 1)
 * @param idleTtl              a deployment's health hash expires after this long without an update
 *                             (plus any remaining cooldown)
 * @param rateLimitDefaultReset how long reported rate-limit headroom is trusted when the provider
 *                             gave no reset time
 */
public record HealthSettings(int failureThreshold, Duration failureWindow, Duration baseCooldown,
        double cooldownMultiplier, Duration maxCooldown, Duration maxRetryAfter, Duration probeLease,
        double latencyAlpha, Duration idleTtl, Duration rateLimitDefaultReset) {

    public HealthSettings {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failure threshold must be at least 1, got " + failureThreshold);
        }
        positive(failureWindow, "failure window");
        positive(baseCooldown, "base cooldown");
        positive(maxCooldown, "max cooldown");
        positive(maxRetryAfter, "max retry-after");
        positive(probeLease, "probe lease");
        positive(idleTtl, "idle ttl");
        positive(rateLimitDefaultReset, "rate-limit default reset");
        if (!(cooldownMultiplier >= 1.0) || Double.isInfinite(cooldownMultiplier)) {
            throw new IllegalArgumentException("cooldown multiplier must be >= 1, got " + cooldownMultiplier);
        }
        if (!(latencyAlpha > 0.0 && latencyAlpha <= 1.0)) {
            throw new IllegalArgumentException("latency alpha must be in (0, 1], got " + latencyAlpha);
        }
        if (maxCooldown.compareTo(baseCooldown) < 0) {
            throw new IllegalArgumentException("max cooldown " + maxCooldown + " is below the base cooldown " + baseCooldown);
        }
    }

    /** 3 failures within 60 s trip; cooldown 5 s doubling up to 5 min; Retry-After capped at 10 min. */
    public static HealthSettings defaults() {
        return new HealthSettings(3, Duration.ofSeconds(60), Duration.ofSeconds(5), 2.0, Duration.ofMinutes(5),
                Duration.ofMinutes(10), Duration.ofSeconds(60), 0.3, Duration.ofHours(24), Duration.ofSeconds(60));
    }

    public HealthSettings withFailureThreshold(int value) {
        return new HealthSettings(value, failureWindow, baseCooldown, cooldownMultiplier, maxCooldown, maxRetryAfter,
                probeLease, latencyAlpha, idleTtl, rateLimitDefaultReset);
    }

    public HealthSettings withFailureWindow(Duration value) {
        return new HealthSettings(failureThreshold, value, baseCooldown, cooldownMultiplier, maxCooldown, maxRetryAfter,
                probeLease, latencyAlpha, idleTtl, rateLimitDefaultReset);
    }

    public HealthSettings withCooldown(Duration base, double multiplier, Duration max) {
        return new HealthSettings(failureThreshold, failureWindow, base, multiplier, max, maxRetryAfter,
                probeLease, latencyAlpha, idleTtl, rateLimitDefaultReset);
    }

    public HealthSettings withMaxRetryAfter(Duration value) {
        return new HealthSettings(failureThreshold, failureWindow, baseCooldown, cooldownMultiplier, maxCooldown, value,
                probeLease, latencyAlpha, idleTtl, rateLimitDefaultReset);
    }

    public HealthSettings withProbeLease(Duration value) {
        return new HealthSettings(failureThreshold, failureWindow, baseCooldown, cooldownMultiplier, maxCooldown,
                maxRetryAfter, value, latencyAlpha, idleTtl, rateLimitDefaultReset);
    }

    public HealthSettings withLatencyAlpha(double value) {
        return new HealthSettings(failureThreshold, failureWindow, baseCooldown, cooldownMultiplier, maxCooldown,
                maxRetryAfter, probeLease, value, idleTtl, rateLimitDefaultReset);
    }

    public HealthSettings withIdleTtl(Duration value) {
        return new HealthSettings(failureThreshold, failureWindow, baseCooldown, cooldownMultiplier, maxCooldown,
                maxRetryAfter, probeLease, latencyAlpha, value, rateLimitDefaultReset);
    }

    public HealthSettings withRateLimitDefaultReset(Duration value) {
        return new HealthSettings(failureThreshold, failureWindow, baseCooldown, cooldownMultiplier, maxCooldown,
                maxRetryAfter, probeLease, latencyAlpha, idleTtl, value);
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
