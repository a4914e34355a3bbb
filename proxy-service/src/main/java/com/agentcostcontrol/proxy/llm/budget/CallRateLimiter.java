package com.agentcostcontrol.proxy.llm.budget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.core.ratelimit.RateLimit;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitDecision;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitHeaders;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitPermit;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitScope;
import com.agentcostcontrol.budget.core.ratelimit.RateLimiter;
import com.agentcostcontrol.proxy.AuthenticatedKey;
import com.agentcostcontrol.proxy.llm.Endpoint;
import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.usage.Prices;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.agentcostcontrol.router.pricing.CostEstimator;
import com.agentcostcontrol.router.pricing.ModelPrice;
import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Rate limits of the hot path per key and per tenant, with budget-core's all-or-nothing limiter, in two steps:
 * <ol>
 *   <li>{@link #admit} (filter {@code admission}, before the body is read): one request of the key's and the
 *       tenant's requests-per-minute and one slot of their concurrency limits, in one script call;</li>
 *   <li>{@link #reserveTokens} (filter {@code token-admission}, after {@code read-body}): the call's worst-case
 *       tokens (estimated prompt + {@code max_tokens}, or the model's max output from the price catalog) from the
 *       key's and the tenant's tokens-per-minute, in one script call;</li>
 *   <li>{@link #record} (filter {@code settle}, which runs once for every call): the token reservation is settled
 *       to the call's actual tokens (the difference is given back) and the concurrency leases end, whatever the
 *       outcome (answer, refusal, upstream error, client disconnect).</li>
 * </ol>
 * Every answer of a limited call carries OpenAI's {@code x-ratelimit-*} headers; a refusal is a 429 that names the
 * limit (key or tenant; requests, tokens or concurrency) with {@code Retry-After} when waiting helps. Fail-open: when
 * Redis cannot be reached the call goes on unlimited (logged, metric {@code acc.ratelimit.unavailable}).
 */
@ApplicationScoped
public class CallRateLimiter implements Hooks.RateLimiter {

    /** The permit of step 1 (requests, concurrency) while the call runs. */
    static final String PERMIT = "acc.ratelimit.permit";
    /** The permit of step 2 (tokens) while the call runs. */
    static final String TOKEN_PERMIT = "acc.ratelimit.token-permit";
    /** The {@link LeaseRenewal} of a call's concurrency leases. */
    static final String RENEWAL = "acc.ratelimit.renewal";
    /** Suffix of the token step's request id: each step is its own all-or-nothing acquire. */
    static final String TOKEN_ID_SUFFIX = ":t";

    private static final Logger LOG = Logger.getLogger(CallRateLimiter.class);
    private static final long LOG_EVERY_MS = 10_000;

    private final RateLimiter limiter;
    private final Prices prices;
    private final MeterRegistry metrics;
    private final Vertx vertx;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong lastOutageLog = new AtomicLong();

    public CallRateLimiter(BudgetRedis redis, Prices prices, MeterRegistry metrics, Vertx vertx) {
        this.limiter = redis.rateLimiter();
        this.prices = prices;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    @Override
    public Future<Void> admit(LlmCall call) {
        List<RateLimit> limits = admissionLimits(call.key);
        if (limits.isEmpty()) {
            return Future.succeededFuture();
        }
        return acquire(call, "admission", call.requestId, 0, limits, PERMIT);
    }

    @Override
    public Future<Void> reserveTokens(LlmCall call) {
        if (call.endpoint == Endpoint.COUNT_TOKENS) {
            return Future.succeededFuture(); // counting tokens uses none
        }
        List<RateLimit> limits = tokenLimits(call.key);
        if (limits.isEmpty()) {
            return Future.succeededFuture();
        }
        return acquire(call, "token-admission", call.requestId + TOKEN_ID_SUFFIX, estimate(call, limits), limits,
                TOKEN_PERMIT);
    }

    @Override
    public void record(LlmCall call) {
        LeaseRenewal renewal = call.exchange.remove(RENEWAL);
        if (renewal != null) {
            renewal.stop();
        }
        RateLimitPermit permit = call.exchange.get(PERMIT);
        if (permit != null) {
            call.exchange.remove(PERMIT);
            settle(call, permit, 0); // requests stay counted; the concurrency leases end
        }
        RateLimitPermit tokens = call.exchange.get(TOKEN_PERMIT);
        if (tokens != null) {
            call.exchange.remove(TOKEN_PERMIT);
            settle(call, tokens, call.tokens == null ? 0 : Math.max(0, call.tokens.totalTokens()));
        }
    }

    private Future<Void> acquire(LlmCall call, String step, String requestId, long tokens, List<RateLimit> limits,
            String permitSlot) {
        Context context = Vertx.currentContext();
        CompletionStage<RateLimitDecision> stage;
        try {
            stage = limiter.acquire(call.key.tenantId().toString(), requestId, tokens, limits);
        } catch (RuntimeException e) {
            return failOpen(call, step, e);
        }
        Future<RateLimitDecision> decision = context == null ? Future.fromCompletionStage(stage)
                : Future.fromCompletionStage(stage, context);
        return decision.transform(ar -> {
            if (ar.failed()) {
                return failOpen(call, step, ar.cause());
            }
            RateLimitDecision d = ar.result();
            if (d instanceof RateLimitDecision.Refused r) {
                refused(r).increment();
                Map<String, String> headers = new LinkedHashMap<>(r.headers());
                r.retryAfterSeconds().ifPresent(s -> headers.put(RateLimitHeaders.RETRY_AFTER, Long.toString(s)));
                return Future.<Void>failedFuture(new Refusal(429, "rate_limit_exceeded", r.message(), "refused", headers));
            }
            RateLimitDecision.Admitted a = (RateLimitDecision.Admitted) d;
            call.exchange.put(permitSlot, a.permit());
            a.headers().forEach(call.exchange.response()::putHeader);
            renewWhileRunning(call, a.permit());
            return Future.<Void>succeededFuture();
        });
    }

    /**
     * A call that outlives the lease ttl (a long stream) would lose its concurrency slot and let one call too
     * many in: renew its leases every third of the ttl until {@link #record} ends them.
     */
    private void renewWhileRunning(LlmCall call, RateLimitPermit permit) {
        if (permit.limits().stream().noneMatch(l -> l.kind() == RateLimit.Kind.CONCURRENCY)) {
            return;
        }
        java.time.Duration ttl = limiter.settings().leaseTtl();
        call.exchange.put(RENEWAL, LeaseRenewal.start(vertx, ttl, () -> limiter.renew(permit, ttl),
                e -> unavailable("renew").increment(), () -> {
                    // settled or expired meanwhile: never revived
                }));
    }

    private void settle(LlmCall call, RateLimitPermit permit, long actualTokens) {
        try {
            limiter.settle(permit, actualTokens).whenComplete((r, e) -> {
                if (e != null) {
                    // The concurrency leases expire on their own (acc.proxy.budget.lease-ttl).
                    unavailable("settle").increment();
                    LOG.warnf("rate-limit settle of %s failed: %s", call.requestId, e.toString());
                }
            });
        } catch (RuntimeException e) {
            unavailable("settle").increment();
            LOG.warnf("rate-limit settle of %s failed: %s", call.requestId, e.toString());
        }
    }

    /** Redis is down or slow: the call goes on unlimited rather than every call failing. */
    private Future<Void> failOpen(LlmCall call, String step, Throwable cause) {
        unavailable(step).increment();
        long now = System.currentTimeMillis();
        long last = lastOutageLog.get();
        if (now - last >= LOG_EVERY_MS && lastOutageLog.compareAndSet(last, now)) {
            LOG.warnf("rate limits not checked (fail-open) at %s of %s and any other call in the next %d s: %s", step,
                    call.requestId, LOG_EVERY_MS / 1000, cause.toString());
        }
        return Future.succeededFuture();
    }

    /**
     * Worst-case tokens of the call: the prompt estimate plus the most output it may produce (its
     * {@code max_tokens}, capped at the model's max output; without one, the model's max output, capped at the
     * smallest token limit so that such a call can pass when the bucket is full). Embeddings produce no output.
     */
    long estimate(LlmCall call, List<RateLimit> tokenLimits) {
        long input = TokenEstimator.ofRequest(call.body);
        if (!call.endpoint.generates()) {
            return Math.min(input, RateLimiter.MAX_TOKENS);
        }
        Integer requested = BudgetGuardService.maxOutput(call.body);
        Optional<ModelPrice> price = prices.price(call.key.tenantId(), call.requestedModel);
        long output = price.isPresent() ? CostEstimator.maxOutputTokens(price.get(), input, requested)
                : requested != null ? requested : CostEstimator.DEFAULT_MAX_OUTPUT_TOKENS;
        output *= choices(call.body);
        long estimate = input + output;
        if (requested == null) {
            long smallest = tokenLimits.stream().mapToLong(RateLimit::limit).min().orElse(estimate);
            estimate = Math.max(Math.min(estimate, smallest), input); // a prompt alone above a limit stays too large
        }
        return Math.min(estimate, RateLimiter.MAX_TOKENS);
    }

    /** OpenAI's {@code n}: that many completions, each up to the max output. */
    private static long choices(JsonNode body) {
        JsonNode n = body == null ? null : body.get("n");
        return n != null && n.canConvertToInt() && n.asInt() > 1 ? Math.min(n.asInt(), 128) : 1;
    }

    /** Requests per minute and concurrency of the key and its tenant (each when set). */
    static List<RateLimit> admissionLimits(AuthenticatedKey key) {
        if (key == null) {
            return List.of();
        }
        List<RateLimit> out = new ArrayList<>(4);
        RateLimitScope keyScope = RateLimitScope.key(key.keyId().toString());
        AuthenticatedKey.TenantLimits tenant = key.tenantLimits();
        if (positive(key.rpmLimit())) {
            out.add(RateLimit.requestsPerMinute(keyScope, key.rpmLimit()));
        }
        if (positive(tenant.rpmLimit())) {
            out.add(RateLimit.requestsPerMinute(RateLimitScope.tenant(), tenant.rpmLimit()));
        }
        if (positive(key.maxConcurrent())) {
            out.add(RateLimit.concurrency(keyScope, key.maxConcurrent()));
        }
        if (positive(tenant.maxConcurrent())) {
            out.add(RateLimit.concurrency(RateLimitScope.tenant(), tenant.maxConcurrent()));
        }
        return out;
    }

    /** Tokens per minute of the key and its tenant (each when set). */
    static List<RateLimit> tokenLimits(AuthenticatedKey key) {
        if (key == null) {
            return List.of();
        }
        List<RateLimit> out = new ArrayList<>(2);
        if (positive(key.tpmLimit())) {
            out.add(RateLimit.tokensPerMinute(RateLimitScope.key(key.keyId().toString()), key.tpmLimit()));
        }
        if (positive(key.tenantLimits().tpmLimit())) {
            out.add(RateLimit.tokensPerMinute(RateLimitScope.tenant(), key.tenantLimits().tpmLimit()));
        }
        return out;
    }

    private static boolean positive(Integer limit) {
        return limit != null && limit > 0;
    }

    private Counter refused(RateLimitDecision.Refused r) {
        RateLimit l = r.refusing().limit();
        String scope = l.scope().type() == RateLimitScope.Type.TENANT ? "tenant" : "key";
        String kind = switch (l.kind()) {
            case REQUESTS -> "requests";
            case TOKENS -> "tokens";
            case CONCURRENCY -> "concurrency";
        };
        String reason = r.reason() == RateLimitDecision.Reason.TOO_LARGE ? "too_large" : "limited";
        return counters.computeIfAbsent("r|" + scope + '|' + kind + '|' + reason, k -> Counter
                .builder("acc.ratelimit.refusals")
                .description("LLM calls refused with 429 by a rate limit, by scope (key|tenant), limit and reason")
                .tag("scope", scope).tag("limit", kind).tag("reason", reason)
                .register(metrics));
    }

    private Counter unavailable(String step) {
        return counters.computeIfAbsent("u|" + step, k -> Counter.builder("acc.ratelimit.unavailable")
                .description("Rate-limit checks skipped (fail-open) or settles lost because Redis could not be reached")
                .tag("step", step)
                .register(metrics));
    }
}
