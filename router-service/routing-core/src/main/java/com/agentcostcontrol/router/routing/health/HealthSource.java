package com.agentcostcontrol.router.routing.health;

/**
 * Where the planner reads deployment health from. Must answer at once, without I/O:
 * {@link HealthView} serves a briefly cached copy of the shared state and refreshes it in the background.
 */
@FunctionalInterface
public interface HealthSource {

    /** Every deployment healthy (no shared health, e.g. in a dry run without Redis). */
    HealthSource NONE = DeploymentStatus::unknown;

    /** The latest known status; {@link DeploymentStatus#unknown} when nothing is known yet. */
    DeploymentStatus status(String deploymentId);
}
