package com.agentcostcontrol.budget.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import com.agentcostcontrol.budget.core.CounterSnapshot;
import com.agentcostcontrol.budget.core.Reservation;
import com.agentcostcontrol.budget.core.ReserveOutcome;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_budget"), @ResourceArg(name = "redisDb", value = "2") })
class CounterSyncTest {

    @Inject
    Fixtures fx;
    @Inject
    BudgetEngine engine;
    @Inject
    BudgetService budgets;
    @Inject
    LedgerService ledgerService;
    @Inject
    CounterSync sync;
    @Inject
    RedisDataSource redis;

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void rebuildRestoresSpendToTheMicroDollarAfterFlushdb() throws Exception {
        UUID tenant = fx.tenant();
        UUID key = fx.key(tenant);
        BudgetDefinition monthly = definition(fx.budget(tenant,
                "{\"scope\":{\"type\":\"tenant\"},\"period\":\"monthly\",\"limitUsd\":\"5\",\"timezone\":\"America/Chicago\"}"));
        BudgetDefinition keyTotal = definition(fx.budget(tenant,
                "{\"scope\":{\"type\":\"key\",\"id\":\"" + key + "\"},\"period\":\"total\",\"limitUsd\":\"100\",\"mode\":\"soft\"}"));
        List<BudgetDefinition> both = List.of(monthly, keyTotal);

        long total = 0;
        for (int i = 1; i <= 7; i++) {
            String request = "call-" + UUID.randomUUID();
            Instant at = Instant.now();
            Reservation r = ((ReserveOutcome.Admitted) await(engine.reserve(tenant.toString(), request, 500_000, both, at)))
                    .reservation();
            long actual = 100_003L * i + 7;
            await(engine.settle(r, actual));
            assertTrue(ledgerService.recordSettled(request, tenant, List.of(UUID.fromString(monthly.id()),
                    UUID.fromString(keyTotal.id())), actual, at));
            total += actual;
        }
        String before = fx.admin(tenant).get("/v1/budgets/" + monthly.id() + "/status").then().statusCode(200)
                .extract().path("spentUsd");
        assertEquals(com.agentcostcontrol.budget.core.Money.formatUsd(total), before);

        redis.execute("FLUSHDB");
        CounterSnapshot lost = await(engine.status(tenant.toString(), both, Instant.now()));
        assertFalse(lost.synced());
        assertEquals(0, lost.usages().get(0).spentMicros());
        // Until the rebuild, the proxy cannot judge the hard budget: it refuses to reserve.
        assertInstanceOf(ReserveOutcome.Unsynced.class,
                await(engine.reserve(tenant.toString(), "during-loss", 1, both, Instant.now())));

        CounterSync.Report report = sync.rebuildCounters();
        assertTrue(report.budgets() >= 2);
        assertTrue(redis.key().exists(BudgetKeys.REBUILT_MARKER));

        CounterSnapshot back = await(engine.status(tenant.toString(), both, Instant.now()));
        assertTrue(back.synced());
        assertEquals(total, back.usages().get(0).spentMicros());
        assertEquals(total, back.usages().get(1).spentMicros());
        assertEquals(0, back.usages().get(0).reservedMicros());
        String after = fx.admin(tenant).get("/v1/budgets/" + monthly.id() + "/status").then().statusCode(200)
                .extract().path("spentUsd");
        assertEquals(before, after);
        // And enforcement resumes exactly where it was: the remaining room is admitted, one micro-dollar more is not.
        long room = 5_000_000 - total;
        assertInstanceOf(ReserveOutcome.Refused.class,
                await(engine.reserve(tenant.toString(), "over", room + 1, both, Instant.now())));
        assertInstanceOf(ReserveOutcome.Admitted.class,
                await(engine.reserve(tenant.toString(), "fits", room, both, Instant.now())));
    }

    @Test
    void theSyncCheckNoticesLostCountersAndRebuildsThem() throws Exception {
        UUID tenant = fx.tenant();
        BudgetDefinition daily = definition(fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"1\"}"));
        String request = "call-" + UUID.randomUUID();
        Instant at = Instant.now();
        Reservation r = ((ReserveOutcome.Admitted) await(engine.reserve(tenant.toString(), request, 300_000, List.of(daily), at)))
                .reservation();
        await(engine.settle(r, 250_000));
        ledgerService.recordSettled(request, tenant, List.of(UUID.fromString(daily.id())), 250_000, at);

        sync.check(); // marker missing at first start too: a rebuild is harmless
        assertTrue(redis.key().exists(BudgetKeys.REBUILT_MARKER));
        redis.execute("FLUSHDB");
        assertFalse(redis.key().exists(BudgetKeys.REBUILT_MARKER));
        sync.check();
        assertTrue(redis.key().exists(BudgetKeys.REBUILT_MARKER));
        CounterSnapshot s = await(engine.status(tenant.toString(), List.of(daily), Instant.now()));
        assertTrue(s.synced());
        assertEquals(250_000, s.usages().get(0).spentMicros());
    }

    @Test
    void changingABudgetsPeriodRefillsTheNewCounterFromTheLedger() throws Exception {
        UUID tenant = fx.tenant();
        BudgetDefinition d = definition(fx.budget(tenant, "{\"scope\":{\"type\":\"tenant\"},\"period\":\"daily\",\"limitUsd\":\"1\"}"));
        String request = "call-" + UUID.randomUUID();
        Instant at = Instant.now();
        Reservation r = ((ReserveOutcome.Admitted) await(engine.reserve(tenant.toString(), request, 300_000, List.of(d), at)))
                .reservation();
        await(engine.settle(r, 200_000));
        ledgerService.recordSettled(request, tenant, List.of(UUID.fromString(d.id())), 200_000, at);

        fx.admin(tenant).body("{\"scope\":{\"type\":\"tenant\"},\"period\":\"total\",\"limitUsd\":\"1\"}")
                .put("/v1/budgets/" + d.id()).then().statusCode(200);
        BudgetDefinition total = definition(d.id());
        CounterSnapshot s = await(engine.status(tenant.toString(), List.of(total), Instant.now()));
        assertEquals(200_000, s.usages().get(0).spentMicros());
        assertInstanceOf(ReserveOutcome.Refused.class,
                await(engine.reserve(tenant.toString(), "too-much", 800_001, List.of(total), Instant.now())));
    }

    private BudgetDefinition definition(String id) {
        return budgets.find(UUID.fromString(id)).orElseThrow().definition();
    }
}
