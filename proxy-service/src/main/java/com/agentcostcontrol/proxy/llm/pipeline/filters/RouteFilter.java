package com.agentcostcontrol.proxy.llm.pipeline.filters;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.routing.ProxyRouting;
import com.agentcostcontrol.proxy.llm.routing.RoutingMetrics;
import com.agentcostcontrol.router.routing.PlanRequest;
import com.agentcostcontrol.router.routing.RequestFeatures;
import com.agentcostcontrol.router.routing.RoutePlan;
import com.agentcostcontrol.router.routing.TaskType;
import com.agentcostcontrol.router.routing.WireFormat;

import io.vertx.core.Future;

/**
 * Filter 7, {@code route}: the call's route plan (routing-core {@code RoutePlanner}, in process:
 * rules, the route's strategy, fallback models, capability / context / cost filters, deployment
 * health), and the worst case {@code budget-reserve} holds — the plan's priciest attempt, since any
 * attempt may end up serving the call. An empty plan is a 404 {@code model_not_found} naming the
 * model and why. Fail-closed.
 */
@ApplicationScoped
public class RouteFilter implements CallFilter {

    private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);

    private final ProxyRouting routing;
    private final RoutingMetrics metrics;

    public RouteFilter(ProxyRouting routing, RoutingMetrics metrics) {
        this.routing = routing;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "route";
    }

    @Override
    public boolean needsBody() {
        return true;
    }

    @Override
    public FailurePolicy onFailure() {
        return FailurePolicy.FAIL_CLOSED;
    }

    @Override
    public Future<Void> apply(LlmCall call) {
        WireFormat inbound = call.inboundFormat() == ApiFormat.ANTHROPIC ? WireFormat.ANTHROPIC : WireFormat.OPENAI;
        RequestFeatures features = RequestFeatures.of(call.body, inbound);
        PlanRequest request = PlanRequest.builder(call.key.tenantId().toString(), call.requestedModel)
                .features(features)
                .inboundFormat(inbound)
                .taskType(TaskType.parse(call.exchange.request().getHeader(TaskType.HEADER)).orElse(null))
                .build();
        RoutePlan plan = routing.plan(request);
        metrics.decision(plan);
        if (plan.isEmpty()) {
            return Future.failedFuture(new Refusal(404, "model_not_found", notFound(call.requestedModel, plan)));
        }
        call.plan = plan;
        call.reserveWorstCaseMicros = plan.maxWorstCaseUsd()
                .map(usd -> usd.multiply(MICROS).setScale(0, RoundingMode.CEILING).longValueExact()).orElse(0L);
        return Future.succeededFuture();
    }

    private static String notFound(String model, RoutePlan plan) {
        if (plan.source() == RoutePlan.Source.NONE) {
            return "The model '" + model + "' does not exist here: it has no route and no built-in deployment."
                    + " GET /v1/models lists the models your key can use.";
        }
        String why = plan.skipped().stream().limit(5).map(RoutePlan.Skipped::reason).collect(Collectors.joining("; "));
        return "No deployment of model '" + model + "' can serve this call: " + why
                + ". GET /v1/models lists the models your key can use.";
    }
}
