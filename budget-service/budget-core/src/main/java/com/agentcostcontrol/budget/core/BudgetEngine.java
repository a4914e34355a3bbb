package com.agentcostcontrol.budget.core;

import com.agentcostcontrol.platform.redis.LuaScript;
import com.agentcostcontrol.platform.redis.RedisScriptExecutor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The budget reservation protocol: reserve the worst-case cost of a call against every budget that
 * applies to it (all or nothing), then settle with the actual cost or release. Each operation is one
 * atomic Lua script on one Redis slot (keys hash-tagged by tenant); nothing here blocks, so the proxy
 * calls it on the event loop.
 *
 * <p>Invariant for hard budgets: a reservation is admitted only if {@code spent + reserved + amount <= limit}
 * for every hard budget, so {@code spent + reserved} never exceeds the limit as long as each call's actual
 * cost does not exceed what it reserved and settles before its lease expires.
 *
 * <p>Thread-safe; one instance per Redis connection pool.
 */
public final class BudgetEngine {

    /**
     * Protocol settings.
     *
     * @param leaseTtl          default life of a reservation; a call still running when it ends must renew
     * @param settledMarkerTtl  how long a settled reservation id is remembered (a repeated settle within it is a no-op)
     * @param counterGrace      how long a period counter outlives its period (late settles, status of the last period)
     * @param sweepLimit        most expired leases a single script releases (bounds script run time)
     * @param timeout           how long to wait for Redis before failing the stage ({@code null}: the client's own)
     */
    public record Settings(Duration leaseTtl, Duration settledMarkerTtl, Duration counterGrace, int sweepLimit,
            Duration timeout) {

        public Settings {
            requirePositive("leaseTtl", leaseTtl);
            requirePositive("settledMarkerTtl", settledMarkerTtl);
            Objects.requireNonNull(counterGrace, "counterGrace");
            if (sweepLimit < 1) {
                throw new IllegalArgumentException("sweepLimit must be at least 1");
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(7), 100, Duration.ofSeconds(2));
        }

        public Settings withLeaseTtl(Duration ttl) {
            return new Settings(ttl, settledMarkerTtl, counterGrace, sweepLimit, timeout);
        }

        private static void requirePositive(String what, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
        }
    }

    private static final LuaScript RESERVE = LuaScript.load(BudgetEngine.class, "common", "reserve");
    private static final LuaScript SETTLE = LuaScript.load(BudgetEngine.class, "common", "settle");
    private static final LuaScript RELEASE = LuaScript.load(BudgetEngine.class, "common", "release");
    private static final LuaScript RENEW = LuaScript.load(BudgetEngine.class, "common", "renew");
    private static final LuaScript STATUS = LuaScript.load(BudgetEngine.class, "common", "status");
    private static final LuaScript REBUILD = LuaScript.load(BudgetEngine.class, "common", "rebuild");
    private static final LuaScript FORGET = LuaScript.load(BudgetEngine.class, "common", "forget");
    private static final LuaScript CORRECT = LuaScript.load(BudgetEngine.class, "common", "correct");

    private final RedisScriptExecutor redis;
    private final Settings settings;

    public BudgetEngine(RedisScriptExecutor redis, Settings settings) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /** Reserves with the default lease ttl. */
    public CompletionStage<ReserveOutcome> reserve(String tenantId, String reservationId, long amountMicros,
            List<BudgetDefinition> budgets, Instant at) {
        return reserve(tenantId, reservationId, amountMicros, budgets, at, settings.leaseTtl());
    }

