package com.agentcostcontrol.router.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.router.Deployment;
import com.agentcostcontrol.router.Owner;
import com.agentcostcontrol.router.Provider;
import com.agentcostcontrol.router.Route;
import com.agentcostcontrol.router.RouteStrategy;
import com.agentcostcontrol.router.RoutingChanged;
import com.agentcostcontrol.router.repository.DeploymentRepository;
import com.agentcostcontrol.router.repository.RouteRepository;
import com.agentcostcontrol.router.repository.TenantDirectory;

/**
 * Deployments and routes of one {@link Owner} (the operator level or one tenant): validation,
 * credential sealing, referential checks between routes and deployments, and a
 * {@link RoutingChanged} event for every committed change. Another owner's rows are invisible:
 * asking for them answers 404 exactly like a row that does not exist.
 */
@ApplicationScoped
public class RoutingAdmin {

    private static final int DEFAULT_WEIGHT = 1;
    private static final int DEFAULT_TIMEOUT_MS = 60_000;
    private static final int MAX_MODEL_LENGTH = 200;

    private final DeploymentRepository deployments;
    private final RouteRepository routes;
    private final TenantDirectory tenants;
    private final CredentialVault vault;
    private final Event<RoutingChanged> changes;

    public RoutingAdmin(DeploymentRepository deployments, RouteRepository routes, TenantDirectory tenants,
            CredentialVault vault, Event<RoutingChanged> changes) {
        this.deployments = deployments;
        this.routes = routes;
        this.tenants = tenants;
        this.vault = vault;
        this.changes = changes;
    }

    // ---- deployments ------------------------------------------------------------------------

    public List<Deployment> deployments(Owner owner) {
        return deployments.listFor(owner);
    }

    public Deployment deployment(Owner owner, String id) {
        return parseId(id).flatMap(uuid -> deployments.findFor(owner, uuid))
                .orElseThrow(() -> ApiException.notFound("deployment " + id + " not found"));
    }

    @Transactional
    public Deployment createDeployment(Owner owner, DeploymentSpec spec) {
        requireTenantExists(owner);
        Provider provider = checkProviderAndUrl(spec);
        deployments.findByName(owner, spec.name()).ifPresent(existing -> {
            throw ApiException.conflict("a deployment named '" + spec.name() + "' already exists (id " + existing.id
                    + "); choose another name or change that one with PUT");
        });
        Deployment d = new Deployment();
        d.id = UUID.randomUUID();
        d.tenantId = owner.tenantId();
        apply(d, spec, provider);
        if (spec.apiKey() != null && !spec.apiKey().isEmpty()) {
            d.apiKeyCiphertext = vault.seal(d.id, spec.apiKey());
        }
        d.createdAt = now();
        d.updatedAt = d.createdAt;
        deployments.persist(d);
        flushOrConflict(owner, "a deployment named '" + spec.name() + "' already exists");
        changes.fire(new RoutingChanged(owner.tenantId(), RoutingChanged.DEPLOYMENT, d.id, "created"));
        return d;
    }

    @Transactional
    public Deployment updateDeployment(Owner owner, String id, DeploymentSpec spec) {
        Deployment d = deployment(owner, id);
        Provider provider = checkProviderAndUrl(spec);
        if (!d.name.equals(spec.name())) {
            deployments.findByName(owner, spec.name()).ifPresent(existing -> {
                throw ApiException.conflict("a deployment named '" + spec.name() + "' already exists (id "
                        + existing.id + ")");
            });
            requireUnused(owner, d.name, "renamed");
        }
        apply(d, spec, provider);
        if (spec.apiKey() != null) {
            d.apiKeyCiphertext = spec.apiKey().isEmpty() ? null : vault.seal(d.id, spec.apiKey());
        }
        d.updatedAt = now();
        flushOrConflict(owner, "a deployment named '" + spec.name() + "' already exists");
        changes.fire(new RoutingChanged(owner.tenantId(), RoutingChanged.DEPLOYMENT, d.id, "updated"));
        return d;
    }

    @Transactional
    public void deleteDeployment(Owner owner, String id) {
        Deployment d = deployment(owner, id);
        requireUnused(owner, d.name, "deleted");
        deployments.delete(d);
        changes.fire(new RoutingChanged(owner.tenantId(), RoutingChanged.DEPLOYMENT, d.id, "deleted"));
    }

    // ---- routes -----------------------------------------------------------------------------

    public List<Route> routes(Owner owner) {
        return routes.listFor(owner);
    }

    public Route route(Owner owner, String model) {
        return routes.findByModel(owner, model)
                .orElseThrow(() -> ApiException.notFound("no route for model '" + model + "'"));
    }

    /** Creates or replaces the owner's route for {@code model}. */
    @Transactional
    public Route putRoute(Owner owner, String model, RouteSpec spec) {
        if (model == null || model.isBlank() || model.length() > MAX_MODEL_LENGTH) {
            throw ApiException.badRequest("model", "the model in the path must be 1 to " + MAX_MODEL_LENGTH
                    + " characters");
        }
        requireTenantExists(owner);
        List<String> targets = checkDeploymentNames(owner, spec.deployments());
        List<String> fallbacks = checkFallbacks(model, spec.fallbacks());

        Optional<Route> existing = routes.findByModel(owner, model);
        Route r = existing.orElseGet(Route::new);
        if (existing.isEmpty()) {
            r.id = UUID.randomUUID();
            r.tenantId = owner.tenantId();
            r.model = model;
            r.createdAt = now();
        }
        r.deployments = targets;
        r.fallbacks = fallbacks;
        r.strategy = spec.strategy() == null ? RouteStrategy.PRIORITY.wireName() : spec.strategy();
        r.updatedAt = now();
        if (existing.isEmpty()) {
            routes.persist(r);
        }
        flushOrConflict(owner, "the route for '" + model + "' was changed concurrently; retry");
        changes.fire(new RoutingChanged(owner.tenantId(), RoutingChanged.ROUTE, r.id,
                existing.isEmpty() ? "created" : "updated"));
        return r;
    }

