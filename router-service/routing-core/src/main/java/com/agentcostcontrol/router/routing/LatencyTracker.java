package com.agentcostcontrol.router.routing;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's exponentially weighted moving average of each deployment's latency, fed by
 * {@link RoutePlanner#recordLatency}. It reacts at once to what this proxy sees; the shared EWMA in
 * the deployment's health (all proxies) is used for deployments this one has not measured.
 */
public final class LatencyTracker {

    private record Ewma(double millis, long samples) {
    }

    private final double alpha;
    private final ConcurrentHashMap<String, Ewma> ewma = new ConcurrentHashMap<>();

    /**
     * @param alpha weight of the newest sample (0 < alpha <= 1); 0.3 forgets a sample's influence
     *              to under 3 % after 10 newer ones
     */
    public LatencyTracker(double alpha) {
        if (!(alpha > 0.0 && alpha <= 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
    }

    public void record(String deploymentId, Duration latency) {
        if (deploymentId == null || latency == null || latency.isNegative()) {
            return;
        }
        double sample = latency.toNanos() / 1_000_000.0;
        ewma.compute(deploymentId, (id, old) -> old == null ? new Ewma(sample, 1)
                : new Ewma(alpha * sample + (1 - alpha) * old.millis(), old.samples() + 1));
    }

    /** The EWMA in milliseconds, empty before the first sample. */
    public OptionalDouble ewmaMillis(String deploymentId) {
        Ewma e = ewma.get(deploymentId);
        return e == null ? OptionalDouble.empty() : OptionalDouble.of(e.millis());
    }

    public void forget(String deploymentId) {
        ewma.remove(deploymentId);
    }
}
