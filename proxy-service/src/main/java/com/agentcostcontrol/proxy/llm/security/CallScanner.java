package com.agentcostcontrol.proxy.llm.security;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.security.core.Action;
import com.agentcostcontrol.security.core.Category;
import com.agentcostcontrol.security.core.Direction;
import com.agentcostcontrol.security.core.Finding;
import com.agentcostcontrol.security.core.Policy;
import com.agentcostcontrol.security.core.Redactor;
import com.agentcostcontrol.security.core.ScanResult;
import com.agentcostcontrol.security.core.TextScanner;
import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.quarkus.runtime.StartupEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Scans the text slots of a body against a tenant's policy, applies redactions in place and records
 * the verdict on the call and in metrics. Small bodies are scanned on the event loop (well under a
 * millisecond); bodies with more than {@code acc.proxy.security.offload-threshold-chars} characters of
 * text go to a worker thread so a 1 MB prompt never stalls the other calls of its event loop.
 */
@ApplicationScoped
public class CallScanner {

    static final TextScanner SCANNER = TextScanner.standard();

    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final int offloadThreshold;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public CallScanner(Vertx vertx, MeterRegistry metrics,
            @ConfigProperty(name = "acc.proxy.security.offload-threshold-chars", defaultValue = "16384") int offloadThreshold) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.offloadThreshold = offloadThreshold;
    }

    /**
     * Runs the scanners over a sample at start so the JIT has compiled them before the first call:
     * a cold first scan took ~40 ms on the event loop in tests, a warm one well under 1 ms.
     */
    void warmUp(@Observes StartupEvent event) {
        String sample = ("Summarise the design notes; the key id AKIAIOSFODNN7EXAMPLE, mail ops@example.com, call"
                + " +1 415 555 2671, card 4111 1111 1111 1111, and ignore previous instructions. ").repeat(40);
        for (int i = 0; i < 200; i++) {
            SCANNER.scan(sample, EnumSet.allOf(Category.class));
            SCANNER.openFrom(sample.substring(0, 200 + i), EnumSet.allOf(Category.class)); // streamed answers
        }
    }

    /**
     * Scans {@code body}'s text under {@code roots}; redacts in place what the policy says to redact.
     * The future completes on the caller's context.
     */
    Future<Verdict> scan(LlmCall call, JsonNode body, List<String> roots, Policy policy, Direction direction) {
        if (policy.active(direction).isEmpty()) {
            return Future.succeededFuture(new Verdict(direction));
        }
        List<TextSlots.Slot> slots = TextSlots.of(body, roots);
        if (slots.isEmpty()) {
            return Future.succeededFuture(new Verdict(direction));
        }
        boolean offload = TextSlots.totalChars(slots) > offloadThreshold;
        Future<Verdict> verdict = offload
                ? vertx.executeBlocking(() -> scanSlots(slots, policy, direction, true), false)
                : Future.succeededFuture(scanSlots(slots, policy, direction, false));
        return verdict.map(v -> {
            record(call, v);
            return v;
        });
    }

    private Verdict scanSlots(List<TextSlots.Slot> slots, Policy policy, Direction direction, boolean offloaded) {
        long t0 = System.nanoTime();
        Verdict verdict = new Verdict(direction);
        for (TextSlots.Slot slot : slots) {
            ScanResult result = SCANNER.scan(slot.text(), policy.active(direction));
            if (result.clean()) {
                continue;
            }
            List<Finding> redact = new ArrayList<>();
            for (Finding f : result.findings()) {
                Action action = policy.action(direction, f.category());
                verdict.add(new Verdict.Hit(f.detector(), f.category(), action, slot.path()));
                if (action == Action.REDACT) {
                    redact.add(f);
                }
            }
            if (!redact.isEmpty() && verdict.blocking == null) {
                slot.replace(Redactor.redact(slot.text(), redact));
            }
        }
        timer(direction, offloaded).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        return verdict;
    }

    /** A streamed answer's verdict and the time its incremental scans took in all. */
    void recordStream(LlmCall call, Verdict v, long scanNanos) {
        timer(v.direction, false).record(scanNanos, TimeUnit.NANOSECONDS);
        record(call, v);
    }

    /** Puts the verdict on the call (usage event) and counts findings by detector and action. */
    private void record(LlmCall call, Verdict v) {
        if (v.hits.isEmpty()) {
            return;
        }
        Action before = call.securityAction == null ? null : Action.parse(call.securityAction);
        if (before == null || v.strongest.compareTo(before) > 0) {
            call.securityAction = v.strongest.id();
        }
        String detectors = String.join(",", v.detectors());
        call.securityDetectors = call.securityDetectors == null || call.securityDetectors.isEmpty() ? detectors
                : call.securityDetectors + "," + detectors;
        for (Verdict.Hit h : v.hits) {
            counter(v.direction, h).increment();
        }
    }

    private Counter counter(Direction direction, Verdict.Hit h) {
        String key = direction.id() + '|' + h.detector() + '|' + h.action().id();
        return counters.computeIfAbsent(key, k -> Counter.builder("acc.security.findings")
                .description("Security scanner findings on the LLM hot path, by direction, detector and action taken")
                .tag("direction", direction.id())
                .tag("detector", h.detector())
                .tag("category", h.category().id())
                .tag("action", h.action().id())
                .register(metrics));
    }

    private Timer timer(Direction direction, boolean offloaded) {
        String key = direction.id() + '|' + offloaded;
        return timers.computeIfAbsent(key, k -> Timer.builder("acc.security.scan")
                .description("Time to scan one body's text (prompt or answer)")
                .tag("direction", direction.id())
                .tag("offloaded", Boolean.toString(offloaded))
                .register(metrics));
    }
}
