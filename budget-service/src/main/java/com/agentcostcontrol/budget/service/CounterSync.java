package com.agentcostcontrol.budget.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.config.BudgetConfig;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.BudgetKeys;
import com.agentcostcontrol.budget.core.BudgetUsage;
import com.agentcostcontrol.budget.core.PeriodWindow;
import com.agentcostcontrol.budget.core.RebuildEntry;
import com.agentcostcontrol.budget.repository.BudgetRepository;
import com.agentcostcontrol.budget.repository.LedgerRepository;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps Redis counters consistent with the ledger. Redis may lose its data (FLUSHDB, a restart without
 * persistence, a failover to an empty replica); {@code budget_ledger} in Postgres is the truth. A rebuild
 * sets each budget's current-period counter to {@code max(counter, ledger total)} and marks the tenant
 * synced; until then the reserve script refuses to judge hard budgets (fail closed).
 */
@ApplicationScoped
public class CounterSync {

    private static final Logger LOG = Logger.getLogger(CounterSync.class);

    /** What a full rebuild did. */
    public record Report(int tenants, int budgets) {
    }

    private final BudgetRepository budgets;
    private final LedgerRepository ledger;
    private final BudgetEngine engine;
    private final RedisDataSource redis;
    private final UsageConsumer consumer;
    private final Duration consumerWait;

    public CounterSync(BudgetRepository budgets, LedgerRepository ledger, BudgetEngine engine, RedisDataSource redis,
            UsageConsumer consumer, BudgetConfig config) {
        this.budgets = budgets;
        this.ledger = ledger;
        this.engine = engine;
        this.redis = redis;
        this.consumer = consumer;
        this.consumerWait = config.sync().consumerWait();
    }

    /**
     * Restores every budget's current-period counter from {@code budget_ledger}, marks every tenant
     * synced, then sets the global marker {@value BudgetKeys#REBUILT_MARKER}.
     */
    public Report rebuildCounters() {
        awaitUsageConsumed();
        Instant now = Instant.now();
        Map<String, List<BudgetDefinition>> byTenant = budgets.definitionsByTenant();
        int count = 0;
        for (Map.Entry<String, List<BudgetDefinition>> e : byTenant.entrySet()) {
            rebuild(e.getKey(), e.getValue(), now);
            count += e.getValue().size();
        }
        redis.value(String.class).set(BudgetKeys.REBUILT_MARKER, now.toString());
        LOG.infof("rebuilt budget counters of %d budgets of %d tenants from the ledger", count, byTenant.size());
        return new Report(byTenant.size(), count);
    }

    /** Rebuilds one tenant's counters from the ledger and marks it synced. */
    public List<BudgetUsage> rebuildTenant(UUID tenantId) {
        awaitUsageConsumed();
        return rebuild(tenantId.toString(), budgets.ofTenant(tenantId).stream().map(Budget::definition).toList(), Instant.now());
    }

    /** Rebuilds the listed budgets' current counters (for example after a budget's period or time zone changed). */
    public List<BudgetUsage> rebuild(String tenantId, List<BudgetDefinition> definitions, Instant now) {
        List<RebuildEntry> entries = new ArrayList<>(definitions.size());
        for (BudgetDefinition d : definitions) {
            PeriodWindow w = d.windowAt(now);
            long total = ledger.sum(UUID.fromString(tenantId), UUID.fromString(d.id()), w.start(), w.end());
            entries.add(new RebuildEntry(d, w, total));
        }
        return RedisCalls.await(engine.rebuild(tenantId, entries), "rebuild budget counters");
    }

    /**
     * Counters were lost, so the spend of a call is only where its usage event is: in the ledger once consumed,
     * else still in {@code acc:usage}. Rebuilding before the consumer recorded those events would drop their
     * spend for good (the consumer writes the ledger only; the live counter's settle happened before the loss).
     * So wait, bounded, until every event already appended is recorded; events appended later belong to calls
     * settled on the live counters, which {@code max(counter, ledger)} keeps without counting them twice.
     */
    private void awaitUsageConsumed() {
        if (consumerWait.isZero() || consumerWait.isNegative()) {
            return;
        }
        long started = System.nanoTime();
        try {
            if (consumer.awaitConsumed(consumerWait)) {
                long ms = (System.nanoTime() - started) / 1_000_000;
                if (ms >= 100) {
                    LOG.infof("waited %d ms for the usage consumer to record pending events before the rebuild", ms);
                }
            } else {
                LOG.warnf("usage events are still unconsumed after %s (consumer down or far behind): rebuilding from the"
                        + " ledger as it is; their spend is missing from the rebuilt counters"
                        + " (acc.budget.sync.consumer-wait)", consumerWait);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not check the usage consumer's progress before the rebuild (%s); rebuilding now", e.toString());
        }
    }

    /** Makes sure the tenant's counters are complete before a new budget of it is judged. */
    public void ensureSynced(UUID tenantId) {
        boolean synced = RedisCalls.await(engine.status(tenantId.toString(), List.of(), Instant.now()), "check budget counters")
                .synced();
        if (!synced) {
            rebuildTenant(tenantId);
        }
    }

    /** The safety net: notices that Redis lost its data and rebuilds every counter. */
    @Scheduled(every = "${acc.budget.sync.check-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            if (redis.key().exists(BudgetKeys.REBUILT_MARKER)) {
                return;
            }
            LOG.warn("budget counters are not marked as rebuilt (first start, or Redis lost its data): rebuilding from the ledger");
            rebuildCounters();
        } catch (RuntimeException e) {
            LOG.warnf("budget counter check failed (%s); retrying at the next check", e.getMessage());
        }
    }
}
