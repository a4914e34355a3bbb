package com.agentcostcontrol.proxy;

/** A control-plane service that owns some management paths; the proxy forwards those paths to it. */
public enum OwnerService {
    BUDGET("budget-service"),
    ROUTER("router-service"),
    SECURITY("security-service"),
    ANALYTICS("analytics-service"),
    BILLING("billing-service"),
    GATEWAY("gateway-adapter");

    private final String serviceName;

    OwnerService(String serviceName) {
        this.serviceName = serviceName;
    }

    /** The name callers see in errors and metrics, e.g. {@code budget-service}. */
    public String serviceName() {
        return serviceName;
    }
}
