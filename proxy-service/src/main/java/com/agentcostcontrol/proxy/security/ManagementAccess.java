package com.agentcostcontrol.proxy.security;

import java.util.UUID;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.proxy.AuthenticatedKey;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who may do what on the management API. Operators may do everything; tenant-admins (people with
 * the role, or keys with the {@code manage} scope) read and change their own tenant; viewers
 * only read it. Another tenant's resources answer 404 so their existence is not revealed.
 */
public final class ManagementAccess {

    private ManagementAccess() {
    }

    /** The authenticated management caller; 401 without credentials, 403 for llm-only keys or role-less people. */
    public static CallerIdentity caller(SecurityIdentity identity) {
        CallerIdentity caller = EdgeCredentials.caller(identity);
        if (caller == null) {
            Refusal missing = Refusal.missing();
            throw new ApiException(missing.status(), missing.type(), missing.message(), null);
        }
        requireManagement(caller);
        return caller;
    }

    public static void requireManagement(CallerIdentity caller) {
        if (caller.kind() == CallerIdentity.Kind.KEY && !caller.scopes().contains(AuthenticatedKey.SCOPE_MANAGE)) {
            throw ApiException.forbidden("This API key has only the llm scope; management calls need a key with the "
                    + "manage scope (ask your tenant admin), the operator token or an OIDC token.");
        }
        if (!caller.isOperator() && !caller.roles().contains(CallerIdentity.Role.TENANT_ADMIN)
                && !caller.roles().contains(CallerIdentity.Role.TENANT_VIEWER)) {
            throw ApiException.forbidden("This identity has none of the roles operator, tenant-admin, tenant-viewer; "
                    + "ask your identity provider's administrator for one.");
        }
        if (!caller.isOperator() && caller.tenantId() == null) {
            throw ApiException.forbidden("This identity has a tenant role but names no tenant; "
                    + "its token needs the tenant claim.");
        }
    }

    public static void requireOperator(CallerIdentity caller) {
        if (!caller.isOperator()) {
            throw ApiException.forbidden("This call needs the operator role.");
        }
    }

    /** 404 unless the caller may see the tenant (what a stranger gets for a tenant that does not exist). */
    public static void requireVisible(CallerIdentity caller, UUID tenantId, String what) {
        if (!caller.canRead(tenantId.toString())) {
            throw ApiException.notFound(what + " not found");
        }
    }

    /** 404 for other tenants, 403 for viewers of this one. */
    public static void requireWritable(CallerIdentity caller, UUID tenantId, String what) {
        requireVisible(caller, tenantId, what);
        if (!caller.canWrite(tenantId.toString())) {
            throw ApiException.forbidden("tenant-viewer may only read; this change needs tenant-admin or operator.");
        }
    }

    /** The caller's own tenant, for the tenant-scoped {@code /v1/tenant} and {@code /v1/keys} paths. */
    public static UUID ownTenant(CallerIdentity caller) {
        if (caller.tenantId() == null) {
            throw ApiException.forbidden("This identity does not belong to a tenant; operators use "
                    + "/admin/v1/tenants/{id} and /admin/v1/tenants/{id}/keys.");
        }
        try {
            return UUID.fromString(caller.tenantId());
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("tenant not found");
        }
    }
}
