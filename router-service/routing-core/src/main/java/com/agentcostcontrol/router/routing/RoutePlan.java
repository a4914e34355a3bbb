package com.agentcostcontrol.router.routing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.agentcostcontrol.router.pricing.Capability;
import com.agentcostcontrol.router.routing.health.HealthState;

/**
 * The ordered attempts for one call, each with the reason it is where it is, plus what was left
 * out and why. The proxy tries the attempts in order until one succeeds (see docs/ROUTING.md).
 *
 * @param tenantId             the tenant planned for ({@code null}: operator level)
 * @param requestedModel       the model the client asked for
 * @param model                the model planned after rules ({@code route-to-model} may change it)
 * @param source               where the primary model's deployments came from
 * @param strategy             the strategy that ordered the primary model's deployments
 *                             ({@code null} for built-ins, which have no strategy)
 * @param requiredCapabilities what every attempt's model must support (the request's needs plus rules')
 * @param rules                the rules that matched, in evaluation order
 * @param attempts             what to try, in order
 * @param skipped              deployments and models left out, with the reason
 */
public record RoutePlan(String tenantId, String requestedModel, String model, Source source, Strategy strategy,
        Set<Capability> requiredCapabilities, List<AppliedRule> rules, List<Attempt> attempts, List<Skipped> skipped) {

    public RoutePlan {
        requiredCapabilities = Set.copyOf(requiredCapabilities);
        rules = List.copyOf(rules);
        attempts = List.copyOf(attempts);
        skipped = List.copyOf(skipped);
    }

    /** Where a model's deployments come from. */
    public enum Source {
        TENANT_ROUTE("tenant-route"),
        OPERATOR_ROUTE("operator-route"),
        BUILT_IN("built-in"),
        /** Neither a route nor a built-in deployment serves the model. */
        NONE("none");

        private final String wireName;

        Source(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * One attempt.
     *
     * @param index         0-based position in the plan
     * @param deployment    what to call (provider, upstream model, endpoint, sealed credential, timeout)
     * @param routeModel    the model of the chain this attempt serves: the planned model or a fallback
     * @param fallbackIndex 0 for the planned model, n for its route's n-th fallback model
     * @param format        the dialect to call the deployment in
     * @param probe         the deployment is half-open: acquire the probe slot
     *                      ({@code DeploymentHealth.tryAcquireProbe}) before calling, skip it if refused
     * @param health        its state when planned
     * @param worstCaseUsd  this call's worst-case cost at this deployment (pricing-core,
     *                      tenant prices), {@code null} when the model has no price
     * @param reason        why it is in the plan, and here
     */
    public record Attempt(int index, Deployment deployment, String routeModel, int fallbackIndex, WireFormat format,
            boolean probe, HealthState health, BigDecimal worstCaseUsd, String reason) {

        public String deploymentId() {
            return deployment.id();
        }

        public String provider() {
            return deployment.provider();
        }

        /** The model name to send upstream. */
        public String upstreamModel() {
            return deployment.model();
        }

        public boolean isFallback() {
            return fallbackIndex > 0;
        }
    }

    /**
     * Something left out of the plan.
     *
     * @param deploymentId   the deployment's id, {@code null} when no deployment was found
     * @param deploymentName the deployment's name (or the route's entry), {@code null} when none
     * @param routeModel     the model whose expansion left it out
     * @param reason         why
     */
    public record Skipped(String deploymentId, String deploymentName, String routeModel, String reason) {
    }

    /**
     * A rule that matched.
     *
     * @param ruleId   the rule
     * @param tenantId its owner ({@code null}: operator rule)
     * @param priority its priority
     * @param match    its criteria in words
     * @param effect   what it did (or why it did nothing)
     */
    public record AppliedRule(String ruleId, String tenantId, int priority, String match, String effect) {
    }

    public boolean isEmpty() {
        return attempts.isEmpty();
    }

    public Optional<Attempt> first() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(0));
    }

    /**
     * The highest worst case over every attempt — what a budget reservation must cover, since any
     * attempt may end up serving the call. Empty when no attempt is priced.
     */
    public Optional<BigDecimal> maxWorstCaseUsd() {
        return attempts.stream().map(Attempt::worstCaseUsd).filter(c -> c != null).max(BigDecimal::compareTo);
    }

    /** Whether some attempt has no price (its cost cannot be reserved exactly). */
    public boolean hasUnpricedAttempt() {
        return attempts.stream().anyMatch(a -> a.worstCaseUsd() == null);
    }
}
