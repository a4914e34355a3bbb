package com.agentcostcontrol.router.service;

import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.agentcostcontrol.router.RouteStrategy;

/**
 * A route as a client writes it (PUT body; the model comes from the path).
 *
 * @param deployments deployment names in priority order; a tenant's route may name its own
 *                    deployments and operator-level ones (its own win on equal names)
 * @param strategy    a {@link RouteStrategy} wire name (default priority)
 * @param fallbacks   models to try, in order, when every deployment fails (default none)
 */
public record RouteSpec(
        @NotEmpty @Size(max = 100) List<String> deployments,
        @Pattern(regexp = RouteStrategy.WIRE_PATTERN, message = "must be one of " + RouteStrategy.WIRE_PATTERN) String strategy,
        @Size(max = 20) List<String> fallbacks) {
}
