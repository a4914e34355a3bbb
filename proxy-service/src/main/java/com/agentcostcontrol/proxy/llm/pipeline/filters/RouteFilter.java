package com.agentcostcontrol.proxy.llm.pipeline.filters;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.routing.RoutePlan;
import com.agentcostcontrol.proxy.llm.routing.RoutingTable;

import io.vertx.core.Future;

/**
 * Filter 7, {@code route}: the ordered deployment plan for the requested model from the in-process
 * routing snapshot; 404 when nothing serves the model. Fail-closed.
 */
@ApplicationScoped
public class RouteFilter implements CallFilter {

    private final RoutingTable routing;

    public RouteFilter(RoutingTable routing) {
        this.routing = routing;
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
        Optional<RoutePlan> plan = routing.plan(call.key.tenantId(), call.requestedModel);
        if (plan.isEmpty()) {
            return Future.failedFuture(new Refusal(404, "model_not_found", "The model '" + call.requestedModel
                    + "' does not exist here: it has no route and no built-in deployment. GET /v1/models lists the models"
                    + " your key can use."));
        }
        call.plan = plan.get();
        return Future.succeededFuture();
    }
}
