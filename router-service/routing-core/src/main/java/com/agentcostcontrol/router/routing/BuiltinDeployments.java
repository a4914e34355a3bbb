package com.agentcostcontrol.router.routing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.agentcostcontrol.router.pricing.ModelPrice;
import com.agentcostcontrol.router.pricing.PriceCatalog;

/**
 * The deployments a model name with no route resolves to: the mock provider's models, and catalog
 * models at providers whose credentials the proxy has in its environment. Only the caller knows
 * which those are, so it passes this in. Ids must be {@link Deployment#builtinId} so that health
 * recorded by one proxy applies to the same built-in deployment everywhere.
 */
@FunctionalInterface
public interface BuiltinDeployments {

    /** The mock provider's models (always available offline). */
    List<String> MOCK_MODELS = List.of("mock-small", "mock-large");

    /** No built-in deployments: a model without a route cannot be served. */
    BuiltinDeployments NONE = model -> List.of();

    /** The deployments serving {@code model} when no route names it, in order; empty when none. */
    List<Deployment> resolve(String model);

    /**
     * Built-ins from the price catalog: {@code mock-*} at provider {@code mock} (when {@code mock}
     * is among {@code providers}), and any model the catalog resolves at its provider family when
     * that family is among {@code providers} (e.g. {@code openai}, {@code anthropic},
     * {@code openrouter}). The deployment's model is the catalog's name for it; base URL and
     * credential are the proxy's business (built-ins carry neither).
     */
    static BuiltinDeployments fromCatalog(Supplier<PriceCatalog> catalog, Set<String> providers, int timeoutMs) {
        Set<String> enabled = providers.stream().map(p -> p.trim().toLowerCase(Locale.ROOT)).filter(p -> !p.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        return model -> {
            if (model == null || model.isBlank()) {
                return List.of();
            }
            if (MOCK_MODELS.contains(model)) {
                return enabled.contains(Deployment.PROVIDER_MOCK)
                        ? List.of(Deployment.builtin(Deployment.PROVIDER_MOCK, model, null, timeoutMs)) : List.of();
            }
            Optional<ModelPrice> known = catalog.get().lookup(model);
            if (known.isPresent() && enabled.contains(known.get().provider())
                    && !Deployment.PROVIDER_MOCK.equals(known.get().provider())) {
                return List.of(Deployment.builtin(known.get().provider(), known.get().model(), null, timeoutMs));
            }
            return List.of();
        };
    }
}
