package com.agentcostcontrol.proxy.llm.pipeline.filters;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;

import io.vertx.core.Future;

/**
 * Filter 2, {@code admission}: requests per minute and concurrency of the key and its tenant through
 * {@link Hooks.RateLimiter#admit}, before the body is read (tokens follow in {@code token-admission}).
 * The tenant-status part (402) is decided by {@code authenticate} from the cached key. Fail-open: a rate
 * limiter outage must not stop every call.
 */
@ApplicationScoped
public class AdmissionFilter implements CallFilter {

    private final Hooks.RateLimiter rateLimiter;

    public AdmissionFilter(Hooks.RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
    }

    @Override
    public String name() {
        return "admission";
    }

    @Override
    public boolean needsBody() {
        return false;
    }

    @Override
    public FailurePolicy onFailure() {
        return FailurePolicy.FAIL_OPEN;
    }

    @Override
    public Future<Void> apply(LlmCall call) {
        return rateLimiter.admit(call);
    }
}
