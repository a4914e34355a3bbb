package com.agentcostcontrol.router.pricing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the current catalog snapshot for the hot path and replaces it on {@link #reload()}.
 * A failed reload keeps the last good snapshot; readers never see a half-loaded catalog.
 */
public final class PriceCatalogHolder {

    /** Where snapshots come from; {@link PriceCatalogLoader} in production. */
    @FunctionalInterface
    public interface Source {
        PriceCatalogLoader.LoadResult load() throws Exception;
    }

    /** What a {@link #reload()} did. */
    public enum Outcome {
        /** A new snapshot is in use (possibly with some rows skipped: see {@code rejected}). */
        LOADED,
        /** Loading failed; the previous snapshot stays in use. */
        FAILED_KEPT_PREVIOUS,
        /** Loading failed and there has never been a snapshot: the catalog is empty. */
        FAILED_NO_CATALOG
    }

    /**
     * @param outcome   what happened
     * @param models    catalog models in use after the reload
     * @param overrides tenant overrides in use after the reload
     * @param rejected  rows skipped by this load (empty when the load failed)
     * @param error     why the load failed, {@code null} when it did not
     * @param at        when the reload finished
     */
    public record ReloadResult(Outcome outcome, int models, int overrides, List<String> rejected, String error,
            Instant at) {
        public ReloadResult {
            rejected = List.copyOf(rejected);
        }

        public boolean succeeded() {
            return outcome == Outcome.LOADED;
        }
    }

    private final Source source;
    private final Clock clock;
    private final AtomicReference<PriceCatalog> current = new AtomicReference<>(PriceCatalog.empty());
    private volatile boolean loaded;
    private volatile ReloadResult lastReload;
    private volatile Instant loadedAt;

    public PriceCatalogHolder(Source source) {
        this(source, Clock.systemUTC());
    }

    public PriceCatalogHolder(Source source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /** The snapshot in use; empty until the first successful load. */
    public PriceCatalog current() {
        return current.get();
    }

    /** Whether a load has ever succeeded. */
    public boolean hasCatalog() {
        return loaded;
    }

    /** When the snapshot in use was loaded; empty before the first successful load. */
    public Optional<Instant> loadedAt() {
        return Optional.ofNullable(loadedAt);
    }

    /** The result of the latest reload, if any. */
    public Optional<ReloadResult> lastReload() {
        return Optional.ofNullable(lastReload);
    }

    /** Loads a new snapshot; on any failure keeps the one in use. Never throws. */
    public synchronized ReloadResult reload() {
        ReloadResult result;
        try {
            PriceCatalogLoader.LoadResult load = source.load();
            current.set(load.catalog());
            loaded = true;
            loadedAt = clock.instant();
            result = new ReloadResult(Outcome.LOADED, load.catalog().size(), load.catalog().overrideCount(),
                    load.rejected(), null, loadedAt);
        } catch (Exception e) {
            PriceCatalog kept = current.get();
            String error = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            result = new ReloadResult(loaded ? Outcome.FAILED_KEPT_PREVIOUS : Outcome.FAILED_NO_CATALOG,
                    kept.size(), kept.overrideCount(), List.of(), error, clock.instant());
        }
        lastReload = result;
        return result;
    }
}
