package com.agentcostcontrol.proxy.llm.pipeline.filters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.usage.CostMeter;
import com.agentcostcontrol.proxy.llm.usage.UsageEmitter;
import com.agentcostcontrol.proxy.llm.usage.UsageEvent;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;

/**
 * Filter 12, {@code settle}: runs exactly once for every call, whatever its outcome (answer,
 * refusal, upstream error, stream error, client disconnect): prices the tokens, settles the budget
 * reservation ({@link Hooks.BudgetGuard#settle}), settles the rate limits ({@link Hooks.RateLimiter#record}:
 * tokens to the actual count, concurrency leases released), appends the usage
 * event and updates metrics. Fail-open: the client's answer is already out; every step is guarded.
 */
@ApplicationScoped
public class SettleFilter implements CallFilter {

    private static final Logger LOG = Logger.getLogger(SettleFilter.class);

    private final CostMeter costs;
    private final Hooks.BudgetGuard budgets;
    private final Hooks.RateLimiter rateLimiter;
    private final UsageEmitter emitter;
    private final MeterRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public SettleFilter(CostMeter costs, Hooks.BudgetGuard budgets, Hooks.RateLimiter rateLimiter, UsageEmitter emitter,
            MeterRegistry metrics) {
        this.costs = costs;
        this.budgets = budgets;
        this.rateLimiter = rateLimiter;
        this.emitter = emitter;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "settle";
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
        settle(call);
        return Future.succeededFuture();
    }

    public void settle(LlmCall call) {
        if (call.costUsd == null) {
            guarded("price", () -> costs.price(call));
        }
        if (call.budgetReserved) {
            guarded("budget-settle", () -> budgets.settle(call));
        }
        if (call.key != null) {
            guarded("rate-record", () -> rateLimiter.record(call));
        }
        guarded("usage-event", () -> emitter.emit(UsageEvent.of(call)));
        guarded("metrics", () -> timer(call).record(System.nanoTime() - call.startNanos, TimeUnit.NANOSECONDS));
    }

    /** Timers cached by tag values: building one per call would allocate on every call. */
    private Timer timer(LlmCall call) {
        String provider = call.servedAttempt == null ? "none" : call.servedAttempt.provider();
        String key = call.endpoint.eventName() + '|' + call.status + '|' + provider;
        return timers.computeIfAbsent(key, k -> Timer.builder("acc.llm.calls")
                .description("LLM calls through the proxy, by endpoint, status and provider")
                .tag("endpoint", call.endpoint.eventName())
                .tag("status", call.status)
                .tag("provider", provider)
                .register(metrics));
    }

    private void guarded(String step, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warnf("settle step %s failed (fail-open): %s", step, e.toString());
        }
    }
}
