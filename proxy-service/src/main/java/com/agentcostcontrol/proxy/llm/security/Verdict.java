package com.agentcostcontrol.proxy.llm.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.agentcostcontrol.security.core.Action;
import com.agentcostcontrol.security.core.Category;
import com.agentcostcontrol.security.core.Direction;

/** What a scan of one body found and decided: the hits (no matched text) and the strongest action. */
final class Verdict {

    /** One finding: detector, category, the action the policy gives it, and where (JSON path). */
    record Hit(String detector, Category category, Action action, String path) {
    }

    final Direction direction;
    final List<Hit> hits = new ArrayList<>();
    Action strongest;
    /** The first blocking hit, named in the refusal. */
    Hit blocking;

    Verdict(Direction direction) {
        this.direction = direction;
    }

    void add(Hit hit) {
        hits.add(hit);
        if (strongest == null || hit.action().compareTo(strongest) > 0) {
            strongest = hit.action();
        }
        if (hit.action() == Action.BLOCK && blocking == null) {
            blocking = hit;
        }
    }

    /** Distinct detector ids in order of appearance, prefixed with the direction ({@code prompt:aws-access-key}). */
    Set<String> detectors() {
        Set<String> out = new LinkedHashSet<>();
        for (Hit h : hits) {
            out.add(direction.id() + ":" + h.detector());
        }
        return out;
    }
}
