package com.agentcostcontrol.proxy.llm.pipeline.filters;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;

import io.vertx.core.Future;

/**
 * Filter 5, {@code token-admission}: the second rate-limit step, once the body is read. Reserves the call's
 * worst-case tokens (prompt estimate + max output) against the key's and the tenant's tokens-per-minute
 * through {@link Hooks.RateLimiter#reserveTokens}; {@code settle} corrects the reservation to the actual
 * tokens. Fail-open like {@code admission}: a rate limiter outage must not stop every call.
 */
@ApplicationScoped
public class TokenAdmissionFilter implements CallFilter {

    private final Hooks.RateLimiter rateLimiter;

    public TokenAdmissionFilter(Hooks.RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
    }

    @Override
    public String name() {
        return "token-admission";
    }

    @Override
    public boolean needsBody() {
        return true;
    }

    @Override
    public FailurePolicy onFailure() {
        return FailurePolicy.FAIL_OPEN;
    }

    @Override
    public Future<Void> apply(LlmCall call) {
        return rateLimiter.reserveTokens(call);
    }
}
