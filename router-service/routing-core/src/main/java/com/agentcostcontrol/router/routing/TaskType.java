package com.agentcostcontrol.router.routing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What kind of work an agent's call is part of, from the request header {@value #HEADER}. Rules
 * can match on it (e.g. send {@code test} calls to a cheap model).
 */
public enum TaskType {
    PLAN("plan"),
    BUILD("build"),
    TEST("test"),
    REVIEW("review");

    /** The request header an agent names its task type with. */
    public static final String HEADER = "x-acc-task";

    private final String wireName;

    TaskType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * Parses a header value (case-insensitive). Empty when absent or unknown: an unknown task type
     * must not fail a call, it just matches no task rule.
     */
    public static Optional<TaskType> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.wireName.equals(v)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(TaskType::wireName).toList());
    }
}