    /**
     * Holds {@code amountMicros} against every budget in {@code budgets} (all of tenant {@code tenantId}),
     * each in its period at {@code at}, or against none of them.
     *
     * @param reservationId unique per call (the request id); a retried reserve with the same id is
     *                      answered {@code Admitted(duplicate=true)} without reserving twice
     * @param leaseTtl      how long the reservation lives unless settled, released or renewed
     */
    public CompletionStage<ReserveOutcome> reserve(String tenantId, String reservationId, long amountMicros,
            List<BudgetDefinition> budgets, Instant at, Duration leaseTtl) {
        BudgetKeys.checkId("tenant id", tenantId);
        BudgetKeys.checkId("reservation id", reservationId);
        Money.checkAmount("reservation amount", amountMicros);
        if (leaseTtl == null || leaseTtl.isNegative() || leaseTtl.isZero()) {
            throw new IllegalArgumentException("lease ttl must be positive");
        }
        List<Reservation.Charge> charges = charges(tenantId, budgets, at);
        Reservation reservation = new Reservation(tenantId, reservationId, amountMicros, charges);
        if (charges.isEmpty()) {
            return CompletableFuture.completedStage(new ReserveOutcome.Admitted(reservation, List.of(), List.of(), false));
        }
        List<String> keys = new ArrayList<>(3 + charges.size());
        keys.add(BudgetKeys.synced(tenantId));
        keys.add(BudgetKeys.leases(tenantId));
        keys.add(BudgetKeys.leaseAmounts(tenantId));
        List<String> args = new ArrayList<>(4 + 3 * charges.size());
        args.add(reservationId);
        args.add(Long.toString(amountMicros));
        args.add(Long.toString(leaseTtl.toMillis()));
        args.add(Integer.toString(settings.sweepLimit()));
        for (Reservation.Charge c : charges) {
            keys.add(c.counterKey());
            args.add(Long.toString(c.budget().limitMicros()));
            args.add(c.budget().hard() ? "1" : "0");
            args.add(expireAt(c.window()));
        }
        return run(RESERVE, keys, args).thenApply(reply -> {
            List<BudgetUsage> before = usages(charges, reply);
            String status = reply.get(0);
            switch (status) {
                case "ADMITTED", "DUPLICATE" -> {
                    List<BudgetUsage> crossed = new ArrayList<>();
                    for (BudgetUsage u : before) {
                        if (!u.budget().hard() && u.spentMicros() + u.reservedMicros() + amountMicros > u.budget().limitMicros()) {
                            crossed.add(u);
                        }
                    }
                    return new ReserveOutcome.Admitted(reservation, before, List.copyOf(crossed), "DUPLICATE".equals(status));
                }
                case "REFUSED" -> {
                    return new ReserveOutcome.Refused(before.get(Integer.parseInt(reply.get(1)) - 1), before);
                }
                case "UNSYNCED" -> {
                    return new ReserveOutcome.Unsynced(charges.stream().map(Reservation.Charge::budget).toList());
                }
                default -> throw new IllegalStateException("reserve script answered " + status);
            }
        });
    }

    /**
     * Replaces the reservation with the actual cost: releases its lease and adds {@code actualMicros} to
     * spent of every budget it was charged to, in the period fixed at reservation. Idempotent per
     * reservation id (within {@link Settings#settledMarkerTtl()}).
     */
    public CompletionStage<SettleOutcome> settle(Reservation reservation, long actualMicros) {
        Money.checkAmount("actual cost", actualMicros);
        List<Reservation.Charge> charges = reservation.budgets();
        if (charges.isEmpty()) {
            return CompletableFuture.completedStage(new SettleOutcome(SettleOutcome.Status.SETTLED, actualMicros, 0, List.of()));
        }
        String tenant = reservation.tenantId();
        List<String> keys = new ArrayList<>(3 + charges.size());
        keys.add(BudgetKeys.leases(tenant));
        keys.add(BudgetKeys.leaseAmounts(tenant));
        keys.add(BudgetKeys.settled(tenant, reservation.id()));
        List<String> args = new ArrayList<>(4 + charges.size());
        args.add(reservation.id());
        args.add(Long.toString(actualMicros));
        args.add(Long.toString(Math.max(1, settings.settledMarkerTtl().toSeconds())));
        args.add(Integer.toString(settings.sweepLimit()));
        for (Reservation.Charge c : charges) {
            keys.add(c.counterKey());
            args.add(expireAt(c.window()));
        }
        return run(SETTLE, keys, args).thenApply(reply -> {
            SettleOutcome.Status status = SettleOutcome.Status.valueOf(reply.get(0));
            long second = Long.parseLong(reply.get(1));
            List<BudgetUsage> after = usages(charges, reply);
            return switch (status) {
                case SETTLED -> new SettleOutcome(status, actualMicros, second, after);
                case LATE -> new SettleOutcome(status, actualMicros, 0, after);
                case DUPLICATE -> new SettleOutcome(status, second, 0, after);
            };
        });
    }

