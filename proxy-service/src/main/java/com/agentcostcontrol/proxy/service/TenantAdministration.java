package com.agentcostcontrol.proxy.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.proxy.AuthenticatedKey;
import com.agentcostcontrol.proxy.Tenant;
import com.agentcostcontrol.proxy.VirtualKey;
import com.agentcostcontrol.proxy.repository.TenantRepository;
import com.agentcostcontrol.proxy.repository.VirtualKeyRepository;
import com.agentcostcontrol.proxy.security.ManagementAccess;

/**
 * Tenants and virtual keys, with the access rules of {@link ManagementAccess} applied to every
 * operation. Changes that affect key checks are spread to every instance's key cache after the
 * transaction committed, so no instance can re-read the old row and cache it again.
 */
@ApplicationScoped
public class TenantAdministration {

    /** A key as issued: the entity (hash only) and the plain key, which is returned once and never stored. */
    public record IssuedKey(VirtualKey key, String plainKey) {
    }

    private static final Logger LOG = Logger.getLogger(TenantAdministration.class);

    private final TenantRepository tenants;
    private final VirtualKeyRepository keys;
    private final KeyInvalidation invalidation;

    public TenantAdministration(TenantRepository tenants, VirtualKeyRepository keys, KeyInvalidation invalidation) {
        this.tenants = tenants;
        this.keys = keys;
        this.invalidation = invalidation;
    }

    public Tenant createTenant(CallerIdentity caller, String name) {
        ManagementAccess.requireOperator(caller);
        Tenant tenant = tenants.create(name);
        LOG.infof("tenant %s created by %s", tenant.id, caller.subject());
        return tenant;
    }

    public List<Tenant> listTenants(CallerIdentity caller, int offset, int limit) {
        ManagementAccess.requireOperator(caller);
        return tenants.list(offset, limit);
    }

    public Tenant getTenant(CallerIdentity caller, UUID tenantId) {
        ManagementAccess.requireVisible(caller, tenantId, "tenant");
        return tenants.find(tenantId).orElseThrow(() -> ApiException.notFound("tenant not found"));
    }

    /** Suspends or reactivates; suspended tenants' keys get 402 on every instance within about a second. */
    public Tenant setStatus(CallerIdentity caller, UUID tenantId, String status) {
        ManagementAccess.requireVisible(caller, tenantId, "tenant");
        ManagementAccess.requireOperator(caller);
        Tenant tenant = tenants.setStatus(tenantId, status).orElseThrow(() -> ApiException.notFound("tenant not found"));
        invalidation.tenantChanged(tenantId);
        LOG.infof("tenant %s is %s (by %s)", tenantId, status, caller.subject());
        return tenant;
    }

    /** The tenant's own rate limits (across all its keys), for anyone who may read the tenant. */
    public RateLimitSettings tenantLimits(CallerIdentity caller, UUID tenantId) {
        Tenant t = getTenant(caller, tenantId);
        return new RateLimitSettings(t.rpmLimit, t.tpmLimit, t.maxConcurrent);
    }

    /**
     * Replaces the tenant's rate limits (operator only: they are the operator's quota on the tenant). Every
     * instance's hot path uses them within about a second (cache eviction by pub/sub, plus the poll).
     */
    public Tenant setTenantLimits(CallerIdentity caller, UUID tenantId, RateLimitSettings limits) {
        ManagementAccess.requireVisible(caller, tenantId, "tenant");
        ManagementAccess.requireOperator(caller);
        Tenant tenant = tenants.setLimits(tenantId, limits.rpmLimit(), limits.tpmLimit(), limits.maxConcurrent())
                .orElseThrow(() -> ApiException.notFound("tenant not found"));
        invalidation.tenantChanged(tenantId);
        LOG.infof("tenant %s rate limits set to rpm=%s tpm=%s concurrent=%s (by %s)", tenantId, limits.rpmLimit(),
                limits.tpmLimit(), limits.maxConcurrent(), caller.subject());
        return tenant;
    }

    /** Changes some of a key's rate limits (a null value removes that limit); effective everywhere within ~1 s. */
    public VirtualKey patchKeyLimits(CallerIdentity caller, UUID keyId, Map<String, Integer> patch) {
        VirtualKey key = keys.find(keyId).orElseThrow(() -> ApiException.notFound("key not found"));
        ManagementAccess.requireWritable(caller, key.tenantId, "key");
        RateLimitSettings next = new RateLimitSettings(key.rpmLimit, key.tpmLimit, key.maxConcurrent).with(patch);
        VirtualKey changed = keys.setLimits(keyId, next.rpmLimit(), next.tpmLimit(), next.maxConcurrent())
                .orElseThrow(() -> ApiException.notFound("key not found"));
        invalidation.keyChanged(keyId);
        LOG.infof("key %s (%s) rate limits set to rpm=%s tpm=%s concurrent=%s (by %s)", keyId, key.prefix,
                next.rpmLimit(), next.tpmLimit(), next.maxConcurrent(), caller.subject());
        return changed;
    }

    public List<VirtualKey> listKeys(CallerIdentity caller, UUID tenantId) {
        getTenant(caller, tenantId);
        return keys.listByTenant(tenantId);
    }

    public IssuedKey issueKey(CallerIdentity caller, UUID tenantId, NewKeySpec spec) {
        ManagementAccess.requireWritable(caller, tenantId, "tenant");
        tenants.find(tenantId).orElseThrow(() -> ApiException.notFound("tenant not found"));
        String plain = KeyCodec.newKey();
        VirtualKey key = new VirtualKey();
        key.id = UUID.randomUUID();
        key.tenantId = tenantId;
        key.name = spec.name();
        key.keyHash = KeyCodec.hash(plain);
        key.prefix = KeyCodec.displayPrefix(plain);
        key.scopes = spec.scopes().stream().sorted().toArray(String[]::new);
        key.allowedModels = spec.models().isEmpty() ? null : spec.models().toArray(String[]::new);
        key.rpmLimit = spec.rpmLimit();
        key.tpmLimit = spec.tpmLimit();
        key.expiresAt = spec.expiresAt();
        key.maxConcurrent = spec.maxConcurrent();
        keys.insert(key);
        LOG.infof("key %s (%s) issued for tenant %s by %s", key.id, key.prefix, tenantId, caller.subject());
        return new IssuedKey(key, plain);
    }

    /** Revokes a key; it stops working everywhere within about a second. Revoking twice is not an error. */
    public void revokeKey(CallerIdentity caller, UUID keyId) {
        VirtualKey key = keys.find(keyId).orElseThrow(() -> ApiException.notFound("key not found"));
        ManagementAccess.requireWritable(caller, key.tenantId, "key");
        if (keys.revoke(keyId)) {
            LOG.infof("key %s (%s) revoked by %s", keyId, key.prefix, caller.subject());
        }
        invalidation.keyChanged(keyId);
    }

    /** Whether {@code scope} is one of the key scopes ({@code llm}, {@code manage}); used by validation. */
    public static boolean knownScope(String scope) {
        return AuthenticatedKey.SCOPE_LLM.equals(scope) || AuthenticatedKey.SCOPE_MANAGE.equals(scope);
    }
}
