package com.agentcostcontrol.analytics.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.analytics.config.AnalyticsConfig;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Deletes ledger calls older than {@code acc.analytics.retention.calls} and rollup rows older than
 * {@code acc.analytics.retention.rollup}, every {@code interval}, in batches of {@code batch-size} rows. Raw calls
 * can go safely: each call was added to the daily rollup in the very statement that stored it, so the rollup
 * still answers for their days. Only the instance holding the advisory lock deletes; the others skip the run.
 */
@ApplicationScoped
public class RetentionJob {

    /** What one run did. {@code ran} is false when another instance held the lock. */
    public record Result(boolean ran, Deleted calls, Deleted rollup) {
    }

    /** Rows deleted from one table and the DELETE statements (batches) it took. */
    public record Deleted(long rows, int batches) {
        static final Deleted NONE = new Deleted(0, 0);
    }

    static final String CALLS_TABLE = "analytics_usage_calls";
    static final String ROLLUP_TABLE = "analytics_usage_daily";
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    private final AnalyticsConfig.Retention config;
    private final RetentionPolicy policy;
    private final RetentionRepository repository;
    private final Clock clock = Clock.systemUTC();
    private final Counter callsDeleted;
    private final Counter rollupDeleted;
    private final MeterRegistry metrics;
    private final AtomicReference<Instant> oldestCall = new AtomicReference<>();
    private final AtomicReference<Instant> oldestRollupDay = new AtomicReference<>();
    private volatile boolean stopping;

    public RetentionJob(AnalyticsConfig config, RetentionPolicy policy, RetentionRepository repository,
            MeterRegistry metrics) {
        this.config = config.retention();
        this.policy = policy;
        this.repository = repository;
        this.metrics = metrics;
        String deleted = "acc.analytics.retention.deleted";
        String help = "Rows deleted by the retention job, by table";
        this.callsDeleted = Counter.builder(deleted).description(help).tag("table", CALLS_TABLE).register(metrics);
        this.rollupDeleted = Counter.builder(deleted).description(help).tag("table", ROLLUP_TABLE).register(metrics);
        ageGauge(CALLS_TABLE, oldestCall);
        ageGauge(ROLLUP_TABLE, oldestRollupDay);
    }

    /** Age at scrape time, so it keeps growing (and alerts can fire) if the job stops deleting. NaN: table empty. */
    private void ageGauge(String table, AtomicReference<Instant> oldest) {
        Gauge.builder("acc.analytics.retention.oldest.age.seconds", oldest, o -> {
            Instant at = o.get();
            return at == null ? Double.NaN : Duration.between(at, clock.instant()).toMillis() / 1000.0;
        }).description("Age of the oldest row kept (rollup: the start of its UTC day), by table; NaN when empty")
                .tag("table", table).register(metrics);
    }

    void stop(@Observes ShutdownEvent ev) {
        stopping = true;
    }

    @Scheduled(every = "${acc.analytics.retention.interval:1h}",
            delayed = "${acc.analytics.retention.initial-delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.enabled()) {
            return;
        }
        try {
            run();
        } catch (RuntimeException e) {
            metrics.counter("acc.analytics.retention.runs", "result", "failed").increment();
            LOG.warnf("retention run failed, retried next interval: %s", e.toString());
        }
    }

    /** One retention run now (the schedule calls it; tests too). */
    public Result run() {
        long started = System.nanoTime();
        Optional<Instant> callsBefore = policy.callsHorizon();
        Optional<LocalDate> rollupBefore = policy.rollupHorizon();
        Result result;
        if (callsBefore.isEmpty() && rollupBefore.isEmpty()) {
            result = new Result(true, Deleted.NONE, Deleted.NONE);
        } else {
            Optional<RetentionRepository.Session> lock = repository.tryLock();
            if (lock.isEmpty()) {
                metrics.counter("acc.analytics.retention.runs", "result", "skipped").increment();
                LOG.infof("retention run skipped: another analytics-service instance holds the retention lock");
                refreshOldest();
                return new Result(false, Deleted.NONE, Deleted.NONE);
            }
            try (RetentionRepository.Session session = lock.get()) {
                // Calls first: the rollup horizon is never later than the calls horizon, so a day's rollup
                // always outlives its calls.
                Deleted calls = callsBefore.map(b -> drain(n -> session.deleteCalls(b, n), callsDeleted))
                        .orElse(Deleted.NONE);
                Deleted rollup = rollupBefore.map(b -> drain(n -> session.deleteRollup(b, n), rollupDeleted))
                        .orElse(Deleted.NONE);
                result = new Result(true, calls, rollup);
            }
        }
        metrics.counter("acc.analytics.retention.runs", "result", "ran").increment();
        refreshOldest();
        LOG.infof("retention run: deleted %d calls before %s (%d batches) and %d rollup rows before %s (%d batches), "
                + "at most %d rows a batch, in %d ms; oldest call kept %s, oldest rollup day kept %s",
                result.calls().rows(), callsBefore.map(Object::toString).orElse("(kept forever)"),
                result.calls().batches(), result.rollup().rows(),
                rollupBefore.map(Object::toString).orElse("(kept forever)"), result.rollup().batches(),
                config.batchSize(), (System.nanoTime() - started) / 1_000_000,
                Optional.ofNullable(oldestCall.get()).map(Object::toString).orElse("(none)"),
                Optional.ofNullable(oldestRollupDay.get()).map(d -> LocalDate.ofInstant(d, ZoneOffset.UTC).toString())
                        .orElse("(none)"));
        return result;
    }

    private interface Batch {
        int delete(int limit);
    }

    /** Deletes batch after batch until one comes back short (nothing older is left) or the service stops. */
    private Deleted drain(Batch batch, Counter counter) {
        int limit = config.batchSize();
        long total = 0;
        int batches = 0;
        while (!stopping) {
            int n = batch.delete(limit);
            batches++;
            total += n;
            counter.increment(n);
            if (n < limit) {
                break;
            }
        }
        return new Deleted(total, batches);
    }

    private void refreshOldest() {
        oldestCall.set(repository.oldestCall().orElse(null));
        oldestRollupDay.set(repository.oldestRollupDay().map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant())
                .orElse(null));
    }
}
