package com.agentcostcontrol.budget.core;

import static com.agentcostcontrol.budget.core.TestRedis.await;
import static com.agentcostcontrol.budget.core.TestRedis.budget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets must never overshoot under concurrency: many reservations in flight at once over a pool
 * of Redis connections, against a hard budget that admits only a fraction of them.
 */
class BudgetConcurrencyTest {

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

    @Test
    void twoHundredConcurrentReservationsNeverOvershootAHardBudget() {
        String t = TestRedis.newTenant();
        await(engine.markSynced(t));
        long limit = 1_000_000; // USD 1.00
        BudgetDefinition hard = budget(t, BudgetScope.tenant(), BudgetPeriod.DAILY, limit, BudgetMode.HARD);
        BudgetDefinition keyBudget = budget(t, BudgetScope.key("k"), BudgetPeriod.MONTHLY, 50_000_000, BudgetMode.HARD);
        BudgetDefinition soft = budget(t, BudgetScope.model("m"), BudgetPeriod.TOTAL, 500_000, BudgetMode.SOFT);
        List<BudgetDefinition> budgets = List.of(hard, keyBudget, soft);

        Random random = new Random(42);
        int n = 200;
        long[] amounts = new long[n];
        List<CompletableFuture<ReserveOutcome>> inFlight = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            amounts[i] = 40_000 + random.nextInt(20_001); // USD 0.04 .. 0.06: about 20 fit
        }
        Instant at = Instant.now();
        for (int i = 0; i < n; i++) {
            // All 200 are sent before any answer arrives.
            inFlight.add(engine.reserve(t, "burst-" + i, amounts[i], budgets, at).toCompletableFuture());
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();

        List<Reservation> admitted = new ArrayList<>();
        long admittedSum = 0;
        long smallestRefused = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            ReserveOutcome o = inFlight.get(i).join();
            if (o instanceof ReserveOutcome.Admitted a) {
                admitted.add(a.reservation());
                admittedSum += amounts[i];
            } else {
                ReserveOutcome.Refused r = (ReserveOutcome.Refused) o;
                assertEquals(hard.id(), r.budgetId());
                assertTrue(r.remainingMicros() < amounts[i]);
                smallestRefused = Math.min(smallestRefused, amounts[i]);
            }
        }
        CounterSnapshot held = await(engine.status(t, budgets, at));
        System.out.printf("[budget-concurrency] burst: %d reservations, %d admitted, %d refused, held %s of %s USD%n",
                n, admitted.size(), n - admitted.size(), Money.formatUsd(admittedSum), Money.formatUsd(limit));
        assertTrue(admittedSum <= limit, "reserved " + admittedSum + " > limit " + limit);
        assertTrue(admitted.size() >= 16 && admitted.size() <= 25, "admitted " + admitted.size());
        // All or nothing: every budget holds exactly the admitted reservations.
        for (BudgetUsage u : held.usages()) {
            assertEquals(admittedSum, u.reservedMicros(), u.budget().scope().type() + " reserved");
            assertEquals(0, u.spentMicros());
        }
        // No refusal was wrong: room only shrank during the burst, and what is left fits none of them.
        assertTrue(limit - admittedSum < smallestRefused, "a refused reservation would have fit");

        // Settle every admitted call concurrently with an actual cost up to its reservation, each twice.
        long settledSum = 0;
        List<CompletableFuture<SettleOutcome>> settles = new ArrayList<>();
        for (Reservation r : admitted) {
            long actual = random.nextInt((int) r.amountMicros() + 1);
            settledSum += actual;
            settles.add(engine.settle(r, actual).toCompletableFuture());
            settles.add(engine.settle(r, actual).toCompletableFuture());
        }
        CompletableFuture.allOf(settles.toArray(CompletableFuture[]::new)).join();
        long duplicates = settles.stream().filter(f -> f.join().status() == SettleOutcome.Status.DUPLICATE).count();
        assertEquals(admitted.size(), duplicates);

