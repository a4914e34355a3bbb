package com.agentcostcontrol.analytics.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** analytics-service's configuration ({@code acc.analytics.*}, documented in {@code docs/ANALYTICS.md}). */
@ConfigMapping(prefix = "acc.analytics")
public interface AnalyticsConfig {

    /** The usage-event consumer that fills the ledger. */
    Consumer consumer();

    /** The spend API. */
    Spend spend();

    /** How long the ledger and the daily rollup are kept ({@code docs/ANALYTICS.md}, "Retention"). */
    Retention retention();

    interface Consumer {
        /** Whether this instance consumes {@code acc:usage} into {@code analytics_usage_calls}. */
        @WithDefault("true")
        boolean enabled();

        /** The stream the proxy appends usage events to (the proxy's {@code acc.proxy.usage.stream}). */
        @WithDefault("acc:usage")
        String stream();

        /** The consumer group; every analytics-service instance joins the same one and gets a share of the events. */
        @WithDefault("analytics-service")
        String group();

        /** This instance's consumer name in the group; default: host name and process id. */
        Optional<String> name();

        /** Most events read (or claimed) per round. */
        @WithDefault("200")
        int batchSize();

        /** How long one {@code XREADGROUP} waits for new events (also bounds how long a shutdown waits). */
        @WithDefault("2s")
        Duration blockTime();

        /**
         * How long an event may stay delivered but unacknowledged (one that failed to be stored, or one held by a
         * crashed instance) before any consumer claims it with {@code XAUTOCLAIM} and retries it.
         */
        @WithDefault("1m")
        Duration claimIdleTime();

        /** Wait after a round that failed on Redis itself, before the next one. */
        @WithDefault("1s")
        Duration errorBackoff();
    }

    interface Spend {
        /** Longest {@code from..to} range one spend query may cover. */
        @WithDefault("366d")
        Duration maxRange();
    }

    interface Retention {
        /** Whether this instance runs the retention job (only one instance deletes at a time anyway). */
        @WithDefault("true")
        boolean enabled();

        /** How long raw per-call ledger rows are kept, in whole days; {@code 0} keeps them forever. */
        @WithDefault("90d")
        Duration calls();

        /**
         * How long daily rollup rows are kept, in whole days; {@code 0} keeps them forever. Must be {@code 0} or at
         * least {@link #calls()} (a day's rollup must outlive its raw rows).
         */
        @WithDefault("730d")
        Duration rollup();

        /** How often the retention job runs. */
        @WithDefault("1h")
        Duration interval();

        /** Wait after startup before the first run. */
        @WithDefault("1m")
        Duration initialDelay();

        /** Most rows one DELETE statement removes (each batch is its own short transaction). */
        @WithDefault("5000")
        int batchSize();
    }
}