    @Transactional
    public void deleteRoute(Owner owner, String model) {
        Route r = route(owner, model);
        routes.delete(r);
        changes.fire(new RoutingChanged(owner.tenantId(), RoutingChanged.ROUTE, r.id, "deleted"));
    }

    /** The route a tenant's call to {@code model} uses: the tenant's own, else the operator's. */
    public Optional<Route> effectiveRoute(UUID tenantId, String model) {
        return routes.findByModel(Owner.tenant(tenantId), model)
                .or(() -> routes.findByModel(Owner.OPERATOR, model));
    }

    // ---- checks -----------------------------------------------------------------------------

    private void requireTenantExists(Owner owner) {
        if (!owner.isOperator() && !tenants.exists(owner.tenantId())) {
            throw ApiException.notFound("tenant " + owner.tenantId() + " not found");
        }
    }

    private static Provider checkProviderAndUrl(DeploymentSpec spec) {
        Provider provider = Provider.fromWire(spec.provider()).orElseThrow(() -> ApiException.badRequest("provider",
                "provider must be one of " + Provider.WIRE_PATTERN.replace("|", ", ")));
        String url = spec.baseUrl();
        if (url == null || url.isBlank()) {
            if (provider.needsBaseUrl()) {
                throw ApiException.badRequest("baseUrl", "baseUrl is required for provider " + provider.wireName()
                        + ": give the http(s) endpoint of the service");
            }
            return provider;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null || uri.getHost().isBlank()) {
                throw ApiException.badRequest("baseUrl", "baseUrl must be an absolute http:// or https:// URL with a host");
            }
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("baseUrl", "baseUrl is not a valid URL: " + e.getReason());
        }
        return provider;
    }

    private static void apply(Deployment d, DeploymentSpec spec, Provider provider) {
        d.name = spec.name();
        d.provider = provider.wireName();
        d.model = spec.model();
        d.baseUrl = spec.baseUrl() == null || spec.baseUrl().isBlank() ? null : spec.baseUrl();
        d.weight = spec.weight() == null ? DEFAULT_WEIGHT : spec.weight();
        d.timeoutMs = spec.timeoutMs() == null ? DEFAULT_TIMEOUT_MS : spec.timeoutMs();
        d.enabled = spec.enabled() == null || spec.enabled();
    }

    private void requireUnused(Owner owner, String name, String what) {
        List<String> users = routes.modelsUsingDeployment(owner, name);
        if (!users.isEmpty()) {
            throw ApiException.conflict("deployment '" + name + "' cannot be " + what + " while routes use it: "
                    + String.join(", ", users) + "; change or delete those routes first");
        }
    }

    private List<String> checkDeploymentNames(Owner owner, List<String> names) {
        String createHint = owner.isOperator() ? "POST /admin/v1/deployments" : "POST /v1/routing/deployments";
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw ApiException.badRequest("deployments", "deployments must not contain empty names");
            }
            if (!seen.add(name)) {
                throw ApiException.badRequest("deployments", "deployment '" + name + "' is listed twice");
            }
            boolean known = deployments.findByName(owner, name).isPresent()
                    || (!owner.isOperator() && deployments.findByName(Owner.OPERATOR, name).isPresent());
            if (!known) {
                throw ApiException.badRequest("deployments", "unknown deployment '" + name + "'; create it first with "
                        + createHint);
            }
            out.add(name);
        }
        return out;
    }

    private static List<String> checkFallbacks(String model, List<String> fallbacks) {
        if (fallbacks == null) {
            return new ArrayList<>();
        }
        Set<String> seen = new HashSet<>();
        for (String f : fallbacks) {
            if (f == null || f.isBlank()) {
                throw ApiException.badRequest("fallbacks", "fallbacks must not contain empty model names");
            }
            if (f.equals(model)) {
                throw ApiException.badRequest("fallbacks", "a route cannot fall back to its own model '" + model + "'");
            }
            if (!seen.add(f)) {
                throw ApiException.badRequest("fallbacks", "fallback model '" + f + "' is listed twice");
            }
        }
        return new ArrayList<>(fallbacks);
    }

    /**
     * Flushes now so a race with a concurrent request surfaces here as a clear answer instead of a
     * 500 at commit: a unique-index clash is 409, a tenant deleted meanwhile (foreign key) is 404.
     */
    private void flushOrConflict(Owner owner, String message) {
        try {
            deployments.flush();
        } catch (PersistenceException e) {
            ConstraintViolationException violation = e instanceof ConstraintViolationException c ? c
                    : e.getCause() instanceof ConstraintViolationException c ? c : null;
            if (violation == null) {
                throw e;
            }
            if (violation.getKind() == ConstraintViolationException.ConstraintKind.FOREIGN_KEY && !owner.isOperator()) {
                throw ApiException.notFound("tenant " + owner.tenantId() + " not found");
            }
            throw ApiException.conflict(message);
        }
    }

    private static Optional<UUID> parseId(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** Postgres keeps microseconds; truncating keeps what we return equal to what we store. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
