package com.agentcostcontrol.platform.identity;

import jakarta.enterprise.context.RequestScoped;

import com.agentcostcontrol.platform.error.ApiException;

/** The verified caller of the current request; set by {@link InternalIdentityFilter}. */
@RequestScoped
public class RequestIdentity {

    private CallerIdentity caller;
    private String rawHeader;

    void set(CallerIdentity caller, String rawHeader) {
        this.caller = caller;
        this.rawHeader = rawHeader;
    }

    /** The caller; throws when the request did not carry a verified identity. */
    public CallerIdentity caller() {
        if (caller == null) {
            throw new InvalidIdentityException("no verified identity on this request");
        }
        return caller;
    }

    public boolean isPresent() {
        return caller != null;
    }

    /** The signed header as received, to pass on when this service calls another one for the caller. */
    public String rawHeader() {
        return rawHeader;
    }

    /**
     * Answer for a tenant the caller does not belong to: 404, byte for byte what a tenant that does not exist
     * answers (docs/IDENTITY.md: another tenant's existence is never revealed), whether it was named in the path,
     * a query parameter or the body.
     */
    public static final String TENANT_NOT_FOUND = "tenant not found";

    /**
     * Unless the caller may read the tenant's data: 404 {@value #TENANT_NOT_FOUND} for another tenant,
     * {@link AccessDeniedException} (403) for its own tenant without a role that reads.
     */
    public void requireRead(String tenantId) {
        CallerIdentity c = caller();
        if (!c.canRead(tenantId)) {
            throw refusal(c, tenantId, "read");
        }
    }

    /**
     * Unless the caller may change the tenant's data: 404 {@value #TENANT_NOT_FOUND} for another tenant,
     * {@link AccessDeniedException} (403) for its own tenant without the admin role (a viewer).
     */
    public void requireWrite(String tenantId) {
        CallerIdentity c = caller();
        if (!c.canWrite(tenantId)) {
            throw refusal(c, tenantId, "change");
        }
    }

    private static RuntimeException refusal(CallerIdentity c, String tenantId, String verb) {
        if (!c.isOperator() && !c.isService() && (tenantId == null || !tenantId.equals(c.tenantId()))) {
            return ApiException.notFound(TENANT_NOT_FOUND);
        }
        return new AccessDeniedException("this identity may not " + verb + " tenant " + tenantId);
    }

    public void requireOperator() {
        if (!caller().isOperator() && !caller().isService()) {
            throw new AccessDeniedException("this call needs the operator role");
        }
    }
}
