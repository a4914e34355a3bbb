package com.agentcostcontrol.proxy.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A presented virtual key ({@code sk-acc-...}). */
public final class VirtualKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public VirtualKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return "VirtualKeyRequest[redacted]";
    }
}
