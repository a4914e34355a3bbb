package com.agentcostcontrol.router.routing.health;

/** A deployment's circuit state, shared by every proxy through Redis. */
public enum HealthState {
    /** Closed: calls go through. */
    HEALTHY("healthy", 0),
    /** Cooldown over but not yet confirmed: one probe call at a time goes through. */
    HALF_OPEN("half-open", 1),
    /** Open: nobody calls it until the cooldown ends. */
    COOLING_DOWN("cooling-down", 2);

    private final String wireName;
    private final int gaugeValue;

    HealthState(String wireName, int gaugeValue) {
        this.wireName = wireName;
        this.gaugeValue = gaugeValue;
    }

    public String wireName() {
        return wireName;
    }

    /** The value of the {@code acc_router_deployment_state} gauge: 0 healthy, 1 half-open, 2 cooling down. */
    public int gaugeValue() {
        return gaugeValue;
    }
}
