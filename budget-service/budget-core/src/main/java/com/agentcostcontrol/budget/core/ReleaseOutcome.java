package com.agentcostcontrol.budget.core;

/**
 * The answer to a release.
 *
 * @param released     whether a live lease was found and given back
 * @param amountMicros the amount given back (0 when none: already settled, released or expired)
 */
public record ReleaseOutcome(boolean released, long amountMicros) {
}
