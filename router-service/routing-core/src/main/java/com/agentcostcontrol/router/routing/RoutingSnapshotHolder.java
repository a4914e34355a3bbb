package com.agentcostcontrol.router.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the current routing snapshot for the hot path and replaces it on {@link #reload()}. A
 * failed reload keeps the last good snapshot; readers never see a half-loaded one. Until a first
 * load succeeds the snapshot is empty (every model resolves to the built-in deployments).
 */
public final class RoutingSnapshotHolder {

    /** Where snapshots come from; {@link RoutingSnapshotLoader} in production. */
    @FunctionalInterface
    public interface Source {
        RoutingSnapshotLoader.LoadResult load() throws Exception;
    }

    public enum Outcome {
        /** A new snapshot is in use (possibly with some rows skipped: see {@code rejected}). */
        LOADED,
        /** Loading failed; the previous snapshot stays in use. */
        FAILED_KEPT_PREVIOUS,
        /** Loading failed and there has never been a snapshot: the empty one is in use. */
        FAILED_NO_SNAPSHOT
    }

    /**
     * @param outcome     what happened
     * @param deployments deployments in the snapshot in use after the reload
     * @param routes      routes in use after the reload
     * @param rules       enabled rules in use after the reload
     * @param rejected    rows skipped by this load (empty when the load failed)
     * @param error       why the load failed, {@code null} when it did not
     * @param at          when the reload finished
     */
    public record ReloadResult(Outcome outcome, int deployments, int routes, int rules, List<String> rejected,
            String error, Instant at) {
        public ReloadResult {
            rejected = List.copyOf(rejected);
        }

        public boolean succeeded() {
            return outcome == Outcome.LOADED;
        }
    }

    private final Source source;
    private final Clock clock;
    private final AtomicReference<RoutingSnapshot> current = new AtomicReference<>(RoutingSnapshot.empty());
    private volatile boolean loaded;
    private volatile ReloadResult lastReload;
    private volatile Instant loadedAt;

    public RoutingSnapshotHolder(Source source) {
        this(source, Clock.systemUTC());
    }

    public RoutingSnapshotHolder(Source source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /** The snapshot in use. */
    public RoutingSnapshot current() {
        return current.get();
    }

    public boolean hasSnapshot() {
        return loaded;
    }

    public Optional<Instant> loadedAt() {
        return Optional.ofNullable(loadedAt);
    }

    public Optional<ReloadResult> lastReload() {
        return Optional.ofNullable(lastReload);
    }

    /** Loads a new snapshot; on any failure keeps the one in use. Never throws. */
    public synchronized ReloadResult reload() {
        ReloadResult result;
        try {
            RoutingSnapshotLoader.LoadResult load = source.load();
            RoutingSnapshot s = load.snapshot();
            current.set(s);
            loaded = true;
            loadedAt = clock.instant();
            result = new ReloadResult(Outcome.LOADED, s.deploymentCount(), s.routeCount(), s.ruleCount(),
                    load.rejected(), null, loadedAt);
        } catch (Exception e) {
            RoutingSnapshot kept = current.get();
            String error = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            result = new ReloadResult(loaded ? Outcome.FAILED_KEPT_PREVIOUS : Outcome.FAILED_NO_SNAPSHOT,
                    kept.deploymentCount(), kept.routeCount(), kept.ruleCount(), List.of(), error, clock.instant());
        }
        lastReload = result;
        return result;
    }
}
