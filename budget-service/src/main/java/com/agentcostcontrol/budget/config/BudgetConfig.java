package com.agentcostcontrol.budget.config;

import java.time.Duration;
import java.util.Optional;

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

    /** Periodic comparison of Redis counters with the ledger, repairing drift. */
    Reconcile reconcile();

    /** Alert webhooks: signing secrets and the delivery of the outbox. */
    Webhook webhook();

    /** Per-budget Prometheus gauges. */
    Metrics metrics();

    /** The consumer of the proxy's usage events (Redis Stream {@code acc:usage}) that fills the ledger. */
    Consumer consumer();

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

        /**
         * How often every budget's forecast is computed, to fire {@code budget.exhaustion_forecast} alerts
         * and refresh the per-budget gauges. A duration ({@code 1m}) or {@code off}.
         */
        @WithDefault("1m")
        String checkInterval();

        /**
         * How long a budget must have been counting in its period before its forecast may fire an alert
         * (a single early call would otherwise project a wild burn rate).
         */
        @WithDefault("1h")
        Duration alertMinObservation();
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

    interface Reconcile {
        /**
         * How often every synced budget's current counter is compared with {@code budget_ledger}. A
         * duration ({@code 5m}) or {@code off}.
         */
        @WithDefault("5m")
        String interval();

        /**
         * Whether a counter that stays above the ledger (same values on two consecutive rounds) is
         * lowered to it. Off by default: the usual cause is spend whose usage event never reached the
         * ledger (a lost spool), and lowering would forgive real provider spend. The drift is always
         * reported as a metric and logged.
         */
        @WithDefault("false")
        boolean lowerOvercount();
    }

    interface Webhook {
        /**
         * Base64 of the 32-byte AES key that encrypts webhook signing secrets at rest (env
         * {@code ACC_SECRET_KEY}, the same key the other services use for stored credentials). Without it
         * no webhook can be configured; a malformed key stops the service at start.
         */
        Optional<String> secretKey();

        /** How often the sender looks for due deliveries. A duration ({@code 2s}) or {@code off}. */
        @WithDefault("2s")
        String pollInterval();

        /** Longest wait for a receiver to answer one attempt (connect and response). */
        @WithDefault("10s")
        Duration timeout();

        /** Attempts before a delivery is given up as {@code failed}. */
        @WithDefault("12")
        int maxAttempts();

        /** Wait before the second attempt; doubles after every failure (with up to 20 % jitter). */
        @WithDefault("10s")
        Duration initialBackoff();

        /** Longest wait between two attempts. */
        @WithDefault("1h")
        Duration maxBackoff();

        /** Most deliveries one poll claims and sends in parallel. */
        @WithDefault("20")
        int batchSize();

        /**
         * Whether a webhook URL may point to a loopback, private, link-local or unique-local address. Off by
         * default so a tenant cannot make budget-service call internal services or cloud metadata endpoints.
         */
        @WithDefault("false")
        boolean allowPrivateNetworks();

        /** How long delivered and failed deliveries (and their attempts) are kept. */
        @WithDefault("30d")
        Duration retention();
    }

    interface Metrics {
        /**
         * Most budgets exported as per-budget gauges (4 series each); beyond it, those closest to their
         * limit (spent / limit) are kept. Bounds the cardinality of {@code acc_budget_*_usd}.
         */
        @WithDefault("1000")
        int maxBudgets();
    }

    interface Consumer {
        /** Whether this instance consumes {@code acc:usage} into {@code budget_ledger}. */
        @WithDefault("true")
        boolean enabled();

        /** The stream the proxy appends usage events to (the proxy's {@code acc.proxy.usage.stream}). */
        @WithDefault("acc:usage")
        String stream();

        /** The consumer group; every budget-service instance joins the same one and gets a share of the events. */
        @WithDefault("budget-service")
        String group();

        /** This instance's consumer name in the group; default: host name and process id. */
        Optional<String> name();

        /** Most events read (or claimed) per round. */
        @WithDefault("100")
        int batchSize();

        /** How long one {@code XREADGROUP} waits for new events (also bounds how long a shutdown waits). */
        @WithDefault("2s")
        Duration blockTime();

        /**
         * How long an event may stay delivered but unacknowledged (a failed event, or one held by a crashed
         * instance) before any consumer claims it with {@code XAUTOCLAIM} and retries it.
         */
        @WithDefault("1m")
        Duration claimIdleTime();

        /** Wait after a round that failed on Redis itself, before the next one. */
        @WithDefault("1s")
        Duration errorBackoff();
    }
}
