package com.agentcostcontrol.proxy.rest;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import com.agentcostcontrol.proxy.Tenant;
import com.agentcostcontrol.proxy.VirtualKey;
import com.agentcostcontrol.proxy.service.RateLimitSettings;
import com.agentcostcontrol.proxy.service.TenantAdministration;
import com.fasterxml.jackson.annotation.JsonInclude;

/** JSON shapes of the tenants and keys API. A key's hash never appears; its secret only in {@link IssuedKeyView}. */
public final class ManagementViews {

    private ManagementViews() {
    }

    /** A tenant; {@code limits} are its own rate limits across all its keys. */
    public record TenantView(UUID id, String name, String status, LimitsView limits, Instant createdAt,
            Instant updatedAt) {
        static TenantView of(Tenant t) {
            return new TenantView(t.id, t.name, t.status, new LimitsView(t.rpmLimit, t.tpmLimit, t.maxConcurrent),
                    t.createdAt, t.updatedAt);
        }
    }

    /** Rate limits of a tenant ({@code GET/PUT /admin/v1/tenants/{id}/limits}); null means no limit of that kind. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LimitsView(Integer rpmLimit, Integer tpmLimit, Integer maxConcurrent) {
        static LimitsView of(RateLimitSettings s) {
            return new LimitsView(s.rpmLimit(), s.tpmLimit(), s.maxConcurrent());
        }
    }

    /**
     * A key as listed.
     *
     * @param status {@code active}, {@code expired} or {@code revoked}
     * @param models models the key may call; empty means every model
     */
    public record KeyView(UUID id, UUID tenantId, String name, String prefix, List<String> scopes, List<String> models,
            Integer rpmLimit, Integer tpmLimit, Integer maxConcurrent, Instant expiresAt, Instant revokedAt,
            Instant createdAt, String status) {
        static KeyView of(VirtualKey k, Clock clock) {
            String status = k.revokedAt != null ? "revoked"
                    : k.expiresAt != null && !clock.instant().isBefore(k.expiresAt) ? "expired" : "active";
            return new KeyView(k.id, k.tenantId, k.name, k.prefix, list(k.scopes), list(k.allowedModels),
                    k.rpmLimit, k.tpmLimit, k.maxConcurrent, k.expiresAt, k.revokedAt, k.createdAt, status);
        }
    }

    /** A key just issued: {@code key} is the only time the secret is shown. */
    public record IssuedKeyView(UUID id, String key, String prefix, UUID tenantId, String name, List<String> scopes,
            List<String> models, Integer rpmLimit, Integer tpmLimit, Integer maxConcurrent, Instant expiresAt,
            Instant createdAt) {
        static IssuedKeyView of(TenantAdministration.IssuedKey issued) {
            VirtualKey k = issued.key();
            return new IssuedKeyView(k.id, issued.plainKey(), k.prefix, k.tenantId, k.name, list(k.scopes),
                    list(k.allowedModels), k.rpmLimit, k.tpmLimit, k.maxConcurrent, k.expiresAt, k.createdAt);
        }
    }

    public record ListView<T>(List<T> data) {
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
