package com.agentcostcontrol.budget.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.budget.Fixtures;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.BudgetEngine;
import com.agentcostcontrol.budget.core.BudgetKeys;
import com.agentcostcontrol.budget.core.Correction;
import com.agentcostcontrol.budget.core.Reservation;
import com.agentcostcontrol.budget.core.ReserveOutcome;
import com.agentcostcontrol.budget.repository.BudgetRepository;
import com.agentcostcontrol.budget.repository.LedgerRepository;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Issue 4 item 3: the periodic reconciliation repairs counter-vs-ledger drift and reports it. */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class CounterReconcilerTest {

    @Inject
    Fixtures fx;
    @Inject
    BudgetEngine engine;
    @Inject
    BudgetService budgets;
    @Inject
    BudgetRepository budgetRepository;
    @Inject
    LedgerRepository ledgerRepository;
    @Inject
    LedgerService ledger;
    @Inject
    CounterSync sync;
    @Inject
    CounterReconciler reconciler;
    @Inject
    MeterRegistry metrics;
    @Inject
    RedisDataSource redis;

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** A tenant with one daily hard budget of $1 and {@code calls} settled calls recorded in the ledger. */
    private BudgetDefinition budgetWithSpend(UUID tenant, long... costs) throws Exception {
        BudgetDefinition d = budgets.find(UUID.fromString(fx.budget(tenant,
                "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"1\"}"))).orElseThrow().definition();
        sync.rebuildTenant(tenant);
        for (long cost : costs) {
            settle(tenant, d, cost, true);
        }
        return d;
    }

    private void settle(UUID tenant, BudgetDefinition d, long cost, boolean recordInLedger) throws Exception {
        String request = "call-" + UUID.randomUUID();
        Instant at = Instant.now();
        Reservation r = ((ReserveOutcome.Admitted) await(engine.reserve(tenant.toString(), request, cost, List.of(d), at)))
                .reservation();
        await(engine.settle(r, cost));
        if (recordInLedger) {
            assertTrue(ledger.recordSettled(request, tenant, List.of(UUID.fromString(d.id())), cost, at));
        }
    }

    private long spent(UUID tenant, BudgetDefinition d) throws Exception {
        return await(engine.status(tenant.toString(), List.of(d), Instant.now())).usages().get(0).spentMicros();
    }

    private String counterKey(BudgetDefinition d) {
        return BudgetKeys.counter(d.tenantId(), d.id(), d.windowAt(Instant.now()));
    }

    private CounterReconciler.Report round(CounterReconciler r, UUID tenant) {
        return r.reconcile(t -> t.equals(tenant.toString()));
    }

    @Test
    void aCounterThatLostSpendIsRaisedToTheLedgerAndReported() throws Exception {
        UUID tenant = fx.tenant();
        BudgetDefinition d = budgetWithSpend(tenant, 120_001, 230_002, 45_003);
        assertEquals(395_006, spent(tenant, d));
        redis.hash(Long.class).hincrby(counterKey(d), "spent", -200_000); // e.g. a failover to a lagging replica
        assertEquals(195_006, spent(tenant, d));
        double before = metrics.counter("acc.budget.reconcile.corrections", "direction", "raised").count();

        CounterReconciler.Report report = round(reconciler, tenant);

        assertEquals(new CounterReconciler.Report(1, 200_000, 0, 1, 0), report);
        assertEquals(395_006, spent(tenant, d));
        assertEquals(before + 1, metrics.counter("acc.budget.reconcile.corrections", "direction", "raised").count());
        assertEquals(200_000.0, metrics.get("acc.budget.reconcile.drift.micros").tag("direction", "under").gauge().value());
        // Enforcement is exact again: the remaining room fits, one micro-dollar more does not.
        long room = 1_000_000 - 395_006;
        assertTrue(await(engine.reserve(tenant.toString(), "over", room + 1, List.of(d), Instant.now()))
                instanceof ReserveOutcome.Refused);
        // A round with nothing to repair changes nothing.
        assertEquals(new CounterReconciler.Report(1, 0, 0, 0, 0), round(reconciler, tenant));
    }

    @Test
    void spendNotYetInTheLedgerIsNeverLowered() throws Exception {
        UUID tenant = fx.tenant();
        BudgetDefinition d = budgetWithSpend(tenant, 100_000);
        CounterReconciler lowering = new CounterReconciler(budgetRepository, ledgerRepository, engine, true,
                new SimpleMeterRegistry());
        settle(tenant, d, 50_000, false); // settled in Redis, its usage event not consumed yet

        CounterReconciler.Report first = round(lowering, tenant);
        assertEquals(new CounterReconciler.Report(1, 0, 0, 0, 0), first); // above the ledger once: wait
        assertEquals(150_000, spent(tenant, d));

        // The event reaches the ledger before the next round: no drift, nothing lowered.
        ledger.recordSettled("late-" + UUID.randomUUID(), tenant, List.of(UUID.fromString(d.id())), 50_000, Instant.now());
        assertEquals(new CounterReconciler.Report(1, 0, 0, 0, 0), round(lowering, tenant));
        assertEquals(150_000, spent(tenant, d));
    }

    @Test
    void aStableOvercountIsReportedAndLoweredOnlyWhenConfigured() throws Exception {
        UUID tenant = fx.tenant();
        BudgetDefinition d = budgetWithSpend(tenant, 100_000);
        redis.hash(Long.class).hincrby(counterKey(d), "spent", 7_000);

        // Default policy: reported from the second identical round on, never lowered.
        assertEquals(new CounterReconciler.Report(1, 0, 0, 0, 0), round(reconciler, tenant));
        assertEquals(new CounterReconciler.Report(1, 0, 7_000, 0, 0), round(reconciler, tenant));
        assertEquals(new CounterReconciler.Report(1, 0, 7_000, 0, 0), round(reconciler, tenant));
        assertEquals(107_000, spent(tenant, d));
        assertEquals(7_000.0, metrics.get("acc.budget.reconcile.drift.micros").tag("direction", "over").gauge().value());

        SimpleMeterRegistry own = new SimpleMeterRegistry();
        CounterReconciler lowering = new CounterReconciler(budgetRepository, ledgerRepository, engine, true, own);
        assertEquals(new CounterReconciler.Report(1, 0, 0, 0, 0), round(lowering, tenant));
        assertEquals(new CounterReconciler.Report(1, 0, 7_000, 0, 1), round(lowering, tenant));
        assertEquals(100_000, spent(tenant, d));
        assertEquals(1.0, own.counter("acc.budget.reconcile.corrections", "direction", "lowered").count());
    }

    @Test
    void theCompareAndSetNeverOverwritesASettleThatLandedMeanwhile() throws Exception {
        UUID tenant = fx.tenant();
        BudgetDefinition d = budgetWithSpend(tenant, 100_000);
        long observed = spent(tenant, d);
        settle(tenant, d, 30_000, true); // lands between the reconciler's read and its write

        List<Correction.Result> results = await(engine.correct(tenant.toString(),
                List.of(new Correction(d, d.windowAt(Instant.now()), observed, 0))));

        assertFalse(results.get(0).applied());
        assertEquals(130_000, results.get(0).spentMicros());
        assertEquals(130_000, spent(tenant, d));
    }

    @Test
    void unsyncedTenantsAreLeftToTheRebuild() throws Exception {
        UUID tenant = fx.tenant();
        BudgetDefinition d = budgetWithSpend(tenant, 100_000);
        redis.key().del(BudgetKeys.synced(tenant.toString()));
        redis.hash(Long.class).hincrby(counterKey(d), "spent", -100_000);

        assertEquals(new CounterReconciler.Report(0, 0, 0, 0, 0), round(reconciler, tenant));
        assertEquals(0, spent(tenant, d));
    }
}