    /** Gives the reservation back (the call was refused or failed before any spend). */
    public CompletionStage<ReleaseOutcome> release(Reservation reservation) {
        if (reservation.budgets().isEmpty()) {
            return CompletableFuture.completedStage(new ReleaseOutcome(false, 0));
        }
        String tenant = reservation.tenantId();
        return run(RELEASE, List.of(BudgetKeys.leases(tenant), BudgetKeys.leaseAmounts(tenant)),
                List.of(reservation.id(), Integer.toString(settings.sweepLimit())))
                .thenApply(reply -> new ReleaseOutcome("RELEASED".equals(reply.get(0)), Long.parseLong(reply.get(1))));
    }

    /**
     * Extends a live lease to {@code ttl} from now (call it periodically during a long stream).
     * Answers false when the lease is gone (expired, settled or released): it is never revived.
     */
    public CompletionStage<Boolean> renew(Reservation reservation, Duration ttl) {
        if (reservation.budgets().isEmpty()) {
            return CompletableFuture.completedStage(true);
        }
        String tenant = reservation.tenantId();
        return run(RENEW, List.of(BudgetKeys.leases(tenant), BudgetKeys.leaseAmounts(tenant)),
                List.of(reservation.id(), Long.toString(ttl.toMillis()), Integer.toString(settings.sweepLimit())))
                .thenApply(reply -> "RENEWED".equals(reply.get(0)));
    }

    /** Current counters of budgets of one tenant, each in its period at {@code at}, after releasing expired leases. */
    public CompletionStage<CounterSnapshot> status(String tenantId, List<BudgetDefinition> budgets, Instant at) {
        List<Reservation.Charge> charges = charges(tenantId, budgets, at);
        List<String> keys = new ArrayList<>(3 + charges.size());
        keys.add(BudgetKeys.leases(tenantId));
        keys.add(BudgetKeys.leaseAmounts(tenantId));
        keys.add(BudgetKeys.synced(tenantId));
        charges.forEach(c -> keys.add(c.counterKey()));
        return run(STATUS, keys, List.of(Integer.toString(settings.sweepLimit())))
                .thenApply(reply -> new CounterSnapshot("1".equals(reply.get(0)), usages(charges, reply)));
    }

    /**
     * Restores counters from ledger totals (after Redis lost them) and marks the tenant synced. Each
     * counter's spent becomes {@code max(current, ledger total)}: Redis may be ahead of the ledger, never
     * behind it. Pass every budget of the tenant with its current period (an empty list only marks
     * the tenant synced).
     */
    public CompletionStage<List<BudgetUsage>> rebuild(String tenantId, List<RebuildEntry> entries) {
        BudgetKeys.checkId("tenant id", tenantId);
        List<String> keys = new ArrayList<>(1 + entries.size());
        keys.add(BudgetKeys.synced(tenantId));
        List<String> args = new ArrayList<>(2 * entries.size());
        List<Reservation.Charge> charges = new ArrayList<>(entries.size());
        for (RebuildEntry e : entries) {
            checkTenant(tenantId, e.budget());
            Money.checkAmount("ledger total", e.spentMicros());
            Reservation.Charge charge = new Reservation.Charge(e.budget(), e.window());
            charges.add(charge);
            keys.add(charge.counterKey());
            args.add(Long.toString(e.spentMicros()));
            args.add(expireAt(e.window()));
        }
        return run(REBUILD, keys, args).thenApply(reply -> usages(charges, reply));
    }

