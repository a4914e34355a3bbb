package com.agentcostcontrol.proxy.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer credential that is not a virtual key and not a JWT: checked against the operator token. */
public final class OperatorTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public OperatorTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "OperatorTokenRequest[redacted]";
    }
}
