package com.agentcostcontrol.proxy.security;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.proxy.config.ProxyConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Gives a person's identity, verified by quarkus-oidc, its {@link CallerIdentity}: ACC roles
 * ({@code operator}, {@code tenant-admin}, {@code tenant-viewer}) from the claim named by
 * {@code acc.proxy.oidc.roles-claim} and the tenant from {@code acc.proxy.oidc.tenant-claim}.
 * Other role values are ignored; a person with a tenant role but no tenant claim sees no tenant.
 */
@ApplicationScoped
public class OidcCallerAugmentor implements SecurityIdentityAugmentor {

    static final Set<String> ACC_ROLES = Set.of(CallerIdentity.Role.OPERATOR, CallerIdentity.Role.TENANT_ADMIN,
            CallerIdentity.Role.TENANT_VIEWER);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String rolesClaim;
    private final String tenantClaim;

    public OidcCallerAugmentor(ProxyConfig config) {
        this.rolesClaim = config.oidc().rolesClaim();
        this.tenantClaim = config.oidc().tenantClaim();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(EdgeCredentials.CALLER) != null
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        JsonNode claims = claims(jwt);
        Set<String> roles = new LinkedHashSet<>();
        for (String role : strings(path(claims, rolesClaim))) {
            if (ACC_ROLES.contains(role)) {
                roles.add(role);
            }
        }
        JsonNode tenantNode = path(claims, tenantClaim);
        String tenant = tenantNode.isValueNode() && !tenantNode.asText().isBlank() ? tenantNode.asText().trim() : null;
        String subject = claims.path("sub").asText(identity.getPrincipal().getName());
        CallerIdentity caller = new CallerIdentity(CallerIdentity.Kind.USER, subject, tenant, roles, Set.of());
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addRoles(roles)
                .addAttribute(EdgeCredentials.CALLER, caller)
                .build());
    }

    /** The verified token's payload. quarkus-oidc has checked signature, issuer and expiry already. */
    private static JsonNode claims(JsonWebToken jwt) {
        String raw = jwt.getRawToken();
        String[] parts = raw == null ? new String[0] : raw.split("\\.");
        if (parts.length < 2) {
            throw new AuthenticationFailedException("OIDC token without a JWT payload");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw new AuthenticationFailedException("unreadable OIDC token payload");
        }
    }

    /** A claim by name, or by a {@code /}-separated path for nested claims. */
    static JsonNode path(JsonNode claims, String claimPath) {
        JsonNode direct = claims.path(claimPath);
        if (!direct.isMissingNode() || !claimPath.contains("/")) {
            return direct;
        }
        JsonNode node = claims;
        for (String part : claimPath.split("/")) {
            node = node.path(part);
        }
        return node;
    }

    /** Role values as an array, or as one space- or comma-separated string. */
    static Set<String> strings(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        if (node.isArray()) {
            node.forEach(n -> {
                if (n.isTextual()) {
                    out.add(n.asText().trim());
                }
            });
        } else if (node.isTextual()) {
            for (String s : node.asText().split("[\\s,]+")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