    /**
     * Reconciliation: sets each counter's settled spend to the ledger's total, but only where it still
     * equals the observed value (compare-and-set), so a settle that landed since the reconciler read
     * the counter is never overwritten. Counters that no longer exist are left alone.
     */
    public CompletionStage<List<Correction.Result>> correct(String tenantId, List<Correction> corrections) {
        BudgetKeys.checkId("tenant id", tenantId);
        if (corrections.isEmpty()) {
            return CompletableFuture.completedStage(List.of());
        }
        List<String> keys = new ArrayList<>(corrections.size());
        List<String> args = new ArrayList<>(2 * corrections.size());
        for (Correction c : corrections) {
            checkTenant(tenantId, c.budget());
            Money.checkAmount("observed spend", c.observedMicros());
            Money.checkAmount("ledger total", c.ledgerMicros());
            keys.add(new Reservation.Charge(c.budget(), c.window()).counterKey());
            args.add(Long.toString(c.observedMicros()));
            args.add(Long.toString(c.ledgerMicros()));
        }
        return run(CORRECT, keys, args).thenApply(reply -> {
            List<Correction.Result> results = new ArrayList<>(corrections.size());
            for (int i = 0; i < corrections.size(); i++) {
                int at = 2 + 3 * i;
                results.add(new Correction.Result(corrections.get(i), "1".equals(reply.get(at)),
                        Long.parseLong(reply.get(at + 1)), Long.parseLong(reply.get(at + 2))));
            }
            return results;
        });
    }

    /** Marks a tenant's counters complete (a tenant's first budget: there is nothing to rebuild). */
    public CompletionStage<Void> markSynced(String tenantId) {
        return rebuild(tenantId, List.of()).thenApply(ignored -> null);
    }

    /** Deletes the counters of a deleted budget (the current period's, or the one counter of a total budget). */
    public CompletionStage<Void> forget(BudgetDefinition budget, Instant at) {
        PeriodWindow w = budget.windowAt(at);
        return run(FORGET, List.of(BudgetKeys.counter(budget.tenantId(), budget.id(), w)), List.of())
                .thenApply(ignored -> null);
    }

    private CompletionStage<List<String>> run(LuaScript script, List<String> keys, List<String> args) {
        CompletionStage<List<String>> stage = script.run(redis, keys, args);
        if (settings.timeout() == null) {
            return stage;
        }
        return stage.toCompletableFuture().orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static List<Reservation.Charge> charges(String tenantId, List<BudgetDefinition> budgets, Instant at) {
        BudgetKeys.checkId("tenant id", tenantId);
        Objects.requireNonNull(at, "at");
        List<Reservation.Charge> charges = new ArrayList<>(budgets.size());
        for (BudgetDefinition b : budgets) {
            checkTenant(tenantId, b);
            charges.add(new Reservation.Charge(b, b.windowAt(at)));
        }
        return charges;
    }

    private static void checkTenant(String tenantId, BudgetDefinition b) {
        if (!tenantId.equals(b.tenantId())) {
            throw new IllegalArgumentException("budget " + b.id() + " belongs to another tenant: one call's budgets "
                    + "must share the tenant (one Redis slot)");
        }
    }

    /** Reply layout {status, x, spent1, reserved1, ...} to usages in charge order. */
    private static List<BudgetUsage> usages(List<Reservation.Charge> charges, List<String> reply) {
        List<BudgetUsage> out = new ArrayList<>(charges.size());
        for (int i = 0; i < charges.size(); i++) {
            Reservation.Charge c = charges.get(i);
            out.add(new BudgetUsage(c.budget(), c.window(), Long.parseLong(reply.get(2 + 2 * i)),
                    Long.parseLong(reply.get(3 + 2 * i))));
        }
        return List.copyOf(out);
    }

    private String expireAt(PeriodWindow window) {
        if (window.unbounded()) {
            return "0";
        }
        return Long.toString(window.end().plus(settings.counterGrace()).getEpochSecond());
    }
}
