package com.agentcostcontrol.router.routing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

import com.agentcostcontrol.router.pricing.Capability;

/**
 * A routing rule (a row of {@code routing_rules}): when every criterion of its match holds, its
 * action applies before the route's strategy. Rules run tenant rules first, then operator rules,
 * each by ascending {@link #priority()} (ties: older first). See {@link RoutePlanner} for how
 * actions combine.
 *
 * @param id              the row's id
 * @param tenantId        owning tenant; {@code null} for an operator rule (applies to every tenant)
 * @param priority        lower runs first (0..1,000,000)
 * @param description     free text, may be {@code null}
 * @param modelPattern    matches the requested model name; {@code null} = any
 * @param taskType        matches the request's task type; {@code null} = any
 * @param capability      matches when the request needs this capability; {@code null} = any
 * @param maxCostUsd      matches when the call's worst-case cost at the requested model is above
 *                        this amount (USD); {@code null} = any
 * @param action          what to do
 * @param targetModel     {@link Action#ROUTE_TO_MODEL}: the model to plan instead
 * @param targetStrategy  {@link Action#SET_STRATEGY}: the strategy every expansion of the plan uses
 * @param targetCapability {@link Action#REQUIRE_CAPABILITY}: a capability every planned deployment must have
 * @param createdAt       creation time, orders rules of equal priority
 */
public record RoutingRule(String id, String tenantId, int priority, String description, Glob modelPattern,
        TaskType taskType, Capability capability, BigDecimal maxCostUsd, Action action, String targetModel,
        Strategy targetStrategy, Capability targetCapability, Instant createdAt) {

    /** Evaluation order within one owner: priority, then creation time, then id. */
    public static final Comparator<RoutingRule> ORDER = Comparator.comparingInt(RoutingRule::priority)
            .thenComparing(RoutingRule::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(RoutingRule::id);

    public enum Action {
        /** Plan another model instead of the requested one; stops rule evaluation. */
        ROUTE_TO_MODEL("route-to-model"),
        /** Order every expansion of the plan with this strategy (the first matching such rule wins). */
        SET_STRATEGY("set-strategy"),
        /** Add a required capability: deployments without it are skipped (accumulates). */
        REQUIRE_CAPABILITY("require-capability");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Action> parse(String value) {
            return value == null ? Optional.empty()
                    : Arrays.stream(values()).filter(a -> a.wireName.equalsIgnoreCase(value.trim())).findFirst();
        }

        public static String names() {
            return String.join(", ", Arrays.stream(values()).map(Action::wireName).toList());
        }
    }

    public RoutingRule {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("rule id is required");
        }
        if (action == null) {
            throw new IllegalArgumentException("rule " + id + ": action is required");
        }
        if (maxCostUsd != null && maxCostUsd.signum() <= 0) {
            throw new IllegalArgumentException("rule " + id + ": maxCostUsd must be positive");
        }
        switch (action) {
            case ROUTE_TO_MODEL -> {
                if (targetModel == null || targetModel.isBlank()) {
                    throw new IllegalArgumentException("rule " + id + ": route-to-model needs a model");
                }
            }
            case SET_STRATEGY -> {
                if (targetStrategy == null) {
                    throw new IllegalArgumentException("rule " + id + ": set-strategy needs a strategy");
                }
            }
            case REQUIRE_CAPABILITY -> {
                if (targetCapability == null) {
                    throw new IllegalArgumentException("rule " + id + ": require-capability needs a capability");
                }
            }
        }
    }

    public boolean isOperatorLevel() {
        return tenantId == null;
    }

    /** What the rule does, for plan explanations: {@code route to claude-haiku-4-5}. */
    public String effect() {
        return switch (action) {
            case ROUTE_TO_MODEL -> "route to " + targetModel;
            case SET_STRATEGY -> "strategy " + targetStrategy.wireName();
            case REQUIRE_CAPABILITY -> "require " + targetCapability.apiName();
        };
    }

    /** The match criteria in words: {@code model claude-opus-* and task test}. */
    public String matchDescription() {
        StringBuilder b = new StringBuilder();
        if (modelPattern != null) {
            b.append("model ").append(modelPattern.text());
        }
        if (taskType != null) {
            b.append(b.isEmpty() ? "" : " and ").append("task ").append(taskType.wireName());
        }
        if (capability != null) {
            b.append(b.isEmpty() ? "" : " and ").append("needs ").append(capability.apiName());
        }
        if (maxCostUsd != null) {
            b.append(b.isEmpty() ? "" : " and ").append("worst case above $").append(maxCostUsd.toPlainString());
        }
        return b.isEmpty() ? "every call" : b.toString();
    }
}
