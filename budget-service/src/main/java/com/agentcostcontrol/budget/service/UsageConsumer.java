package com.agentcostcontrol.budget.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.SettledCall;
import com.agentcostcontrol.budget.config.BudgetConfig;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetMatcher;
import com.agentcostcontrol.budget.core.CallContext;
import com.agentcostcontrol.budget.repository.BudgetRepository;
import com.agentcostcontrol.platform.stream.StreamGroupConsumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Durable consumer of the proxy's usage events ({@code acc:usage}, {@code docs/USAGE-EVENTS.md}): records
 * every priced call in {@code budget_ledger} through {@link LedgerService#recordSettled}, which is idempotent
 * on the request id, so the stream's at-least-once delivery charges each call once.
 *
 * <p>Reading, claiming a crashed instance's events and acknowledging is {@link StreamGroupConsumer}'s job (one
 * group, {@code budget-service}, shared by all instances). An event is acknowledged only after it is recorded
 * (or found to have nothing to charge); one that fails stays pending and is retried. A malformed event is
 * acknowledged and counted (retrying cannot fix it); its log line names the stream id and the reason, never
 * event content.
 */
@ApplicationScoped
public class UsageConsumer {

    private static final Logger LOG = Logger.getLogger(UsageConsumer.class);

    private final BudgetConfig.Consumer config;
    private final LedgerService ledger;
    private final BudgetRepository budgets;
    private final StreamGroupConsumer reader;
    private final Counter recorded;
    private final Counter duplicates;
    private final Counter notCharged;
    private final Counter failed;
    private final Counter poison;

    public UsageConsumer(BudgetConfig config, LedgerService ledger, BudgetRepository budgets, RedisDataSource redis,
            MeterRegistry metrics) {
        this.config = config.consumer();
        this.ledger = ledger;
        this.budgets = budgets;
        this.reader = new StreamGroupConsumer(redis, new StreamGroupConsumer.Settings(this.config.stream(),
                this.config.group(), this.config.name().orElseGet(() -> StreamGroupConsumer.defaultConsumerName(
                        "budget-service")), this.config.batchSize(), this.config.blockTime(),
                this.config.claimIdleTime(), this.config.errorBackoff()), this::handle);
        String consumed = "acc.budget.usage.consumed";
        String help = "Usage events processed and acknowledged, by result";
        this.recorded = Counter.builder(consumed).description(help).tag("result", "recorded").register(metrics);
        this.duplicates = Counter.builder(consumed).description(help).tag("result", "duplicate").register(metrics);
        this.notCharged = Counter.builder(consumed).description(help).tag("result", "no_cost").register(metrics);
        this.failed = Counter.builder("acc.budget.usage.failed")
                .description("Usage event attempts that failed and were left pending for a retry").register(metrics);
        this.poison = Counter.builder("acc.budget.usage.poison")
                .description("Malformed usage events, acknowledged without being recorded").register(metrics);
        Gauge.builder("acc.budget.usage.pending", reader, StreamGroupConsumer::pending)
                .description("Usage events delivered to the group but not yet acknowledged").register(metrics);
        Gauge.builder("acc.budget.usage.lag", reader, StreamGroupConsumer::lag)
                .description("Usage events in the stream not yet delivered to the group (XINFO GROUPS lag)")
                .register(metrics);
    }

    void start(@Observes StartupEvent ev) {
        if (!config.enabled()) {
            LOG.info("usage-event consumer disabled (acc.budget.consumer.enabled=false)");
            return;
        }
        reader.start("acc-usage-consumer");
    }

    void stop(@Observes ShutdownEvent ev) {
        reader.stop();
    }

    /** This instance's consumer name. */
    public String consumerName() {
        return reader.settings().consumerName();
    }

    /** One round: claim stale pending events, read new ones, refresh the gauges. */
    void round() {
        reader.round();
    }

    /** Refreshes the pending and lag gauges from XPENDING and XINFO GROUPS. */
    void refreshGauges() {
        reader.refreshGauges();
    }

    /** Answers whether the event is done with (to acknowledge); false leaves it pending for a retry. */
    private boolean handle(String streamId, Map<String, String> fields) {
        UsageEvents.Usage usage;
        try {
            usage = UsageEvents.parse(fields);
        } catch (UsageEvents.PoisonEvent e) {
            poison.increment();
            LOG.warnf("malformed usage event %s in %s acknowledged without recording: %s", streamId, config.stream(),
                    e.getMessage());
            return true;
        }
        if (!usage.chargeable()) {
            notCharged.increment();
            return true;
        }
        try {
            List<UUID> matched = matchBudgets(usage);
            boolean inserted = ledger.recordSettled(new SettledCall(usage.requestId(), usage.tenantId(), matched,
                    usage.keyId(), usage.agentId(), usage.model(), usage.costMicros(), usage.at()));
            (inserted ? recorded : duplicates).increment();
            return true;
        } catch (RuntimeException e) {
            failed.increment();
            LOG.warnf("usage event %s (request %s) not recorded, left pending for a retry: %s", streamId,
                    usage.requestId(), e.toString());
            return false;
        }
    }

    private List<UUID> matchBudgets(UsageEvents.Usage u) {
        List<BudgetDefinition> definitions = budgets.ofTenant(u.tenantId()).stream().map(Budget::definition).toList();
        CallContext call = new CallContext(u.tenantId().toString(), u.keyId() == null ? null : u.keyId().toString(),
                u.agentId(), u.model());
        return new BudgetMatcher(definitions).match(call).stream().map(d -> UUID.fromString(d.id())).toList();
    }
}
