package com.agentcostcontrol.proxy.llm.budget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.core.ratelimit.RateLimit;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitDecision;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitHeaders;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitPermit;
import com.agentcostcontrol.budget.core.ratelimit.RateLimitScope;
import com.agentcostcontrol.budget.core.ratelimit.RateLimiter;
import com.agentcostcontrol.proxy.AuthenticatedKey;
import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Filter {@code admission} with budget-core's rate limiter: the key's {@code rpm_limit} / {@code tpm_limit}
 * (tenant-level limits have no stored source yet). Adds OpenAI's {@code x-ratelimit-*} headers to the answer;
 * refuses with 429 and {@code Retry-After}. Admission runs before the body is read, so the token estimate is
 * 0 and {@link #record} charges the real tokens of the call afterwards.
 */
@ApplicationScoped
public class KeyRateLimiter implements Hooks.RateLimiter {

    static final String PERMIT = "acc.ratelimit.permit";

    private static final Logger LOG = Logger.getLogger(KeyRateLimiter.class);

    private final RateLimiter limiter;

    public KeyRateLimiter(BudgetRedis redis) {
        this.limiter = redis.rateLimiter();
    }

    @Override
    public Future<Void> admit(LlmCall call) {
        List<RateLimit> limits = limits(call.key);
        if (limits.isEmpty()) {
            return Future.succeededFuture();
        }
        Context context = Vertx.currentContext();
        CompletionStage<RateLimitDecision> stage;
        try {
            stage = limiter.acquire(call.key.tenantId().toString(), call.requestId, 0, limits);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        Future<RateLimitDecision> decision = context == null ? Future.fromCompletionStage(stage)
                : Future.fromCompletionStage(stage, context);
        return decision.compose(d -> {
            if (d instanceof RateLimitDecision.Refused r) {
                Map<String, String> headers = new LinkedHashMap<>(r.headers());
                r.retryAfterSeconds().ifPresent(s -> headers.put(RateLimitHeaders.RETRY_AFTER, Long.toString(s)));
                return Future.<Void>failedFuture(new Refusal(429, "rate_limit_exceeded", r.message(), "refused", headers));
            }
            RateLimitDecision.Admitted a = (RateLimitDecision.Admitted) d;
            call.exchange.put(PERMIT, a.permit());
            a.headers().forEach(call.exchange.response()::putHeader);
            return Future.<Void>succeededFuture();
        });
    }

    @Override
    public void record(LlmCall call) {
        RateLimitPermit permit = call.exchange.get(PERMIT);
        if (permit == null) {
            return;
        }
        call.exchange.remove(PERMIT);
        long tokens = call.tokens == null ? 0 : Math.max(0, call.tokens.totalTokens());
        limiter.settle(permit, tokens).whenComplete((r, e) -> {
            if (e != null) {
                LOG.warnf("rate-limit settle of %s failed: %s", call.requestId, e.toString());
            }
        });
    }

    private static List<RateLimit> limits(AuthenticatedKey key) {
        if (key == null) {
            return List.of();
        }
        List<RateLimit> out = new ArrayList<>(2);
        RateLimitScope scope = RateLimitScope.key(key.keyId().toString());
        if (key.rpmLimit() != null && key.rpmLimit() > 0) {
            out.add(RateLimit.requestsPerMinute(scope, key.rpmLimit()));
        }
        if (key.tpmLimit() != null && key.tpmLimit() > 0) {
            out.add(RateLimit.tokensPerMinute(scope, key.tpmLimit()));
        }
        return out;
    }
}