        CounterSnapshot after = await(engine.status(t, budgets, at));
        System.out.printf("[budget-concurrency] settled: spent %s USD (sum of %d actual costs %s), reserved %s%n",
                Money.formatUsd(after.usages().get(0).spentMicros()), admitted.size(), Money.formatUsd(settledSum),
                Money.formatUsd(after.usages().get(0).reservedMicros()));
        for (BudgetUsage u : after.usages()) {
            assertEquals(settledSum, u.spentMicros(), u.budget().scope().type() + " spent");
            assertEquals(0, u.reservedMicros());
        }
        assertTrue(after.usages().get(0).spentMicros() <= limit);
    }

    @Test
    void threadsReservingSettlingAndReleasingKeepSpentPlusReservedWithinTheLimit() throws Exception {
        String t = TestRedis.newTenant();
        await(engine.markSynced(t));
        long limit = 2_000_000;
        BudgetDefinition hard = budget(t, BudgetScope.tenant(), BudgetPeriod.WEEKLY, limit, BudgetMode.HARD);
        BudgetDefinition agent = budget(t, BudgetScope.agent("a"), BudgetPeriod.DAILY, 100_000_000, BudgetMode.HARD);
        List<BudgetDefinition> budgets = List.of(hard, agent);

        int threads = 16;
        int perThread = 100;
        AtomicLong settledSum = new AtomicLong();
        AtomicInteger admittedCount = new AtomicInteger();
        AtomicInteger refusedCount = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        AtomicLong worst = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();

        // A watcher samples both counters atomically (one script) while the workers run.
        Thread watcher = new Thread(() -> {
            while (running.get()) {
                CounterSnapshot s = await(engine.status(t, budgets, Instant.now()));
                BudgetUsage u = s.usages().get(0);
                worst.accumulateAndGet(u.spentMicros() + u.reservedMicros(), Math::max);
                if (u.spentMicros() + u.reservedMicros() > limit) {
                    violations.add(u.toString());
                }
                samples.incrementAndGet();
            }
        });
        watcher.start();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                Random random = new Random(1000 + worker);
                go.await();
                for (int i = 0; i < perThread; i++) {
                    long amount = 10_000 + random.nextInt(40_001);
                    ReserveOutcome o = await(engine.reserve(t, "w" + worker + "-" + i, amount, budgets, Instant.now()));
                    if (o instanceof ReserveOutcome.Admitted a) {
                        admittedCount.incrementAndGet();
                        if (random.nextInt(10) == 0) {
                            await(engine.release(a.reservation()));
                        } else {
                            long actual = random.nextInt((int) amount + 1);
                            if (await(engine.settle(a.reservation(), actual)).status() == SettleOutcome.Status.SETTLED) {
                                settledSum.addAndGet(actual);
                            }
                        }
                    } else {
                        refusedCount.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : workers) {
            f.get(60, TimeUnit.SECONDS);
        }
        running.set(false);
        watcher.join(10_000);
        pool.shutdown();

        CounterSnapshot end = await(engine.status(t, budgets, Instant.now()));
        System.out.printf("[budget-concurrency] churn: %d threads x %d calls, %d admitted, %d refused, %d watcher samples,"
                + " max spent+reserved %s of %s USD, final spent %s USD%n", threads, perThread, admittedCount.get(),
                refusedCount.get(), samples.get(), Money.formatUsd(worst.get()), Money.formatUsd(limit),
                Money.formatUsd(end.usages().get(0).spentMicros()));
        assertEquals(List.of(), violations);
        assertTrue(samples.get() > 10, "watcher took " + samples.get() + " samples");
        assertTrue(refusedCount.get() > 0, "the budget should have filled up");
        for (BudgetUsage u : end.usages()) {
            assertEquals(settledSum.get(), u.spentMicros());
            assertEquals(0, u.reservedMicros());
        }
        assertTrue(end.usages().get(0).spentMicros() <= limit);
    }
}
