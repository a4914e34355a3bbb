package com.agentcostcontrol.security.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's scanning policy: one {@link Action} per category for prompts and one for responses.
 * {@link #DEFAULT} applies to a tenant that has none: secrets are blocked, PII and injection are
 * flagged (recorded, not changed), in both directions.
 */
public final class Policy {

    public static final Policy DEFAULT = new Policy(defaults(), defaults());

    private final Map<Category, Action> prompt;
    private final Map<Category, Action> response;
    private final Set<Category> promptActive;
    private final Set<Category> responseActive;

    /** Categories missing from a map take the default's action. */
    public Policy(Map<Category, Action> prompt, Map<Category, Action> response) {
        this.prompt = complete(prompt);
        this.response = complete(response);
        this.promptActive = active(this.prompt);
        this.responseActive = active(this.response);
    }

    public static Map<Category, Action> defaults() {
        Map<Category, Action> m = new EnumMap<>(Category.class);
        m.put(Category.SECRETS, Action.BLOCK);
        m.put(Category.PII, Action.FLAG);
        m.put(Category.INJECTION, Action.FLAG);
        return m;
    }

    private static Map<Category, Action> complete(Map<Category, Action> given) {
        Map<Category, Action> m = defaults();
        if (given != null) {
            given.forEach((c, a) -> {
                if (c != null && a != null) {
                    m.put(c, a);
                }
            });
        }
        return Collections.unmodifiableMap(m);
    }

    private static Set<Category> active(Map<Category, Action> actions) {
        Set<Category> s = EnumSet.noneOf(Category.class);
        actions.forEach((c, a) -> {
            if (a != Action.OFF) {
                s.add(c);
            }
        });
        return Collections.unmodifiableSet(s);
    }

    public Action action(Direction direction, Category category) {
        return (direction == Direction.PROMPT ? prompt : response).get(category);
    }

    public Map<Category, Action> actions(Direction direction) {
        return direction == Direction.PROMPT ? prompt : response;
    }

    /** The categories to scan (action not {@code off}). */
    public Set<Category> active(Direction direction) {
        return direction == Direction.PROMPT ? promptActive : responseActive;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Policy p && p.prompt.equals(prompt) && p.response.equals(response);
    }

    @Override
    public int hashCode() {
        return prompt.hashCode() * 31 + response.hashCode();
    }

    @Override
    public String toString() {
        return "Policy{prompt=" + prompt + ", response=" + response + "}";
    }
}
