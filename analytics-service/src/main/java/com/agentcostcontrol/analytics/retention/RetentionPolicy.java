package com.agentcostcontrol.analytics.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.agentcostcontrol.analytics.config.AnalyticsConfig;

import io.quarkus.runtime.Startup;

/**
 * How far back the ledger and the daily rollup reach ({@code acc.analytics.retention.*}, {@code docs/ANALYTICS.md}).
 * Horizons are UTC midnights, so retention removes whole days: every day at or after the calls horizon still has
 * all its raw rows, every day before it only its rollup. Checked at startup so a bad setting stops the service with
 * a clear message instead of deleting the wrong rows.
 */
@Startup
@ApplicationScoped
public class RetentionPolicy {

    private final long callsDays;
    private final long rollupDays;
    private final Clock clock;

    @Inject
    public RetentionPolicy(AnalyticsConfig config) {
        this(config.retention(), Clock.systemUTC());
    }

    RetentionPolicy(AnalyticsConfig.Retention config, Clock clock) {
        this.callsDays = wholeDays("acc.analytics.retention.calls", config.calls());
        this.rollupDays = wholeDays("acc.analytics.retention.rollup", config.rollup());
        this.clock = clock;
        if (rollupDays != 0 && (callsDays == 0 || rollupDays < callsDays)) {
            throw new IllegalArgumentException("acc.analytics.retention.rollup (" + rollupDays + " days) must be 0 "
                    + "(keep forever) or at least acc.analytics.retention.calls (" + (callsDays == 0 ? "0 = forever"
                            : callsDays + " days") + "): a day's rollup must outlive its raw calls");
        }
        if (config.batchSize() < 1) {
            throw new IllegalArgumentException("acc.analytics.retention.batch-size must be at least 1 (got "
                    + config.batchSize() + ")");
        }
        if (config.interval().isNegative() || config.interval().isZero()) {
            throw new IllegalArgumentException("acc.analytics.retention.interval must be positive (got "
                    + config.interval() + "); set acc.analytics.retention.enabled=false to stop the job");
        }
    }

    /** Raw calls retention in days; 0 = forever. */
    public long callsDays() {
        return callsDays;
    }

    /** Rollup retention in days; 0 = forever. */
    public long rollupDays() {
        return rollupDays;
    }

    /**
     * The first instant whose raw calls are kept (a UTC midnight, {@code calls} days before today); calls before it
     * may be deleted. Empty when raw calls are kept forever.
     */
    public Optional<Instant> callsHorizon() {
        return callsDays == 0 ? Optional.empty()
                : Optional.of(today().minusDays(callsDays).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** The first rollup day kept; earlier days may be deleted. Empty when the rollup is kept forever. */
    public Optional<LocalDate> rollupHorizon() {
        return rollupDays == 0 ? Optional.empty() : Optional.of(today().minusDays(rollupDays));
    }

    /**
     * Whether a usage event that arrived at {@code occurredAt} is too old to be stored safely: its raw row may be
     * deleted already (or by the next run), so a redelivered duplicate could no longer be recognised and would be
     * added to the rollup twice. One day of margin beyond the horizon covers a run that crosses midnight and clock
     * differences between instances.
     */
    public boolean tooOldToStore(Instant occurredAt) {
        return callsHorizon().map(h -> occurredAt.isBefore(h.plus(Duration.ofDays(1)))).orElse(false);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static long wholeDays(String key, Duration value) {
        if (value.isNegative() || !value.equals(Duration.ofDays(value.toDays()))) {
            throw new IllegalArgumentException(key + " must be a whole number of days, e.g. 90d, or 0 to keep forever "
                    + "(got " + value + ")");
        }
        return value.toDays();
    }
}
