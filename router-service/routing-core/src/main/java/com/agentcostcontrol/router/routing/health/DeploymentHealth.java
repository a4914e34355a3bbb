package com.agentcostcontrol.router.routing.health;

import com.agentcostcontrol.platform.redis.LuaScript;
import com.agentcostcontrol.platform.redis.RedisScriptExecutor;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Deployment health shared by every proxy through Redis: each attempt's outcome is recorded by an
 * atomic Lua script on the deployment's hash {@code acc:health:{<deployment id>}}, so a deployment
 * one proxy sees failing cools down for all of them.
 *
 * <h2>States</h2>
 * <ul>
 * <li><b>healthy</b> (closed). A counted failure ({@link FailureKind#countsTowardCooldown()}) adds
 *     to a run; a success ends the run. {@code failureThreshold} failures in a row, each within
 *     {@code failureWindow} of the run's first, start a cooldown.</li>
 * <li><b>cooling down</b> (open) until the cooldown ends: the planner moves the deployment to the
 *     end of the plan (or skips it). The n-th cooldown in a row lasts
 *     {@code baseCooldown x multiplier^(n-1)}, at most {@code maxCooldown}. Outcomes of calls that
 *     started earlier change nothing.</li>
 * <li><b>half-open</b> once the cooldown is over: one caller at a time gets the probe slot
 *     ({@link #tryAcquireProbe}); its success closes the circuit (and resets the backoff), its
 *     failure opens it again for the next, longer cooldown.</li>
 * </ul>
 * A {@code Retry-After} (capped at {@code maxRetryAfter}) on any failure means nobody tries the
 * deployment before then: the cooldown is extended to that time, whatever the failure count.
 * Rate-limit headroom from the response headers ({@link RateLimitHeaders}) is stored with every
 * outcome, for the planner to avoid a deployment about to answer 429.
 *
 * <p>Every method is non-blocking; every answer carries the status right after the change, which
 * is also handed to the listeners (the local {@link HealthView} updates itself at once).
 */
public final class DeploymentHealth {

    /** Prefix of the health keys: {@code acc:health:{<deployment id>}}. */
    public static final String KEY_PREFIX = "acc:health:";

    private static final LuaScript FAILURE = LuaScript.load(DeploymentHealth.class, "common", "failure");
    private static final LuaScript SUCCESS = LuaScript.load(DeploymentHealth.class, "common", "success");
    private static final LuaScript PROBE = LuaScript.load(DeploymentHealth.class, "common", "probe");
    private static final LuaScript RELEASE = LuaScript.load(DeploymentHealth.class, "common", "release");
    private static final LuaScript STATUS = LuaScript.load(DeploymentHealth.class, "common", "status");

    private final RedisScriptExecutor redis;
    private final HealthSettings settings;
    private final Clock clock;
    private final List<Consumer<DeploymentStatus>> listeners = new CopyOnWriteArrayList<>();

    public DeploymentHealth(RedisScriptExecutor redis, HealthSettings settings) {
        this(redis, settings, Clock.systemUTC());
    }

    public DeploymentHealth(RedisScriptExecutor redis, HealthSettings settings, Clock clock) {
        this.redis = redis;
        this.settings = settings;
        this.clock = clock;
    }

    public static String key(String deploymentId) {
        return KEY_PREFIX + "{" + deploymentId + "}";
    }

    public HealthSettings settings() {
        return settings;
    }

    /** Called with the status after every change this instance makes (not on reads). */
    public void addListener(Consumer<DeploymentStatus> listener) {
        listeners.add(listener);
    }

    /**
     * A successful attempt.
     *
     * @param latency time to the complete answer (or to the first byte of a stream); {@code null} to not sample
     * @param limits  the response's rate-limit headers, {@link RateLimitInfo#NONE} when none
     */
    public CompletionStage<HealthUpdate> recordSuccess(String deploymentId, Duration latency, RateLimitInfo limits) {
        List<String> args = new ArrayList<>(8);
        args.add(latency == null ? "" : millis(latency));
        args.add(Double.toString(settings.latencyAlpha()));
        args.add(ms(settings.idleTtl()));
        addLimits(args, limits);
        return run(SUCCESS, deploymentId, args, true);
    }

    /**
     * A failed attempt. A {@code Retry-After} in {@code limits} cools the deployment down at least
     * until then (capped at {@link HealthSettings#maxRetryAfter()}).
     */
    public CompletionStage<HealthUpdate> recordFailure(String deploymentId, FailureKind kind, RateLimitInfo limits) {
        RateLimitInfo l = limits == null ? RateLimitInfo.NONE : limits;
        Duration retryAfter = l.retryAfter() == null ? null
                : l.retryAfter().compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : l.retryAfter();
        List<String> args = new ArrayList<>(14);
        args.add(kind.wireName());
        args.add(kind.countsTowardCooldown() ? "1" : "0");
        args.add(retryAfter == null ? "" : ms(retryAfter));
        args.add(Integer.toString(settings.failureThreshold()));
        args.add(ms(settings.failureWindow()));
        args.add(ms(settings.baseCooldown()));
        args.add(Double.toString(settings.cooldownMultiplier()));
        args.add(ms(settings.maxCooldown()));
        args.add(ms(settings.idleTtl()));
        addLimits(args, l);
        return run(FAILURE, deploymentId, args, true);
    }

    /**
     * Asks for the half-open probe slot before calling a deployment the plan marked
     * {@code probe}. {@link HealthUpdate#mayCall()} says whether to send the request; when it is
     * false, skip to the plan's next attempt. The slot is freed by the recorded outcome, by
     * {@link #releaseProbe}, or when the lease ends.
     *
     * @param lease how long the slot is held at most: the attempt's timeout; {@code null} for
     *              {@link HealthSettings#probeLease()}
     */
    public CompletionStage<HealthUpdate> tryAcquireProbe(String deploymentId, Duration lease) {
        Duration l = lease == null || lease.isZero() || lease.isNegative() ? settings.probeLease() : lease;
        return run(PROBE, deploymentId, List.of(ms(l), ms(settings.idleTtl())), true);
    }

    /** Gives a granted probe slot back without an outcome (the request was not sent after all). */
    public CompletionStage<HealthUpdate> releaseProbe(String deploymentId) {
        return run(RELEASE, deploymentId, List.of(ms(settings.idleTtl())), true);
    }

    /** The current status (a read; listeners are not called). */
    public CompletionStage<DeploymentStatus> status(String deploymentId) {
        return run(STATUS, deploymentId, List.of(), false).thenApply(HealthUpdate::status);
    }

    /** The statuses of several deployments, read concurrently (one script each: each key is its own slot). */
    public CompletionStage<Map<String, DeploymentStatus>> statuses(Collection<String> deploymentIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(deploymentIds));
        List<CompletableFuture<DeploymentStatus>> reads = ids.stream()
                .map(id -> status(id).toCompletableFuture()).toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Map<String, DeploymentStatus> out = new LinkedHashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                out.put(ids.get(i), reads.get(i).join());
            }
            return out;
        });
    }

    private CompletionStage<HealthUpdate> run(LuaScript script, String deploymentId, List<String> args, boolean notify) {
        if (deploymentId == null || deploymentId.isBlank()) {
            return CompletableFuture.failedStage(new IllegalArgumentException("deployment id is required"));
        }
        CompletionStage<List<String>> sent;
        try {
            sent = script.run(redis, List.of(key(deploymentId)), args);
        } catch (RuntimeException e) {
            // A client that is closed or overloaded may throw instead of failing the stage.
            return CompletableFuture.failedStage(e);
        }
        return sent.thenApply(reply -> {
            HealthUpdate update = new HealthUpdate(HealthUpdate.Result.parse(reply.get(0)),
                    decode(deploymentId, reply, clock.instant()));
            if (notify) {
                for (Consumer<DeploymentStatus> l : listeners) {
                    l.accept(update.status());
                }
            }
            return update;
        });
    }

    /**
     * Reply layout (see common.lua): result, redis now, then until, cause, fails, win, trips,
     * cooldowns, probe, fail_kind, fail_at, ok_at, lat, lat_n, rl_req, rl_req_reset, rl_tok, rl_tok_reset.
     */
    private DeploymentStatus decode(String id, List<String> r, Instant localNow) {
        long redisNow = Long.parseLong(r.get(1));
        Times t = new Times(redisNow, localNow);
        long until = num(r.get(2));
        String cause = text(r.get(3));
        long fails = num(r.get(4));
        long win = num(r.get(5));
        int consecutive = win > 0 && redisNow - win <= settings.failureWindow().toMillis() ? (int) fails : 0;
        String lat = text(r.get(12));
        return new DeploymentStatus(id,
                until > 0 ? t.local(until) : null,
                until > 0 ? cause : null,
                consecutive,
                (int) num(r.get(6)),
                num(r.get(7)),
                num(r.get(8)) > 0 ? t.local(num(r.get(8))) : null,
                text(r.get(9)),
                num(r.get(10)) > 0 ? t.local(num(r.get(10))) : null,
                num(r.get(11)) > 0 ? t.local(num(r.get(11))) : null,
                lat == null ? null : Double.valueOf(lat),
                num(r.get(13)),
                text(r.get(14)) == null ? null : num(r.get(14)),
                num(r.get(15)) > 0 ? t.local(num(r.get(15))) : null,
                text(r.get(16)) == null ? null : num(r.get(16)),
                num(r.get(17)) > 0 ? t.local(num(r.get(17))) : null,
                localNow);
    }

    /** Converts Redis-clock milliseconds to this JVM's clock. */
    private record Times(long redisNow, Instant localNow) {
        Instant local(long redisMillis) {
            return localNow.plusMillis(redisMillis - redisNow);
        }
    }

    /** Remaining requests, their reset, remaining tokens, their reset, the default reset. */
    private void addLimits(List<String> args, RateLimitInfo limits) {
        RateLimitInfo l = limits == null ? RateLimitInfo.NONE : limits;
        args.add(l.remainingRequests() == null ? "" : Long.toString(l.remainingRequests()));
        args.add(l.requestsReset() == null ? "" : ms(l.requestsReset()));
        args.add(l.remainingTokens() == null ? "" : Long.toString(l.remainingTokens()));
        args.add(l.tokensReset() == null ? "" : ms(l.tokensReset()));
        args.add(ms(settings.rateLimitDefaultReset()));
    }

    private static String ms(Duration d) {
        return Long.toString(Math.max(0, d.toMillis()));
    }

    /** Latency with sub-millisecond precision (the EWMA keeps 3 decimals). */
    private static String millis(Duration d) {
        return BigDecimal.valueOf(Math.max(0, d.toNanos()), 6).toPlainString();
    }

    private static long num(String v) {
        if (v == null || v.isEmpty()) {
            return 0;
        }
        int dot = v.indexOf('.');
        return Long.parseLong(dot >= 0 ? v.substring(0, dot) : v);
    }

    private static String text(String v) {
        return v == null || v.isEmpty() ? null : v;
    }
}
