package com.agentcostcontrol.budget.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of budget-service ({@code acc.budget.*}). */
@ConfigMapping(prefix = "acc.budget")
public interface BudgetConfig {

    /** The reservation protocol's Redis side (shared with the proxy, which should use the same values). */
    Protocol protocol();

    /** Forecast shown by {@code GET /v1/budgets/{id}/status}. */
    Forecast forecast();

    /** Detection of lost Redis counters and their rebuild from the ledger. */
    Sync sync();

    interface Protocol {
        /** Default life of a reservation lease; a call still running when it ends must renew it. */
        @WithDefault("5m")
        Duration leaseTtl();

        /**
         * How long a settled reservation id is remembered, so a repeated settle within it counts nothing
         * (one small Redis key per settled call while it lives; it only has to outlast settle retries).
         */
        @WithDefault("1h")
        Duration settledMarkerTtl();

        /** How long a period's counter outlives the period (late settles, status of the last period). */
        @WithDefault("7d")
        Duration counterGrace();

        /** Most expired leases one script releases (bounds each script's run time). */
        @WithDefault("100")
        int sweepLimit();

        /** How long to wait for Redis before answering 503. */
        @WithDefault("2s")
        Duration redisTimeout();
    }

    interface Forecast {
        /** The recent window whose burn rate is compared with the whole period's. */
        @WithDefault("1h")
        Duration recentWindow();

        /** Shortest time span a burn rate is computed over (avoids wild rates right after a period starts). */
        @WithDefault("1m")
        Duration minimumSpan();
    }

    interface Sync {
        /**
         * How often to check that Redis still holds the counters (marker {@code acc:budget:rebuilt});
         * when it is gone, every counter is rebuilt from {@code budget_ledger}. A duration ({@code 5s}) or
         * {@code off}.
         */
        @WithDefault("5s")
        String checkInterval();
    }
}
