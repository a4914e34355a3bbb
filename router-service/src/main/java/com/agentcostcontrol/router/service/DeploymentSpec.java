package com.agentcostcontrol.router.service;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.agentcostcontrol.router.Provider;

/**
 * A deployment as a client writes it (POST and PUT bodies).
 *
 * @param name      unique per owner; routes refer to deployments by it
 * @param provider  a {@link Provider} wire name
 * @param model     the model name at the provider
 * @param baseUrl   http(s) endpoint; required for openai-compatible, azure-openai and sub2api
 * @param apiKey    the provider credential; stored encrypted, never returned. On PUT: absent or
 *                  null keeps the stored one, {@code ""} removes it
 * @param weight    share for the weighted strategy, at least 1 (default 1)
 * @param timeoutMs upstream timeout in milliseconds (default 60000)
 * @param enabled   disabled deployments stay in routes but are skipped (default true)
 */
public record DeploymentSpec(
        @NotBlank @Size(max = 200) @Pattern(regexp = "\\S(.*\\S)?", message = "must not start or end with whitespace") String name,
        @NotBlank @Pattern(regexp = Provider.WIRE_PATTERN, message = "must be one of " + Provider.WIRE_PATTERN) String provider,
        @NotBlank @Size(max = 200) String model,
        @Size(max = 2000) String baseUrl,
        @Size(max = 10000) String apiKey,
        @Min(1) @Max(1_000_000) Integer weight,
        @Min(1) @Max(3_600_000) Integer timeoutMs,
        Boolean enabled) {

    @Override
    public String toString() {
        // Records print every component; keep the credential out of logs.
        return "DeploymentSpec[name=" + name + ", provider=" + provider + ", model=" + model + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey == null ? "null" : "***") + ", weight=" + weight + ", timeoutMs=" + timeoutMs
                + ", enabled=" + enabled + "]";
    }
}
