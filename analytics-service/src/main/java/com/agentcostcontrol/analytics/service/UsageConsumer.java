package com.agentcostcontrol.analytics.service;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.analytics.UsageCall;
import com.agentcostcontrol.analytics.config.AnalyticsConfig;
import com.agentcostcontrol.analytics.repository.UsageLedgerRepository;
import com.agentcostcontrol.analytics.retention.RetentionPolicy;
import com.agentcostcontrol.platform.stream.StreamGroupConsumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Fills the usage ledger ({@code analytics_usage_calls}) from the proxy's usage events ({@code acc:usage},
 * {@code docs/USAGE-EVENTS.md}), in its own consumer group ({@code analytics-service}), so it reads every event
 * whatever budget-service or billing do with theirs.
 *
 * <p>{@link StreamGroupConsumer} reads, claims a crashed instance's events and acknowledges. An event is
 * acknowledged once its row is stored or found already stored (the insert is idempotent on the request id, so
 * at-least-once delivery records each call once). One that cannot be stored because Postgres is unreachable
 * stays pending and is retried. A malformed event, or one the database refuses, is acknowledged and counted as
 * poison (retrying cannot fix it); its log line names the stream id and the reason, never event content.
 */
@ApplicationScoped
public class UsageConsumer {

    private static final Logger LOG = Logger.getLogger(UsageConsumer.class);
    /** Metric tags take only these values (anything else is "other"), so a bad event cannot explode cardinality. */
    private static final Set<String> PROVIDERS = Set.of("openai", "anthropic", "openai-compatible", "azure-openai",
            "sub2api", "mock");
    private static final Set<String> STATUSES = Set.of("ok", "refused", "upstream_error", "stream_error",
            "client_disconnected", "error");

    private final AnalyticsConfig.Consumer config;
    private final UsageLedgerRepository ledger;
    private final StreamGroupConsumer reader;
    private final MeterRegistry metrics;
    private final Counter recorded;
    private final Counter duplicates;
    private final Counter failed;
    private final Counter poison;
    private final Counter expired;
    private final RetentionPolicy retention;

    public UsageConsumer(AnalyticsConfig config, UsageLedgerRepository ledger, RedisDataSource redis,
            MeterRegistry metrics, RetentionPolicy retention) {
        this.config = config.consumer();
        this.retention = retention;
        this.ledger = ledger;
        this.metrics = metrics;
        this.reader = new StreamGroupConsumer(redis, new StreamGroupConsumer.Settings(this.config.stream(),
                this.config.group(), this.config.name().orElseGet(() -> StreamGroupConsumer.defaultConsumerName(
                        "analytics-service")), this.config.batchSize(), this.config.blockTime(),
                this.config.claimIdleTime(), this.config.errorBackoff()), this::handle);
        String consumed = "acc.analytics.usage.consumed";
        String help = "Usage events stored in the ledger and acknowledged, by result";
        this.recorded = Counter.builder(consumed).description(help).tag("result", "recorded").register(metrics);
        this.duplicates = Counter.builder(consumed).description(help).tag("result", "duplicate").register(metrics);
        this.failed = Counter.builder("acc.analytics.usage.failed")
                .description("Usage event attempts that failed (Postgres) and were left pending for a retry")
                .register(metrics);
        this.poison = Counter.builder("acc.analytics.usage.poison")
                .description("Malformed usage events, acknowledged without being stored").register(metrics);
        this.expired = Counter.builder("acc.analytics.usage.expired")
                .description("Usage events older than the raw-call retention, acknowledged without being stored")
                .register(metrics);
        Gauge.builder("acc.analytics.usage.pending", reader, StreamGroupConsumer::pending)
                .description("Usage events delivered to the group but not yet acknowledged").register(metrics);
        Gauge.builder("acc.analytics.usage.lag", reader, StreamGroupConsumer::lag)
                .description("Usage events in the stream not yet delivered to the group (XINFO GROUPS lag)")
                .register(metrics);
    }

    void start(@Observes StartupEvent ev) {
        if (!config.enabled()) {
            LOG.info("usage-event consumer disabled (acc.analytics.consumer.enabled=false)");
            return;
        }
        reader.start("acc-analytics-usage-consumer");
    }

    void stop(@Observes ShutdownEvent ev) {
        reader.stop();
    }

    /** Refreshes the pending and lag gauges now (the consumer does it after every round). */
    public void refreshGauges() {
        reader.refreshGauges();
    }

    /** Answers whether the event is done with (to acknowledge); false leaves it pending for a retry. */
    boolean handle(String streamId, Map<String, String> fields) {
        UsageCall call;
        try {
            call = UsageEvents.parse(streamId, fields);
        } catch (UsageEvents.PoisonEvent e) {
            return poisoned(streamId, e.getMessage());
        }
        if (retention.tooOldToStore(call.occurredAt())) {
            // Its raw row may already be deleted, so a duplicate could not be recognised: storing it could count
            // the call twice in the rollup. A call this old is a replay, not news.
            expired.increment();
            LOG.warnf("usage event %s (request %s, arrived %s) is older than the raw-call retention (%d days): "
                    + "acknowledged without storing", streamId, call.requestId(), call.occurredAt(),
                    retention.callsDays());
            return true;
        }
        try {
            if (ledger.insert(call)) {
                recorded.increment();
                count(call);
            } else {
                duplicates.increment();
            }
            return true;
        } catch (UsageLedgerRepository.RejectedRowException e) {
            return poisoned(streamId, e.getMessage());
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warnf("usage event %s (request %s) not stored, left pending for a retry: %s", streamId,
                    call.requestId(), e.toString());
            return false;
        }
    }

    private boolean poisoned(String streamId, String reason) {
        poison.increment();
        LOG.warnf("malformed usage event %s in %s acknowledged without storing: %s", streamId, config.stream(),
                reason);
        return true;
    }

    /** Suite-wide traffic counters for dashboards, by provider and status only (bounded tags). */
    private void count(UsageCall call) {
        String provider = call.provider() == null ? "none" : PROVIDERS.contains(call.provider()) ? call.provider()
                : "other";
        String status = STATUSES.contains(call.status()) ? call.status() : "other";
        metrics.counter("acc.analytics.calls", "provider", provider, "status", status).increment();
        if (call.costMicros() != null && call.costMicros() > 0) {
            metrics.counter("acc.analytics.cost.micros", "provider", provider).increment(call.costMicros());
        }
        long input = call.inputTokens() + call.cacheReadTokens() + call.cacheWrite5mTokens()
                + call.cacheWrite1hTokens();
        metrics.counter("acc.analytics.tokens", "provider", provider, "kind", "input").increment(input);
        metrics.counter("acc.analytics.tokens", "provider", provider, "kind", "output")
                .increment(call.outputTokens());
    }
}
