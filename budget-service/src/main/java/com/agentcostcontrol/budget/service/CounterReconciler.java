package com.agentcostcontrol.budget.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.config.BudgetConfig;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.BudgetUsage;
import com.agentcostcontrol.budget.core.CounterSnapshot;
import com.agentcostcontrol.budget.core.Correction;
import com.agentcostcontrol.budget.repository.BudgetRepository;
import com.agentcostcontrol.budget.repository.LedgerRepository;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * The periodic reconciliation of issue 4 item 3: compares every synced budget's current-period
 * counter in Redis with {@code budget_ledger}, repairs drift and reports it as metrics.
 *
 * <ul>
 * <li>Counter <b>below</b> the ledger (Redis lost settled spend, e.g. a failover to a lagging replica):
 * raised to the ledger at once. Safe: it only ever counts more.</li>
 * <li>Counter <b>above</b> the ledger: normal for a moment (a settle lands in Redis before its usage
 * event reaches the ledger), so it is only acted on when a second round sees the very same counter and
 * ledger values; then it is reported, and lowered only if {@code acc.budget.reconcile.lower-overcount}.</li>
 * </ul>
 * Counters are read before the ledger and written with a compare-and-set ({@link BudgetEngine#correct}),
 * so a settle that lands during a round is never overwritten. Unsynced tenants are left to
 * {@link CounterSync}'s rebuild.
 */
@ApplicationScoped
public class CounterReconciler {

    private static final Logger LOG = Logger.getLogger(CounterReconciler.class);

    /** What one round found and did, in micro-dollars. */
    public record Report(int budgets, long underMicros, long overMicros, int raised, int lowered) {

        Report plus(Report o) {
            return new Report(budgets + o.budgets, underMicros + o.underMicros, overMicros + o.overMicros, raised + o.raised,
                    lowered + o.lowered);
        }
    }

    /** A counter above the ledger, remembered until the next round. */
    private record Seen(long observed, long ledger) {
    }

    private final BudgetRepository budgets;
    private final LedgerRepository ledger;
    private final BudgetEngine engine;
    private final boolean lowerOvercount;
    /** Per tenant: counters above the ledger at the last round, by budget and period. */
    private final Map<String, Map<String, Seen>> overLastRound = new HashMap<>();
    private final AtomicLong lastUnder = new AtomicLong();
    private final AtomicLong lastOver = new AtomicLong();
    private final Counter raised;
    private final Counter lowered;
    private final Counter failedRounds;

    @Inject
    public CounterReconciler(BudgetRepository budgets, LedgerRepository ledger, BudgetEngine engine, BudgetConfig config,
            MeterRegistry metrics) {
        this(budgets, ledger, engine, config.reconcile().lowerOvercount(), metrics);
    }

    CounterReconciler(BudgetRepository budgets, LedgerRepository ledger, BudgetEngine engine, boolean lowerOvercount,
            MeterRegistry metrics) {
        this.budgets = budgets;
        this.ledger = ledger;
        this.engine = engine;
        this.lowerOvercount = lowerOvercount;
        String drift = "acc.budget.reconcile.drift.micros";
        String help = "Counter-vs-ledger drift found by the last reconciliation round, summed over budgets (micro-USD)";
        Gauge.builder(drift, lastUnder, AtomicLong::get).description(help).tag("direction", "under").register(metrics);
        Gauge.builder(drift, lastOver, AtomicLong::get).description(help).tag("direction", "over").register(metrics);
        String corrections = "acc.budget.reconcile.corrections";
        String chelp = "Budget counters set to the ledger's total by reconciliation";
        this.raised = Counter.builder(corrections).description(chelp).tag("direction", "raised").register(metrics);
        this.lowered = Counter.builder(corrections).description(chelp).tag("direction", "lowered").register(metrics);
        this.failedRounds = Counter.builder("acc.budget.reconcile.failures")
                .description("Reconciliation rounds that could not finish (Redis or Postgres unavailable)").register(metrics);
    }

    @Scheduled(every = "${acc.budget.reconcile.interval:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            failedRounds.increment();
            LOG.warnf("budget reconciliation failed (%s); retrying at the next round", e.getMessage());
        }
    }

    /** One round over every budget. */
    public Report reconcile() {
        return reconcile(tenant -> true);
    }

    /** One round over the budgets of the tenants {@code include} accepts (tests pick their own). */
    synchronized Report reconcile(Predicate<String> include) {
        Instant now = Instant.now();
        Map<String, List<BudgetDefinition>> byTenant = budgets.definitionsByTenant();
        byTenant.keySet().removeIf(include.negate());
        Report total = new Report(0, 0, 0, 0, 0);
        for (Map.Entry<String, List<BudgetDefinition>> e : byTenant.entrySet()) {
            total = total.plus(reconcileTenant(e.getKey(), e.getValue(), now));
        }
        overLastRound.keySet().removeIf(t -> include.test(t) && !byTenant.containsKey(t)); // tenants without budgets now
        lastUnder.set(total.underMicros());
        lastOver.set(total.overMicros());
        return total;
    }

    private Report reconcileTenant(String tenant, List<BudgetDefinition> definitions, Instant now) {
        // Counters first, ledger second: see the class comment.
        CounterSnapshot counters = RedisCalls.await(engine.status(tenant, definitions, now), "read budget counters");
        if (!counters.synced()) {
            overLastRound.remove(tenant);
            return new Report(0, 0, 0, 0, 0);
        }
        Map<String, Seen> seenBefore = overLastRound.getOrDefault(tenant, Map.of());
        Map<String, Seen> seenNow = new HashMap<>();
        List<Correction> apply = new ArrayList<>();
        long under = 0;
        long over = 0;
        for (BudgetUsage u : counters.usages()) {
            long total = ledger.sum(UUID.fromString(tenant), UUID.fromString(u.budget().id()), u.window().start(),
                    u.window().end());
            Correction c = new Correction(u.budget(), u.window(), u.spentMicros(), total);
            long drift = c.driftMicros();
            if (drift < 0) {
                under -= drift;
                apply.add(c);
            } else if (drift > 0) {
                String id = u.budget().id() + "@" + u.window().start();
                Seen seen = new Seen(c.observedMicros(), total);
                seenNow.put(id, seen);
                if (seen.equals(seenBefore.get(id))) {
                    over += drift;
                    LOG.warnf("budget %s counts %d micro-USD more than the ledger for two rounds%s", u.budget().id(), drift,
                            lowerOvercount ? ": lowering it" : " (left as is: acc.budget.reconcile.lower-overcount=false)");
                    if (lowerOvercount) {
                        apply.add(c);
                    }
                }
            }
        }
        int raisedNow = 0;
        int loweredNow = 0;
        for (Correction.Result r : RedisCalls.await(engine.correct(tenant, apply), "correct budget counters")) {
            if (!r.applied()) {
                continue; // a settle landed since the read: the next round looks again
            }
            if (r.correction().driftMicros() < 0) {
                raisedNow++;
                raised.increment();
                LOG.warnf("budget %s counter was %d micro-USD below the ledger: raised to %d", r.correction().budget().id(),
                        -r.correction().driftMicros(), r.spentMicros());
            } else {
                loweredNow++;
                lowered.increment();
            }
        }
        if (seenNow.isEmpty()) {
            overLastRound.remove(tenant);
        } else {
            overLastRound.put(tenant, seenNow);
        }
        return new Report(counters.usages().size(), under, over, raisedNow, loweredNow);
    }
}
