package com.agentcostcontrol.proxy.llm.provider;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.Json;

import io.vertx.core.Future;

/**
 * Upstreams speaking the OpenAI wire format:
 * <ul>
 *   <li>{@code openai}: {@code https://api.openai.com/v1} unless the deployment names a base URL;
 *       {@code Authorization: Bearer <key>};</li>
 *   <li>{@code openai-compatible}: the deployment's base URL (OpenRouter, Groq, DeepSeek, Mistral,
 *       xAI, Together, Ollama, vLLM, ...), same paths and header; no header when it has no key
 *       (local servers);</li>
 *   <li>{@code azure-openai}: base URL {@code https://<resource>.openai.azure.com}, path
 *       {@code /openai/deployments/<deployment model>/chat/completions?api-version=...}, header
 *       {@code api-key}. An {@code api-version} in the base URL's query wins over the configured one.</li>
 * </ul>
 */
@ApplicationScoped
public class OpenAiFamilyAdapter implements ProviderAdapter {

    static final String OPENAI_DEFAULT = "https://api.openai.com/v1";

    private final UpstreamHttp http;
    private final String azureApiVersion;

    public OpenAiFamilyAdapter(UpstreamHttp http, ProxyConfig config) {
        this.http = http;
        this.azureApiVersion = config.llm().azureApiVersion();
    }

    @Override
    public Set<String> providers() {
        return Set.of("openai", "openai-compatible", "azure-openai");
    }

    @Override
    public ApiFormat format(ApiFormat inbound) {
        return ApiFormat.OPENAI;
    }

    @Override
    public boolean supports(Operation operation) {
        return operation != Operation.COUNT_TOKENS;
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        UpstreamTarget d = request.target();
        String path = request.operation() == Operation.EMBED ? "/embeddings" : "/chat/completions";
        Map<String, String> headers = new HashMap<>(2);
        String url;
        if ("azure-openai".equals(d.provider())) {
            url = azureUrl(d, path);
            if (d.apiKey() != null) {
                headers.put("api-key", d.apiKey());
            }
        } else {
            url = trimSlash(d.baseUrl() == null || d.baseUrl().isBlank() ? OPENAI_DEFAULT : d.baseUrl()) + path;
            if (d.apiKey() != null && !d.apiKey().isBlank()) {
                headers.put("Authorization", "Bearer " + d.apiKey());
            }
        }
        return http.post(url, headers, Json.buffer(request.body()), request.stream(), d.timeoutMs(),
                request.onCancellable());
    }

    String azureUrl(UpstreamTarget d, String path) {
        String base = d.baseUrl() == null ? "" : d.baseUrl();
        String version = azureApiVersion;
        int q = base.indexOf('?');
        if (q >= 0) {
            for (String pair : base.substring(q + 1).split("&")) {
                if (pair.startsWith("api-version=")) {
                    version = pair.substring("api-version=".length());
                }
            }
            base = base.substring(0, q);
        }
        base = trimSlash(base);
        if (!base.contains("/openai/deployments/")) {
            base = base + "/openai/deployments/" + d.model();
        }
        return base + path + "?api-version=" + version;
    }

    static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
