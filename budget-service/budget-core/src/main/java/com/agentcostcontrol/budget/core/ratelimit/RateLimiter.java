package com.agentcostcontrol.budget.core.ratelimit;

import com.agentcostcontrol.budget.core.BudgetEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.agentcostcontrol.budget.core.BudgetKeys;
import com.agentcostcontrol.platform.redis.LuaScript;
import com.agentcostcontrol.platform.redis.RedisScriptExecutor;

/**
 * Rate limits of the hot path: requests and tokens per window (token buckets, GCRA in counter form) and
 * calls in flight (leases that expire if a proxy crashes), per key and per tenant. One atomic Lua script
 * takes every limit of a call at once, or none; keys are hash-tagged by tenant, so one call touches one
 * Redis Cluster slot. Tokens are taken up front as an estimate (prompt + max output) and corrected by
 * {@link #settle} to the actual count. Time is the Redis clock, so proxies' clock skew does not matter.
 *
 * <p>Thread-safe and non-blocking; one instance per Redis connection pool.
 */
public final class RateLimiter {

    /**
     * Settings.
     *
     * @param leaseTtl       default life of a concurrency lease; a call still running when it ends must renew
     * @param busyRetryAfter the wait reported when a concurrency limit refuses (nobody knows when a call in
     *                       flight will end)
     * @param timeout        how long to wait for Redis before failing the stage ({@code null}: the client's own)
     */
    public record Settings(Duration leaseTtl, Duration busyRetryAfter, Duration timeout) {

