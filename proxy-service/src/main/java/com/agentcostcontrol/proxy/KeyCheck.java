package com.agentcostcontrol.proxy;

/** The outcome of presenting a key: accepted, or refused with the status the caller gets. */
public sealed interface KeyCheck {

    record Accepted(AuthenticatedKey key) implements KeyCheck {
    }

    /**
     * @param status  401 for an unknown, revoked or expired key; 402 for a suspended tenant
     * @param code    machine-readable reason: invalid_api_key, expired_api_key, tenant_suspended
     * @param message what was wrong and what to do; never contains the key
     */
    record Refused(int status, String code, String message) implements KeyCheck {
    }

    static Refused invalid() {
        return new Refused(401, "invalid_api_key",
                "Invalid API key: it is unknown or revoked. Use a key issued by POST /admin/v1/tenants/{id}/keys.");
    }
}
