package com.agentcostcontrol.router.routing.health;

import java.util.Locale;

/**
 * What a health script did, and the deployment's status right after.
 *
 * @param result what happened
 * @param status the status after the change
 */
public record HealthUpdate(Result result, DeploymentStatus status) {

    public enum Result {
        /** Outcome recorded, state unchanged. */
        RECORDED,
        /** A cooldown started (threshold reached, or a Retry-After). */
        OPENED,
        /** The half-open probe failed: cooling down again, longer. */
        REOPENED,
        /** The deployment was already cooling down: a call that started before; nothing changed. */
        COOLING,
        /** A success after the cooldown: healthy again. */
        CLOSED,
        /** Probe slot taken by this caller: send the request, then record its outcome. */
        GRANTED,
        /** Another caller is probing: skip this deployment. */
        BUSY,
        /** A probe slot was given back. */
        RELEASED,
        /** A read. */
        STATUS;

        static Result parse(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * For {@link DeploymentHealth#tryAcquireProbe}: whether the caller may send its request now —
     * it holds the probe slot, or the deployment turned out healthy (closed) meanwhile.
     */
    public boolean mayCall() {
        return result == Result.GRANTED || result == Result.CLOSED;
    }

    /** Whether this update started a cooldown (for the cooldown counter). */
    public boolean startedCooldown() {
        return result == Result.OPENED || result == Result.REOPENED;
    }
}
