package com.agentcostcontrol.platform.identity;

import jakarta.enterprise.context.RequestScoped;

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

    /** Throws {@link AccessDeniedException} unless the caller may read the tenant's data. */
    public void requireRead(String tenantId) {
        if (!caller().canRead(tenantId)) {
            throw new AccessDeniedException("this identity may not read tenant " + tenantId);
        }
    }

    /** Throws {@link AccessDeniedException} unless the caller may change the tenant's data. */
    public void requireWrite(String tenantId) {
        if (!caller().canWrite(tenantId)) {
            throw new AccessDeniedException("this identity may not change tenant " + tenantId);
        }
    }

    public void requireOperator() {
        if (!caller().isOperator() && !caller().isService()) {
            throw new AccessDeniedException("this call needs the operator role");
        }
    }
}
