package com.agentcostcontrol.platform.identity;

import java.util.Set;

/**
 * Who is calling, as established by the proxy at the edge and forwarded to sibling services.
 *
 * @param kind     how the caller authenticated
 * @param subject  stable id of the caller: key id, OIDC subject, "operator" or a service name
 * @param tenantId the tenant the caller acts for; {@code null} for operators and services
 * @param roles    {@link Role} names granted to the caller
 * @param scopes   key scopes ({@code llm}, {@code manage}); empty for people and services
 */
public record CallerIdentity(Kind kind, String subject, String tenantId, Set<String> roles, Set<String> scopes) {

    public enum Kind { OPERATOR, KEY, USER, SERVICE }

    /** Role names, as they appear in OIDC tokens and in the forwarded identity. */
    public static final class Role {
        public static final String OPERATOR = "operator";
        public static final String TENANT_ADMIN = "tenant-admin";
        public static final String TENANT_VIEWER = "tenant-viewer";
        public static final String SERVICE = "service";

        private Role() {
        }
    }

    public CallerIdentity {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    public static CallerIdentity operator(String subject) {
        return new CallerIdentity(Kind.OPERATOR, subject, null, Set.of(Role.OPERATOR), Set.of());
    }

    public static CallerIdentity service(String serviceName) {
        return new CallerIdentity(Kind.SERVICE, serviceName, null, Set.of(Role.SERVICE), Set.of());
    }

    public boolean isOperator() {
        return roles.contains(Role.OPERATOR);
    }

    public boolean isService() {
        return roles.contains(Role.SERVICE);
    }

    /** Operators and internal services see every tenant; everyone else only their own. */
    public boolean canRead(String tenant) {
        return isOperator() || isService()
                || (tenant != null && tenant.equals(tenantId)
                    && (roles.contains(Role.TENANT_ADMIN) || roles.contains(Role.TENANT_VIEWER)));
    }

    /** Viewers read; admins (and manage-scoped keys, which carry the admin role) change. */
    public boolean canWrite(String tenant) {
        return isOperator() || isService()
                || (tenant != null && tenant.equals(tenantId) && roles.contains(Role.TENANT_ADMIN));
    }
}
