package com.agentcostcontrol.budget.core;

import com.agentcostcontrol.platform.redis.RedisScriptExecutor;

import static com.agentcostcontrol.budget.core.TestRedis.await;
import static com.agentcostcontrol.budget.core.TestRedis.budget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.redis.client.Command;

/** The reservation protocol against a real Redis. Amounts are micro-USD. */
class BudgetEngineTest {

    private static TestRedis redis;
    private static BudgetEngine engine;

    @BeforeAll
    static void start() {
        redis = new TestRedis();
        engine = new BudgetEngine(redis.executor, BudgetEngine.Settings.defaults());
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private static String syncedTenant() {
        String tenant = TestRedis.newTenant();
        await(engine.markSynced(tenant));
        return tenant;
    }

    private static ReserveOutcome reserve(String tenant, String id, long amount, List<BudgetDefinition> budgets) {
        return await(engine.reserve(tenant, id, amount, budgets, Instant.now()));
    }

    private static BudgetUsage usage(String tenant, BudgetDefinition b) {
        return await(engine.status(tenant, List.of(b), Instant.now())).usages().get(0);
    }

    @Test
    void reserveSettleAndReleaseAreExactToTheMicroDollar() {
        String t = syncedTenant();
        BudgetDefinition b = budget(t, BudgetScope.tenant(), BudgetPeriod.DAILY, 1_000_000, BudgetMode.HARD);

        Reservation r1 = assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "req-1", 300_001, List.of(b))).reservation();
        Reservation r2 = assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "req-2", 250_000, List.of(b))).reservation();
        BudgetUsage u = usage(t, b);
        assertEquals(0, u.spentMicros());
        assertEquals(550_001, u.reservedMicros());
        assertEquals(449_999, u.remainingMicros());

        SettleOutcome s = await(engine.settle(r1, 123_457));
        assertEquals(SettleOutcome.Status.SETTLED, s.status());
        assertEquals(300_001, s.releasedMicros());
        assertEquals(123_457, s.after().get(0).spentMicros());
        assertEquals(250_000, s.after().get(0).reservedMicros());

        ReleaseOutcome rel = await(engine.release(r2));
        assertTrue(rel.released());
        assertEquals(250_000, rel.amountMicros());
        u = usage(t, b);
        assertEquals(123_457, u.spentMicros());
        assertEquals(0, u.reservedMicros());
        assertEquals(876_543, u.remainingMicros());

        // Releasing twice, or releasing what was settled, gives nothing back twice.
        assertFalse(await(engine.release(r2)).released());
        assertFalse(await(engine.release(r1)).released());
        assertEquals(876_543, usage(t, b).remainingMicros());
    }

    @Test
    void aReservationExactlyFillingTheLimitIsAdmittedAndOneMicroMoreIsRefused() {
        String t = syncedTenant();
        BudgetDefinition b = budget(t, BudgetScope.tenant(), BudgetPeriod.MONTHLY, 500_000, BudgetMode.HARD);
        assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "a", 499_999, List.of(b)));
        ReserveOutcome.Refused refused = assertInstanceOf(ReserveOutcome.Refused.class, reserve(t, "b", 2, List.of(b)));
        assertEquals(b.id(), refused.budgetId());
        assertEquals(1, refused.remainingMicros());
        assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "c", 1, List.of(b)));
        assertEquals(0, usage(t, b).remainingMicros());
        assertEquals(500_000, usage(t, b).reservedMicros());
    }

    @Test
    void reservesAgainstEveryBudgetOrNone() {
        String t = syncedTenant();
        BudgetDefinition tenantBudget = budget(t, BudgetScope.tenant(), BudgetPeriod.MONTHLY, 10_000_000, BudgetMode.HARD);
        BudgetDefinition keyBudget = budget(t, BudgetScope.key("key-1"), BudgetPeriod.DAILY, 1_000_000, BudgetMode.HARD);
        BudgetDefinition agentBudget = budget(t, BudgetScope.agent("planner"), BudgetPeriod.WEEKLY, 2_000_000, BudgetMode.HARD);
        BudgetDefinition soft = budget(t, BudgetScope.model("gpt-4o"), BudgetPeriod.TOTAL, 100_000, BudgetMode.SOFT);
        List<BudgetDefinition> all = List.of(tenantBudget, keyBudget, agentBudget, soft);

        ReserveOutcome.Admitted first = assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "r1", 800_000, all));
        // The soft budget is crossed (800000 > 100000) but never refuses; it is reported.
        assertEquals(List.of(soft.id()), first.softCrossed().stream().map(u -> u.budget().id()).toList());

        // 800000 + 300000 > 1000000 on the key budget: nothing may be reserved anywhere.
        ReserveOutcome.Refused refused = assertInstanceOf(ReserveOutcome.Refused.class, reserve(t, "r2", 300_000, all));
        assertEquals(keyBudget.id(), refused.budgetId());
        assertEquals(200_000, refused.remainingMicros());
        for (BudgetDefinition b : all) {
            assertEquals(800_000, usage(t, b).reservedMicros(), "budget " + b.scope().type() + " changed by a refused reservation");
        }

        // When several hard budgets refuse, the one with the least room is named.
        ReserveOutcome.Refused tightest = assertInstanceOf(ReserveOutcome.Refused.class, reserve(t, "r3", 1_500_000, all));
        assertEquals(keyBudget.id(), tightest.budgetId());

        // Without the key budget the same call fits.
        assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "r4", 300_000, List.of(tenantBudget, agentBudget, soft)));
        assertEquals(1_100_000, usage(t, tenantBudget).reservedMicros());
        assertEquals(800_000, usage(t, keyBudget).reservedMicros());
    }

    @Test
    void settlingTwiceCountsOnce() {
        String t = syncedTenant();
        BudgetDefinition a = budget(t, BudgetScope.tenant(), BudgetPeriod.DAILY, 5_000_000, BudgetMode.HARD);
        BudgetDefinition k = budget(t, BudgetScope.key("k"), BudgetPeriod.DAILY, 5_000_000, BudgetMode.SOFT);
        Reservation r = ((ReserveOutcome.Admitted) reserve(t, "once", 1_000_000, List.of(a, k))).reservation();

        assertEquals(SettleOutcome.Status.SETTLED, await(engine.settle(r, 654_321)).status());
        SettleOutcome again = await(engine.settle(r, 654_321));
        assertEquals(SettleOutcome.Status.DUPLICATE, again.status());
        assertEquals(654_321, again.actualMicros());
        // A retry with a different figure still changes nothing: the first settle is the truth.
        assertEquals(SettleOutcome.Status.DUPLICATE, await(engine.settle(r, 999_999)).status());
        for (BudgetDefinition b : List.of(a, k)) {
            assertEquals(654_321, usage(t, b).spentMicros());
            assertEquals(0, usage(t, b).reservedMicros());
        }
    }

    @Test
    void aRetriedReserveHoldsTheAmountOnce() {
        String t = syncedTenant();
        BudgetDefinition b = budget(t, BudgetScope.tenant(), BudgetPeriod.DAILY, 1_000_000, BudgetMode.HARD);
        assertFalse(((ReserveOutcome.Admitted) reserve(t, "same", 600_000, List.of(b))).duplicate());
        ReserveOutcome.Admitted retry = assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "same", 600_000, List.of(b)));
        assertTrue(retry.duplicate());
        assertEquals(600_000, usage(t, b).reservedMicros());
    }

    @Test
    void expiredLeasesReleaseTheirAmountWithoutAnySeparateProcess() throws InterruptedException {
        String t = syncedTenant();
        BudgetDefinition b = budget(t, BudgetScope.tenant(), BudgetPeriod.DAILY, 1_000_000, BudgetMode.HARD);
        BudgetDefinition k = budget(t, BudgetScope.key("k"), BudgetPeriod.TOTAL, 1_000_000, BudgetMode.HARD);
        // A proxy reserves and "crashes": it never settles.
        Reservation crashed = ((ReserveOutcome.Admitted) await(engine.reserve(t, "crashed", 900_000, List.of(b, k),
                Instant.now(), Duration.ofMillis(150)))).reservation();
        assertInstanceOf(ReserveOutcome.Refused.class, reserve(t, "blocked", 200_000, List.of(b)));

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (usage(t, b).reservedMicros() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        // The status script swept the expired lease from both counters it held.
        assertEquals(0, usage(t, b).reservedMicros());
        assertEquals(0, usage(t, k).reservedMicros());
        assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "now-fits", 200_000, List.of(b)));

        // If the crashed call's settle arrives after all, its cost still counts (money spent is spent).
        SettleOutcome late = await(engine.settle(crashed, 100_000));
        assertEquals(SettleOutcome.Status.LATE, late.status());
        assertEquals(100_000, usage(t, b).spentMicros());
        assertEquals(200_000, usage(t, b).reservedMicros());
        assertEquals(100_000, usage(t, k).spentMicros());
    }

    @Test
    void reserveSweepsExpiredLeasesItself() throws InterruptedException {
        String t = syncedTenant();
        BudgetDefinition b = budget(t, BudgetScope.tenant(), BudgetPeriod.DAILY, 1_000_000, BudgetMode.HARD);
        await(engine.reserve(t, "gone", 1_000_000, List.of(b), Instant.now(), Duration.ofMillis(50)));
        Thread.sleep(120);
        // No status call in between: the reserve script itself releases the expired lease, then admits.
        assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "next", 1_000_000, List.of(b)));
    }

    @Test
    void renewKeepsALongCallsLeaseAlive() throws InterruptedException {
        String t = syncedTenant();
        BudgetDefinition b = budget(t, BudgetScope.tenant(), BudgetPeriod.DAILY, 1_000_000, BudgetMode.HARD);
        Reservation r = ((ReserveOutcome.Admitted) await(engine.reserve(t, "stream", 400_000, List.of(b), Instant.now(),
                Duration.ofMillis(300)))).reservation();
        assertTrue(await(engine.renew(r, Duration.ofSeconds(30))));
        Thread.sleep(400);
        assertEquals(400_000, usage(t, b).reservedMicros());
        assertEquals(SettleOutcome.Status.SETTLED, await(engine.settle(r, 350_000)).status());
        assertFalse(await(engine.renew(r, Duration.ofSeconds(30))), "a settled lease is never revived");
    }

    @Test
    void periodsRollOverAndASettleStaysInTheReservationsPeriod() {
        String t = syncedTenant();
        ZoneId zone = ZoneId.of("America/New_York");
        BudgetDefinition daily = new BudgetDefinition(java.util.UUID.randomUUID().toString(), t, BudgetScope.tenant(),
                BudgetPeriod.DAILY, 1_000_000, BudgetMode.HARD, List.of(), zone, Instant.now());
        PeriodWindow today = daily.windowAt(Instant.now());
        Instant lateToday = today.end().minusSeconds(60);
        Instant earlyTomorrow = today.end().plusSeconds(60);

        Reservation r = ((ReserveOutcome.Admitted) await(engine.reserve(t, "evening", 900_000, List.of(daily), lateToday)))
                .reservation();
        assertInstanceOf(ReserveOutcome.Refused.class, await(engine.reserve(t, "evening-2", 200_000, List.of(daily), lateToday)));
        // A new day is a new counter with the whole limit.
        ReserveOutcome.Admitted tomorrow = assertInstanceOf(ReserveOutcome.Admitted.class,
                await(engine.reserve(t, "morning", 900_000, List.of(daily), earlyTomorrow)));
        assertEquals(today.end(), tomorrow.reservation().budgets().get(0).window().start());

        // The evening call settles after midnight: it is charged to the day it was reserved in.
        SettleOutcome s = await(engine.settle(r, 500_000));
        assertEquals(today, s.after().get(0).window());
        assertEquals(500_000, s.after().get(0).spentMicros());
        BudgetUsage next = await(engine.status(t, List.of(daily), earlyTomorrow)).usages().get(0);
        assertEquals(0, next.spentMicros());
        assertEquals(900_000, next.reservedMicros());

        // Counters expire a little after their period ends (default grace 7 days).
        long ttl = (Long) redis.command(Command.TTL, BudgetKeys.counter(t, daily.id(), today));
        long expected = Duration.between(Instant.now(), today.end().plus(Duration.ofDays(7))).toSeconds();
        assertTrue(Math.abs(ttl - expected) <= 5, "ttl " + ttl + " vs " + expected);
    }

    @Test
    void totalBudgetsNeverExpire() {
        String t = syncedTenant();
        BudgetDefinition total = budget(t, BudgetScope.tenant(), BudgetPeriod.TOTAL, 1_000_000, BudgetMode.HARD);
        Reservation r = ((ReserveOutcome.Admitted) reserve(t, "x", 10, List.of(total))).reservation();
        await(engine.settle(r, 10));
        assertEquals(-1L, redis.command(Command.TTL, BudgetKeys.counter(t, total.id(), total.windowAt(Instant.now()))));
    }

    @Test
    void softBudgetsNeverRefuse() {
        String t = syncedTenant();
        BudgetDefinition soft = budget(t, BudgetScope.tenant(), BudgetPeriod.DAILY, 100, BudgetMode.SOFT);
        for (int i = 0; i < 3; i++) {
            ReserveOutcome.Admitted a = assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "s" + i, 80, List.of(soft)));
            assertEquals(i == 0 ? 0 : 1, a.softCrossed().size());
        }
        assertEquals(240, usage(t, soft).reservedMicros());
        assertEquals(0, usage(t, soft).remainingMicros());
    }

    @Test
    void callsWithoutBudgetsNeverTouchRedis() {
        AtomicInteger calls = new AtomicInteger();
        BudgetEngine counting = new BudgetEngine(new CountingExecutor(redis.executor, calls, new AtomicInteger()),
                BudgetEngine.Settings.defaults());
        ReserveOutcome.Admitted a = assertInstanceOf(ReserveOutcome.Admitted.class,
                await(counting.reserve(TestRedis.newTenant(), "free", 5, List.of(), Instant.now())));
        assertEquals(SettleOutcome.Status.SETTLED, await(counting.settle(a.reservation(), 5)).status());
        assertEquals(0, calls.get());
    }

    @Test
    void rebuildRestoresCountersFromLedgerTotalsAfterFlushdb() {
        String t = syncedTenant();
        BudgetDefinition hard = budget(t, BudgetScope.tenant(), BudgetPeriod.MONTHLY, 10_000_000, BudgetMode.HARD);
        BudgetDefinition key = budget(t, BudgetScope.key("k"), BudgetPeriod.TOTAL, 50_000_000, BudgetMode.SOFT);
        long ledgerTotal = 0;
        for (int i = 0; i < 5; i++) {
            Reservation r = ((ReserveOutcome.Admitted) reserve(t, "call-" + i, 1_000_000, List.of(hard, key))).reservation();
            long actual = 123_457L * (i + 1);
            await(engine.settle(r, actual));
            ledgerTotal += actual;
        }
        assertEquals(ledgerTotal, usage(t, hard).spentMicros());

        redis.flushdb();
        CounterSnapshot lost = await(engine.status(t, List.of(hard, key), Instant.now()));
        assertFalse(lost.synced());
        assertEquals(0, lost.usages().get(0).spentMicros());
        // Until counters are rebuilt, a hard budget cannot be judged: nothing is reserved.
        assertInstanceOf(ReserveOutcome.Unsynced.class, reserve(t, "while-lost", 1, List.of(hard, key)));
        assertEquals(0, usage(t, hard).reservedMicros());
        // Soft-only calls go on (soft budgets never refuse).
        assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "soft-only", 1, List.of(key)));

        Instant now = Instant.now();
        List<BudgetUsage> rebuilt = await(engine.rebuild(t, List.of(
                new RebuildEntry(hard, hard.windowAt(now), ledgerTotal),
                new RebuildEntry(key, key.windowAt(now), ledgerTotal))));
        assertEquals(ledgerTotal, rebuilt.get(0).spentMicros());
        CounterSnapshot back = await(engine.status(t, List.of(hard, key), Instant.now()));
        assertTrue(back.synced());
        assertEquals(ledgerTotal, back.usages().get(0).spentMicros());
        assertEquals(ledgerTotal, back.usages().get(1).spentMicros());
        assertEquals(1, back.usages().get(1).reservedMicros());
        assertEquals(10_000_000 - ledgerTotal, back.usages().get(0).remainingMicros());

        // A rebuild never lowers a counter that is ahead of the ledger (settled calls not yet in the ledger).
        await(engine.rebuild(t, List.of(new RebuildEntry(hard, hard.windowAt(now), ledgerTotal - 1000))));
        assertEquals(ledgerTotal, usage(t, hard).spentMicros());
        assertInstanceOf(ReserveOutcome.Refused.class, reserve(t, "over", 10_000_000 - ledgerTotal + 1, List.of(hard)));
        assertInstanceOf(ReserveOutcome.Admitted.class, reserve(t, "fits", 10_000_000 - ledgerTotal, List.of(hard)));
    }

    @Test
    void runsScriptsBySha1AndReloadsThemAfterScriptFlush() {
        AtomicInteger evalSha = new AtomicInteger();
        AtomicInteger eval = new AtomicInteger();
        BudgetEngine counting = new BudgetEngine(new CountingExecutor(redis.executor, evalSha, eval), BudgetEngine.Settings.defaults());
        String t = syncedTenant();
        BudgetDefinition b = budget(t, BudgetScope.tenant(), BudgetPeriod.DAILY, 1_000, BudgetMode.HARD);

        redis.command(Command.SCRIPT, "FLUSH");
        assertInstanceOf(ReserveOutcome.Admitted.class, await(counting.reserve(t, "a", 10, List.of(b), Instant.now())));
        assertEquals(1, eval.get(), "NOSCRIPT must fall back to EVAL once");
        assertInstanceOf(ReserveOutcome.Admitted.class, await(counting.reserve(t, "b", 10, List.of(b), Instant.now())));
        assertEquals(2, evalSha.get());
        assertEquals(1, eval.get(), "the script is cached after the first EVAL");
    }

    @Test
    void rejectsMalformedInput() {
        String t = syncedTenant();
        BudgetDefinition b = budget(t, BudgetScope.tenant(), BudgetPeriod.DAILY, 1_000, BudgetMode.HARD);
        BudgetDefinition other = budget(TestRedis.newTenant(), BudgetScope.tenant(), BudgetPeriod.DAILY, 1_000, BudgetMode.HARD);
        assertThrows(IllegalArgumentException.class, () -> engine.reserve(t, "x", -1, List.of(b), Instant.now()));
        assertThrows(IllegalArgumentException.class, () -> engine.reserve(t, "x", Money.MAX_MICROS + 1, List.of(b), Instant.now()));
        assertThrows(IllegalArgumentException.class, () -> engine.reserve(t, "has|pipe", 1, List.of(b), Instant.now()));
        assertThrows(IllegalArgumentException.class, () -> engine.reserve(t, "x", 1, List.of(b, other), Instant.now()));
        assertNotEquals(BudgetKeys.counter(t, b.id(), b.windowAt(Instant.now())),
                BudgetKeys.counter(other.tenantId(), b.id(), b.windowAt(Instant.now())));
    }

    /** Counts EVALSHA / EVAL on the way to the real executor. */
    record CountingExecutor(RedisScriptExecutor delegate, AtomicInteger evalSha, AtomicInteger eval)
            implements RedisScriptExecutor {
        @Override
        public CompletionStage<Object> evalSha(String sha1, List<String> keys, List<String> args) {
            evalSha.incrementAndGet();
            return delegate.evalSha(sha1, keys, args);
        }

        @Override
        public CompletionStage<Object> eval(String script, List<String> keys, List<String> args) {
            eval.incrementAndGet();
            return delegate.eval(script, keys, args);
        }
    }
}
