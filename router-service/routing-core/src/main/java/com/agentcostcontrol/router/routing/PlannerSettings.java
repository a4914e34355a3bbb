package com.agentcostcontrol.router.routing;

import java.time.Clock;
import java.util.Optional;

/**
 * How the planner treats what it learns from deployment health.
 *
 * @param maxAttempts               most attempts in one plan (the rest are listed as skipped)
 * @param cooledDown                what to do with a deployment that is cooling down
 * @param rateLimitHeadroomRequests a deployment whose provider reported this many requests left or
 *                                  fewer (until its reset) is moved to the end like a cooled-down one
 * @param latencyAlpha              EWMA weight of this process's latency tracker
 * @param clock                     the time health states are judged at
 */
public record PlannerSettings(int maxAttempts, CooledDown cooledDown, long rateLimitHeadroomRequests,
        double latencyAlpha, Clock clock) {

    /** Placement of deployments that are cooling down or about to hit a rate limit. */
    public enum CooledDown {
        /**
         * After every other attempt of the whole plan (fallbacks included), in plan order: when
         * everything else fails, a deployment that may have recovered is still worth a try.
         */
        DEMOTE("demote"),
        /** Left out of the plan (listed as skipped). */
        SKIP("skip");

        private final String wireName;

        CooledDown(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<CooledDown> parse(String value) {
            for (CooledDown c : values()) {
                if (c.wireName.equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    public PlannerSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (cooledDown == null) {
            throw new IllegalArgumentException("cooledDown is required");
        }
        if (rateLimitHeadroomRequests < 0) {
            throw new IllegalArgumentException("rateLimitHeadroomRequests must not be negative");
        }
        if (!(latencyAlpha > 0.0 && latencyAlpha <= 1.0)) {
            throw new IllegalArgumentException("latencyAlpha must be in (0, 1], got " + latencyAlpha);
        }
        if (clock == null) {
            clock = Clock.systemUTC();
        }
    }

    /** 10 attempts at most, cooled-down deployments demoted, headroom 1 request, alpha 0.3. */
    public static PlannerSettings defaults() {
        return new PlannerSettings(10, CooledDown.DEMOTE, 1, 0.3, Clock.systemUTC());
    }

    public PlannerSettings withMaxAttempts(int value) {
        return new PlannerSettings(value, cooledDown, rateLimitHeadroomRequests, latencyAlpha, clock);
    }

    public PlannerSettings withCooledDown(CooledDown value) {
        return new PlannerSettings(maxAttempts, value, rateLimitHeadroomRequests, latencyAlpha, clock);
    }

    public PlannerSettings withRateLimitHeadroomRequests(long value) {
        return new PlannerSettings(maxAttempts, cooledDown, value, latencyAlpha, clock);
    }

    public PlannerSettings withLatencyAlpha(double value) {
        return new PlannerSettings(maxAttempts, cooledDown, rateLimitHeadroomRequests, value, clock);
    }

    public PlannerSettings withClock(Clock value) {
        return new PlannerSettings(maxAttempts, cooledDown, rateLimitHeadroomRequests, latencyAlpha, value);
    }
}
