package com.agentcostcontrol.proxy.llm.pipeline;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.CallFilter.FailurePolicy;
import com.agentcostcontrol.proxy.llm.pipeline.filters.AdmissionFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.AuthenticateFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.BudgetReserveFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.ModelAccessFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.PostCallScanFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.PreCallScanFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.ReadBodyFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.RelayFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.RouteFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.SettleFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.TokenAdmissionFilter;
import com.agentcostcontrol.proxy.llm.pipeline.filters.UpstreamFilter;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The LLM hot path as an explicit ordered list of named filters (DESIGN §3):
 *
 * <pre>
 *  #  filter           body?  on fault      role
 *  1  authenticate     no     fail-closed   virtual key → tenant and key (401/402), scope llm (403)
 *  2  admission        no     fail-open     key + tenant requests/min and concurrency ({@link Hooks.RateLimiter#admit};
 *                                           429 naming the limit; tenant status is in 1)
 *  3  read-body        —      fail-closed   read + parse the JSON body (413/400), model, stream, agent
 *  4  model-access     yes    fail-closed   the key's model allow-list (403 naming the model)
 *  5  token-admission  yes    fail-open     key + tenant tokens/min: worst-case tokens reserved up front
 *                                           ({@link Hooks.RateLimiter#reserveTokens}; settled to actual in settle)
 *  6  pre-call-scan    yes    fail-closed   {@link Hooks.PreCallScanner} (400 naming the detector)
 *  7  route            yes    fail-closed   route plan: rules, strategy, fallbacks, filters, health
 *                                           (routing-core, in process; 404 when nothing serves the model)
 *  8  budget-reserve   yes    fail-closed   {@link Hooks.BudgetGuard#reserve} of the plan's priciest
 *                                           attempt (429 naming the budget)
 *  9  upstream         yes    fail-closed   the plan's attempts in order; falls back on 429/408/5xx/529,
 *                                           timeout, connection, credential and context-window errors
 *                                           before the first byte reached the client (502/503/504)
 * 10  post-call-scan   yes    fail-closed   {@link Hooks.PostCallScanner} on non-streaming answers
 * 11  relay            yes    fail-closed   answer or SSE relay (translated, usage counted, headers)
 * 12  settle           —      fail-open     always runs once: budget settle, usage event, metrics
 * </pre>
 *
 * Fail-closed: a fault (not a refusal) of the filter ends the call with 503 and the filter's name;
 * fail-open: the fault is logged and the call goes on. Rate limiting fails open so a Redis outage
 * does not stop all traffic; scanning and budgets fail closed so an outage never leaks a secret or
 * overspends; settle fails open because the answer is already out (usage events are spooled, never lost).
 */
@ApplicationScoped
public class Pipeline {

    private static final Logger LOG = Logger.getLogger(Pipeline.class);
    /** Retry-After of a 503 for a gateway fault (Redis or Postgres briefly unreachable): nothing better is known. */
    public static final long FAULT_RETRY_AFTER_SECONDS = 1;

    private final List<CallFilter> filters;
    private final SettleFilter settle;
    private final Responses responses;

    public Pipeline(AuthenticateFilter authenticate, AdmissionFilter admission, ReadBodyFilter readBody,
            ModelAccessFilter modelAccess, TokenAdmissionFilter tokenAdmission, PreCallScanFilter preCallScan,
            RouteFilter route, BudgetReserveFilter budgetReserve, UpstreamFilter upstream, PostCallScanFilter postCallScan,
            RelayFilter relay, SettleFilter settle, Responses responses) {
        this.filters = List.of(authenticate, admission, readBody, modelAccess, tokenAdmission, preCallScan, route,
                budgetReserve, upstream, postCallScan, relay);
        this.settle = settle;
        this.responses = responses;
        boolean bodyRead = false;
        for (CallFilter f : filters) {
            if (f.needsBody() && !bodyRead) {
                throw new IllegalStateException("filter " + f.name() + " needs the body but runs before read-body");
            }
            bodyRead |= f == readBody;
        }
    }

    /** Filter names in order (for docs and the startup log). */
    public List<String> names() {
        java.util.List<String> names = new java.util.ArrayList<>(filters.stream().map(CallFilter::name).toList());
        names.add(settle.name());
        return names;
    }

    /** Runs the call to its end; never fails (every outcome becomes an answer and a usage event). */
    public void run(LlmCall call) {
        Promise<Void> done = Promise.promise();
        step(call, 0, done);
        done.future().onComplete(ar -> {
            if (ar.failed()) {
                fail(call, ar.cause());
            }
            settle.settle(call);
        });
    }

    private void step(LlmCall call, int index, Promise<Void> done) {
        if (index == filters.size()) {
            done.complete();
            return;
        }
        CallFilter filter = filters.get(index);
        Future<Void> result;
        try {
            result = filter.apply(call);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                step(call, index + 1, done);
            } else if (ar.cause() instanceof Refusal) {
                done.fail(ar.cause());
            } else if (filter.onFailure() == FailurePolicy.FAIL_OPEN) {
                LOG.warnf("filter %s failed open for %s: %s", filter.name(), call.requestId, ar.cause().toString());
                step(call, index + 1, done);
            } else {
                LOG.errorf("filter %s failed closed for %s: %s", filter.name(), call.requestId, ar.cause().toString());
                done.fail(new Refusal(503, "filter_unavailable", "The gateway could not complete step '" + filter.name()
                        + "' for this call; retry in " + FAULT_RETRY_AFTER_SECONDS + " s.", "error",
                        java.util.Map.of("Retry-After", Long.toString(FAULT_RETRY_AFTER_SECONDS))));
            }
        });
    }

    private void fail(LlmCall call, Throwable cause) {
        Refusal refusal = cause instanceof Refusal r ? r
                : new Refusal(500, "internal_error", "Internal error in the gateway; retry shortly.", "error", java.util.Map.of());
        if (!(cause instanceof Refusal)) {
            LOG.errorf(cause, "call %s failed", call.requestId);
        }
        if ("ok".equals(call.status)) {
            call.status = refusal.usageStatus();
        }
        if (call.errorCode == null) {
            call.errorCode = refusal.code();
        }
        responses.error(call, refusal);
    }
}