        public Settings {
            if (leaseTtl == null || leaseTtl.isNegative() || leaseTtl.isZero()) {
                throw new IllegalArgumentException("leaseTtl must be positive");
            }
            if (busyRetryAfter == null || busyRetryAfter.isNegative()) {
                throw new IllegalArgumentException("busyRetryAfter must not be negative");
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    /** Largest token estimate or actual count accepted (far above any model's context). */
    public static final long MAX_TOKENS = 1_000_000_000_000L;

    private static final String PRELUDE = "ratelimit_common";
    private static final LuaScript ACQUIRE = LuaScript.load(BudgetEngine.class, PRELUDE, "ratelimit_acquire");
    private static final LuaScript SETTLE = LuaScript.load(BudgetEngine.class, PRELUDE, "ratelimit_settle");
    private static final LuaScript RENEW = LuaScript.load(BudgetEngine.class, PRELUDE, "ratelimit_renew");
    private static final LuaScript STATUS = LuaScript.load(BudgetEngine.class, PRELUDE, "ratelimit_status");

    private final RedisScriptExecutor redis;
    private final Settings settings;

    public RateLimiter(RedisScriptExecutor redis, Settings settings) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /** {@link #acquire(String, String, long, List, Duration)} with the default lease ttl. */
    public CompletionStage<RateLimitDecision> acquire(String tenantId, String requestId, long estimatedTokens,
            List<RateLimit> limits) {
        return acquire(tenantId, requestId, estimatedTokens, limits, settings.leaseTtl());
    }

    /**
     * Takes one request, {@code estimatedTokens} tokens and one concurrency slot from every limit in
     * {@code limits} (all of tenant {@code tenantId}), or nothing.
     *
     * @param requestId       unique per call; a retried acquire with the same id is admitted as a duplicate
     *                        without taking anything twice
     * @param estimatedTokens worst case of the call: estimated prompt tokens plus max output tokens
     * @param leaseTtl        life of the concurrency leases unless settled or renewed
     */
    public CompletionStage<RateLimitDecision> acquire(String tenantId, String requestId, long estimatedTokens,
            List<RateLimit> limits, Duration leaseTtl) {
        BudgetKeys.checkId("tenant id", tenantId);
        BudgetKeys.checkId("request id", requestId);
        checkTokens("estimated tokens", estimatedTokens);
        if (leaseTtl == null || leaseTtl.isNegative() || leaseTtl.isZero()) {
            throw new IllegalArgumentException("lease ttl must be positive");
        }
        checkDistinct(limits);
        RateLimitPermit permit = new RateLimitPermit(tenantId, requestId, estimatedTokens, limits);
        if (limits.isEmpty()) {
            return CompletableFuture.completedStage(new RateLimitDecision.Admitted(permit, List.of(), false));
        }
        List<String> keys = new ArrayList<>(1 + limits.size());
        keys.add(RateLimitKeys.pending(tenantId, requestId));
        List<String> args = new ArrayList<>(5 + 3 * limits.size());
        args.add(requestId);
        args.add(Long.toString(estimatedTokens));
        args.add(Long.toString(leaseTtl.toMillis()));
        args.add(Long.toString(markerTtl(leaseTtl, limits).toMillis()));
        args.add(Long.toString(settings.busyRetryAfter().toMillis()));
        addLimits(tenantId, limits, keys, args);
        return run(ACQUIRE, keys, args).thenApply(reply -> {
            List<RateLimitState> states = states(limits, reply);
            String status = reply.get(0);
            return switch (status) {
                case "ADMITTED", "DUPLICATE" -> new RateLimitDecision.Admitted(permit, states, "DUPLICATE".equals(status));
                case "REFUSED", "TOO_LARGE" -> {
                    RateLimitState refusing = states.get(Integer.parseInt(reply.get(1)) - 1);
                    boolean tooLarge = "TOO_LARGE".equals(status);
                    yield new RateLimitDecision.Refused(refusing,
                            tooLarge ? RateLimitDecision.Reason.TOO_LARGE : RateLimitDecision.Reason.LIMITED,
                            tooLarge ? null : Duration.ofMillis(Long.parseLong(reply.get(2))),
                            requested(refusing.limit(), estimatedTokens), states);
                }
                default -> throw new IllegalStateException("rate-limit acquire answered " + status);
            };
        });
    }

    /**
     * Ends an admitted call: corrects its token estimate to {@code actualTokens} (0 when the call failed
     * before using any) and ends its concurrency leases. The request itself stays counted. Idempotent: a
     * second settle changes no tokens.
     *
     * <p>A smaller actual count gives back only the part of the estimate that has not refilled yet, so
     * capacity is never handed out twice; a larger one is charged in full (up to four windows of debt).
     */
    public CompletionStage<RateLimitSettlement> settle(RateLimitPermit permit, long actualTokens) {
        checkTokens("actual tokens", actualTokens);
        List<RateLimit> limits = permit.limits();
        if (limits.isEmpty()) {
            return CompletableFuture.completedStage(new RateLimitSettlement(true, List.of()));
        }
        List<String> keys = new ArrayList<>(1 + limits.size());
        keys.add(RateLimitKeys.pending(permit.tenantId(), permit.requestId()));
        List<String> args = new ArrayList<>(2 + 3 * limits.size());
        args.add(permit.requestId());
        args.add(Long.toString(actualTokens));
        addLimits(permit.tenantId(), limits, keys, args);
        return run(SETTLE, keys, args)
                .thenApply(reply -> new RateLimitSettlement("SETTLED".equals(reply.get(0)), states(limits, reply)));
    }

    /**
     * Extends the call's concurrency leases to {@code ttl} from now (call it periodically during a long
     * stream). Answers false when a lease is gone (expired or settled): it is never revived.
     */
    public CompletionStage<Boolean> renew(RateLimitPermit permit, Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("lease ttl must be positive");
        }
        List<String> keys = new ArrayList<>();
        keys.add(RateLimitKeys.pending(permit.tenantId(), permit.requestId()));
        for (RateLimit l : permit.limits()) {
            if (l.kind() == RateLimit.Kind.CONCURRENCY) {
                keys.add(RateLimitKeys.limit(permit.tenantId(), l));
            }
        }
        List<String> args = List.of(permit.requestId(), Long.toString(ttl.toMillis()),
                Long.toString(markerTtl(ttl, permit.limits()).toMillis()));
        return run(RENEW, keys, args).thenApply(reply -> "RENEWED".equals(reply.get(0)));
    }

    /** The current state of some limits of one tenant, taking nothing. */
    public CompletionStage<List<RateLimitState>> status(String tenantId, List<RateLimit> limits) {
        BudgetKeys.checkId("tenant id", tenantId);
        checkDistinct(limits);
        if (limits.isEmpty()) {
            return CompletableFuture.completedStage(List.of());
        }
        List<String> keys = new ArrayList<>(limits.size());
        List<String> args = new ArrayList<>(3 * limits.size());
        addLimits(tenantId, limits, keys, args);
        return run(STATUS, keys, args).thenApply(reply -> states(limits, reply));
    }

    private CompletionStage<List<String>> run(LuaScript script, List<String> keys, List<String> args) {
        CompletionStage<List<String>> stage = script.run(redis, keys, args);
        if (settings.timeout() == null) {
            return stage;
        }
        return stage.toCompletableFuture().orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void addLimits(String tenantId, List<RateLimit> limits, List<String> keys, List<String> args) {
        for (RateLimit l : limits) {
            keys.add(RateLimitKeys.limit(tenantId, l));
            args.add(l.kind().code());
            args.add(Long.toString(l.limit()));
            args.add(Long.toString(l.window().toMillis()));
        }
    }

    /** Reply layout {status, index, wait, remaining1, reset1, ...} to states in limit order. */
    private static List<RateLimitState> states(List<RateLimit> limits, List<String> reply) {
        List<RateLimitState> out = new ArrayList<>(limits.size());
        for (int i = 0; i < limits.size(); i++) {
            out.add(new RateLimitState(limits.get(i), Long.parseLong(reply.get(3 + 2 * i)),
                    Duration.ofMillis(Long.parseLong(reply.get(4 + 2 * i)))));
        }
        return List.copyOf(out);
    }

    private static long requested(RateLimit limit, long estimatedTokens) {
        return limit.kind() == RateLimit.Kind.TOKENS ? estimatedTokens : 1;
    }

    /** The pending marker must outlive the call and the refill of its estimate. */
    private static Duration markerTtl(Duration leaseTtl, List<RateLimit> limits) {
        Duration longest = Duration.ZERO;
        for (RateLimit l : limits) {
            if (l.window().compareTo(longest) > 0) {
                longest = l.window();
            }
        }
        return leaseTtl.plus(longest);
    }

    /** The same limit twice would take from one bucket twice. */
    private static void checkDistinct(List<RateLimit> limits) {
        Set<String> seen = new HashSet<>();
        for (RateLimit l : limits) {
            String id = l.scope().keySegment() + ":" + l.kind().code() + ":" + l.window().toMillis();
            if (!seen.add(id)) {
                throw new IllegalArgumentException("the same rate limit (" + l.scope().describe() + ", " + l.describe()
                        + ") is listed twice");
            }
        }
    }

    private static void checkTokens(String what, long tokens) {
        if (tokens < 0 || tokens > MAX_TOKENS) {
            throw new IllegalArgumentException(what + " must be between 0 and " + MAX_TOKENS + ", got " + tokens);
        }
    }
}
