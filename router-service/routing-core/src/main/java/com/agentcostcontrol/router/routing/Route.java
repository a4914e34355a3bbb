package com.agentcostcontrol.router.routing;

import java.util.List;

/**
 * A model name mapped to deployments (a row of {@code routes}). A tenant's route overrides the
 * operator's route of the same model for that tenant.
 *
 * @param id          the row's id
 * @param tenantId    owning tenant; {@code null} for an operator-level route
 * @param model       the model name (or alias) callers ask for; matched exactly
 * @param strategy    how the deployments are ordered
 * @param deployments deployment names: the owner's own first, then operator-level ones
 * @param fallbacks   models tried, in order, after every deployment of this route (each expanded
 *                    through its own route or the built-in deployments; not recursively)
 */
public record Route(String id, String tenantId, String model, Strategy strategy, List<String> deployments,
        List<String> fallbacks) {

    public Route {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("route model is required");
        }
        if (strategy == null) {
            throw new IllegalArgumentException("route " + model + ": strategy is required");
        }
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }

    public boolean isOperatorLevel() {
        return tenantId == null;
    }
}
