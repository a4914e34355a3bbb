package com.agentcostcontrol.proxy.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.proxy.AuthenticatedKey;
import com.agentcostcontrol.proxy.KeyCheck;
import com.agentcostcontrol.proxy.service.KeyAuthenticator;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns a virtual key into an identity through the same cached check the LLM path uses. A key
 * with the {@code manage} scope acts as tenant-admin of its tenant; an {@code llm}-only key is
 * still authenticated (so it can be told precisely that it lacks the scope) but has no role.
 */
@ApplicationScoped
public class VirtualKeyIdentityProvider implements IdentityProvider<VirtualKeyRequest> {

    private final KeyAuthenticator authenticator;

    public VirtualKeyIdentityProvider(KeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Class<VirtualKeyRequest> getRequestType() {
        return VirtualKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(VirtualKeyRequest request, AuthenticationRequestContext context) {
        return authenticator.check(request.key()).map(check -> {
            if (check instanceof KeyCheck.Refused refused) {
                throw EdgeCredentials.failure(refused.status(), refused.code(), refused.message());
            }
            return identity(((KeyCheck.Accepted) check).key());
        });
    }

    static SecurityIdentity identity(AuthenticatedKey key) {
        Set<String> roles = key.hasScope(AuthenticatedKey.SCOPE_MANAGE)
                ? Set.of(CallerIdentity.Role.TENANT_ADMIN) : Set.of();
        CallerIdentity caller = new CallerIdentity(CallerIdentity.Kind.KEY, key.keyId().toString(),
                key.tenantId().toString(), roles, key.scopes());
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("key:" + key.keyId()))
                .addRoles(roles)
                .addAttribute(EdgeCredentials.CALLER, caller)
                .build();
    }
}
