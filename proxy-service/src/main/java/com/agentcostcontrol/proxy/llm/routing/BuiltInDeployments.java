package com.agentcostcontrol.proxy.llm.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.llm.Deployment;
import com.agentcostcontrol.proxy.llm.usage.Prices;
import com.agentcostcontrol.router.pricing.ModelPrice;

/**
 * Deployments that exist without any row in {@code deployments}: the mock provider's
 * {@code mock-small}/{@code mock-large}, and real providers whose credentials are in the environment.
 * A model name with no route resolves here.
 *
 * <p>A name the price catalog knows goes to the catalog entry's provider when that provider's
 * credential is set (e.g. {@code gpt-4o-mini} → openai, {@code claude-sonnet-4-5} → anthropic,
 * {@code groq/llama-3.1-8b-instant} → Groq). Otherwise these name rules apply:
 * {@code vendor/model} names the provider explicitly
 * ({@code openai/}, {@code anthropic/}, {@code groq/}, {@code deepseek/}, {@code mistral/},
 * {@code xai/}; any other {@code vendor/model} goes to OpenRouter when its key is set, which is how
 * OpenRouter names models); bare OpenAI names ({@code gpt-*}, {@code o1*}, {@code o3*},
 * {@code o4*}, {@code chatgpt-*}, {@code text-embedding-*}) go to OpenAI and {@code claude-*} to Anthropic.
 */
@ApplicationScoped
public class BuiltInDeployments {

    public static final List<String> MOCK_MODELS = List.of("mock-small", "mock-large");

    private record EnvProvider(String prefix, String provider, String baseUrl, Optional<String> key) {
    }

    private final ProxyConfig.Providers config;
    private final Prices prices;
    private final int timeoutMs;
    private final List<EnvProvider> prefixed = new ArrayList<>();

    public BuiltInDeployments(ProxyConfig config, Prices prices) {
        this.config = config.providers();
        this.prices = prices;
        this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, this.config.timeout().toMillis());
        prefixed.add(new EnvProvider("openai/", "openai", "https://api.openai.com/v1", this.config.openaiApiKey()));
        prefixed.add(new EnvProvider("anthropic/", "anthropic", "https://api.anthropic.com", this.config.anthropicApiKey()));
        prefixed.add(new EnvProvider("groq/", "openai-compatible", "https://api.groq.com/openai/v1", this.config.groqApiKey()));
        prefixed.add(new EnvProvider("deepseek/", "openai-compatible", "https://api.deepseek.com/v1", this.config.deepseekApiKey()));
        prefixed.add(new EnvProvider("mistral/", "openai-compatible", "https://api.mistral.ai/v1", this.config.mistralApiKey()));
        prefixed.add(new EnvProvider("xai/", "openai-compatible", "https://api.x.ai/v1", this.config.xaiApiKey()));
    }

    /** The built-in deployment serving {@code model}, if any. */
    public Optional<Deployment> resolve(String model) {
        if (model == null || model.isEmpty()) {
            return Optional.empty();
        }
        if (MOCK_MODELS.contains(model)) {
            return config.mockEnabled() ? Optional.of(mock(model)) : Optional.empty();
        }
        for (EnvProvider p : prefixed) {
            if (model.startsWith(p.prefix()) && p.key().isPresent()) {
                return Optional.of(env(p.provider(), p.baseUrl(), model.substring(p.prefix().length()), p.key().get()));
            }
        }
        Optional<ModelPrice> known = prices.catalog().lookup(model);
        if (known.isPresent()) {
            String catalogProvider = known.get().provider();
            for (EnvProvider p : prefixed) {
                if (p.prefix().equals(catalogProvider + "/") && p.key().isPresent()) {
                    return Optional.of(env(p.provider(), p.baseUrl(), model, p.key().get()));
                }
            }
            if ("openrouter".equals(catalogProvider) && config.openrouterApiKey().isPresent()) {
                String name = model.startsWith("openrouter/") ? model.substring("openrouter/".length()) : model;
                return Optional.of(env("openai-compatible", "https://openrouter.ai/api/v1", name, config.openrouterApiKey().get()));
            }
        }
        if (model.indexOf('/') > 0 && config.openrouterApiKey().isPresent()) {
            return Optional.of(env("openai-compatible", "https://openrouter.ai/api/v1", model, config.openrouterApiKey().get()));
        }
        if (isOpenAiName(model) && config.openaiApiKey().isPresent()) {
            return Optional.of(env("openai", "https://api.openai.com/v1", model, config.openaiApiKey().get()));
        }
        if (model.startsWith("claude-") && config.anthropicApiKey().isPresent()) {
            return Optional.of(env("anthropic", "https://api.anthropic.com", model, config.anthropicApiKey().get()));
        }
        return Optional.empty();
    }

    /** Models listed by GET /v1/models besides routed ones. */
    public List<String> listedModels() {
        return config.mockEnabled() ? MOCK_MODELS : List.of();
    }

    private static boolean isOpenAiName(String model) {
        return model.startsWith("gpt-") || model.startsWith("chatgpt-") || model.startsWith("text-embedding-")
                || model.startsWith("o1") || model.startsWith("o3") || model.startsWith("o4");
    }

    private static Deployment mock(String model) {
        return new Deployment(null, null, "builtin-" + model, Deployment.MOCK, model, null, null, 1, 600_000);
    }

    private Deployment env(String provider, String baseUrl, String model, String key) {
        return new Deployment(null, null, "builtin-" + provider + "-" + model, provider, model, baseUrl, key, 1, timeoutMs);
    }
}
