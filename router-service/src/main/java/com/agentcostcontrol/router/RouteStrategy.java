package com.agentcostcontrol.router;

/** How a route picks among its deployments; wire names as in the API and the {@code routes} table. */
public enum RouteStrategy {
    PRIORITY("priority"),
    WEIGHTED("weighted"),
    LOWEST_LATENCY("lowest-latency"),
    LOWEST_COST("lowest-cost");

    /** For Bean Validation {@code @Pattern}: every wire name. */
    public static final String WIRE_PATTERN = "priority|weighted|lowest-latency|lowest-cost";

    private final String wireName;

    RouteStrategy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
