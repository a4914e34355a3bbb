package com.agentcostcontrol.proxy.llm.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.llm.usage.Prices;
import com.agentcostcontrol.router.pricing.ModelPrice;
import com.agentcostcontrol.router.routing.BuiltinDeployments;
import com.agentcostcontrol.router.routing.Deployment;

/**
 * The deployments that exist without any row in {@code deployments} (routing-core's
 * {@link BuiltinDeployments}, docs/ROUTING.md section 1): the mock provider's {@code mock-small} /
 * {@code mock-large} (unless {@code acc.proxy.providers.mock-enabled=false}), and the provider
 * families whose credential the proxy has in its environment. Their ids are
 * {@code builtin:<family>:<model>}, so their health is shared with every proxy and router-service.
 *
 * <p>Which family serves a name without a route: {@code vendor/model} names the family explicitly
 * ({@code openai/}, {@code anthropic/}, {@code groq/}, {@code deepseek/}, {@code mistral/},
 * {@code xai/}); else the price catalog's provider of the name (e.g. {@code gpt-4o-mini} → openai,
 * {@code claude-sonnet-4-5} → anthropic); else any other {@code vendor/model} goes to OpenRouter
 * (which names models that way); else bare OpenAI names ({@code gpt-*}, {@code o1*}, {@code o3*},
 * {@code o4*}, {@code chatgpt-*}, {@code text-embedding-*}) go to openai and {@code claude-*} to
 * anthropic. Each only when that family's key is set.
 */
@ApplicationScoped
public class BuiltinProviders implements BuiltinDeployments {

    /** Timeout of the built-in mock deployments (mock directives may ask for long delays). */
    static final int MOCK_TIMEOUT_MS = 600_000;

    /** A provider family the proxy can call without a deployment row: adapter, endpoint and credential. */
    public record Family(String name, String adapterProvider, String baseUrl, Optional<String> key) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final boolean mockEnabled;
    private final int timeoutMs;
    private final Prices prices;

    public BuiltinProviders(ProxyConfig config, Prices prices) {
        ProxyConfig.Providers p = config.providers();
        this.prices = prices;
        this.mockEnabled = p.mockEnabled();
        this.timeoutMs = millis(p.timeout());
        add(new Family("openai", "openai", "https://api.openai.com/v1", p.openaiApiKey()));
        add(new Family("anthropic", "anthropic", "https://api.anthropic.com", p.anthropicApiKey()));
        add(new Family("groq", "openai-compatible", "https://api.groq.com/openai/v1", p.groqApiKey()));
        add(new Family("deepseek", "openai-compatible", "https://api.deepseek.com/v1", p.deepseekApiKey()));
        add(new Family("mistral", "openai-compatible", "https://api.mistral.ai/v1", p.mistralApiKey()));
        add(new Family("xai", "openai-compatible", "https://api.x.ai/v1", p.xaiApiKey()));
        add(new Family("openrouter", "openai-compatible", "https://openrouter.ai/api/v1", p.openrouterApiKey()));
    }

    private void add(Family f) {
        families.put(f.name(), new Family(f.name(), f.adapterProvider(), f.baseUrl(), f.key().filter(k -> !k.isBlank())));
    }

    /** The family of a built-in deployment's provider, if the proxy has its credential. */
    public Optional<Family> family(String name) {
        return Optional.ofNullable(families.get(name)).filter(f -> f.key().isPresent());
    }

    @Override
    public List<Deployment> resolve(String model) {
        if (model == null || model.isBlank()) {
            return List.of();
        }
        if (MOCK_MODELS.contains(model)) {
            return mockEnabled ? List.of(Deployment.builtin(Deployment.PROVIDER_MOCK, model, null, MOCK_TIMEOUT_MS))
                    : List.of();
        }
        int slash = model.indexOf('/');
        if (slash > 0) {
            Optional<Family> named = family(model.substring(0, slash));
            if (named.isPresent() && !"openrouter".equals(named.get().name())) {
                return one(named.get(), model.substring(slash + 1));
            }
        }
        Optional<ModelPrice> known = prices.catalog().lookup(model);
        if (known.isPresent()) {
            Optional<Family> f = family(known.get().provider());
            if (f.isPresent()) {
                String name = known.get().model();
                if ("openrouter".equals(f.get().name()) && name.startsWith("openrouter/")) {
                    name = name.substring("openrouter/".length());
                }
                return one(f.get(), name);
            }
        }
        if (slash > 0 && family("openrouter").isPresent()) {
            String name = model.startsWith("openrouter/") ? model.substring("openrouter/".length()) : model;
            return one(family("openrouter").get(), name);
        }
        if (isOpenAiName(model) && family("openai").isPresent()) {
            return one(family("openai").get(), model);
        }
        if (model.startsWith("claude-") && family("anthropic").isPresent()) {
            return one(family("anthropic").get(), model);
        }
        return List.of();
    }

    /** Models listed by GET /v1/models besides routed ones. */
    public List<String> listedModels() {
        return mockEnabled ? MOCK_MODELS : List.of();
    }

    /** The families with a credential (for the startup log). */
    public List<String> enabledFamilies() {
        List<String> out = new ArrayList<>();
        if (mockEnabled) {
            out.add(Deployment.PROVIDER_MOCK);
        }
        families.values().stream().filter(f -> f.key().isPresent()).forEach(f -> out.add(f.name()));
        return out;
    }

    private List<Deployment> one(Family f, String model) {
        return List.of(Deployment.builtin(f.name(), model, null, timeoutMs));
    }

    private static boolean isOpenAiName(String model) {
        return model.startsWith("gpt-") || model.startsWith("chatgpt-") || model.startsWith("text-embedding-")
                || model.startsWith("o1") || model.startsWith("o3") || model.startsWith("o4");
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
