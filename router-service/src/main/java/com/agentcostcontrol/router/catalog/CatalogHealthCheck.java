package com.agentcostcontrol.router.catalog;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once a price catalog snapshot is loaded: without it nothing can be priced or routed by cost. */
@Readiness
@ApplicationScoped
public class CatalogHealthCheck implements HealthCheck {

    private final CatalogService catalog;

    public CatalogHealthCheck(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("Price catalog").status(catalog.ready())
                .withData("models", catalog.catalog().size())
                .withData("overrides", catalog.catalog().overrideCount());
        catalog.loadedAt().ifPresent(at -> b.withData("loadedAt", at.toString()));
        catalog.lastReload().filter(r -> !r.succeeded()).ifPresent(r -> b.withData("lastError", r.error()));
        return b.build();
    }
}
