package com.agentcostcontrol.proxy.llm.routing;

import java.util.List;

import com.agentcostcontrol.proxy.llm.Deployment;

/**
 * The ordered list of deployments a call tries: the route's deployments in strategy order, then
 * those of its fallback models. The upstream filter walks it in order, moving on only on a
 * retryable failure before the first byte reached the client.
 *
 * @param source {@code route} when a route matched, {@code built-in} otherwise
 */
public record RoutePlan(String model, List<Deployment> deployments, String source) {

    public RoutePlan {
        deployments = List.copyOf(deployments);
    }
}
