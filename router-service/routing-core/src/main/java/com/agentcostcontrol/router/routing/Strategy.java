package com.agentcostcontrol.router.routing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a route orders its deployments (column {@code routes.strategy}). */
public enum Strategy {
    /** In the order the route lists them. */
    PRIORITY("priority"),
    /** Weighted random (by {@code deployments.weight}), without replacement. */
    WEIGHTED("weighted"),
    /** Fastest recent latency (EWMA) first; deployments never measured come first, to learn theirs. */
    LOWEST_LATENCY("lowest-latency"),
    /** Cheapest worst-case cost of this call first (pricing-core); unpriced deployments last. */
    LOWEST_COST("lowest-cost");

    private final String wireName;

    Strategy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a wire name (case-insensitive); empty when unknown. */
    public static Optional<Strategy> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.wireName.equals(v)).findFirst();
    }

    /** The wire names, for error messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Strategy::wireName).toList());
    }
}
