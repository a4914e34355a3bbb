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
 * Upstreams speaking the Anthropic Messages format: {@code anthropic}
 * ({@code https://api.anthropic.com} unless the deployment names a base URL) and {@code sub2api}
 * (the deployment's base URL, with sub2api's own {@code sk-} key). Both get the credential as
 * {@code x-api-key}, plus {@code anthropic-version} (the client's, else the configured default) and
 * the client's {@code anthropic-beta}.
 */
@ApplicationScoped
public class AnthropicFamilyAdapter implements ProviderAdapter {

    static final String ANTHROPIC_DEFAULT = "https://api.anthropic.com";

    private final UpstreamHttp http;
    private final String defaultVersion;

    public AnthropicFamilyAdapter(UpstreamHttp http, ProxyConfig config) {
        this.http = http;
        this.defaultVersion = config.llm().anthropicVersion();
    }

    @Override
    public Set<String> providers() {
        return Set.of("anthropic", "sub2api");
    }

    @Override
    public ApiFormat format(ApiFormat inbound) {
        return ApiFormat.ANTHROPIC;
    }

    @Override
    public boolean supports(Operation operation) {
        return operation != Operation.EMBED;
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        UpstreamTarget d = request.target();
        String base = OpenAiFamilyAdapter.trimSlash(d.baseUrl() == null || d.baseUrl().isBlank() ? ANTHROPIC_DEFAULT : d.baseUrl());
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - 3);
        }
        String url = base + (request.operation() == Operation.COUNT_TOKENS ? "/v1/messages/count_tokens" : "/v1/messages");
        Map<String, String> headers = new HashMap<>(4);
        if (d.apiKey() != null && !d.apiKey().isBlank()) {
            headers.put("x-api-key", d.apiKey());
        }
        headers.put("anthropic-version", request.headers().getOrDefault("anthropic-version", defaultVersion));
        String beta = request.headers().get("anthropic-beta");
        if (beta != null) {
            headers.put("anthropic-beta", beta);
        }
        return http.post(url, headers, Json.buffer(request.body()), request.stream(), d.timeoutMs(),
                request.onCancellable());
    }
}
