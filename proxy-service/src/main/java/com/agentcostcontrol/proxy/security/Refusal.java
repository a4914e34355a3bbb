package com.agentcostcontrol.proxy.security;

import io.quarkus.security.AuthenticationFailedException;

/**
 * What a refused credential answers in the management envelope. The edge's own failures carry
 * status, type and message; quarkus-oidc's do not, so they get a message saying what to do.
 */
public record Refusal(int status, String type, String message) {

    public static Refusal of(AuthenticationFailedException e) {
        Object status = e.getAttribute(EdgeCredentials.FAILURE_STATUS);
        if (status instanceof Integer s) {
            return new Refusal(s, String.valueOf((Object) e.getAttribute(EdgeCredentials.FAILURE_TYPE)), e.getMessage());
        }
        return new Refusal(401, "unauthorized", oidcMessage(e));
    }

    /** A rejected OIDC token: say whether it expired; never echo the token. */
    static String oidcMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("Expiration Time") || m.contains("no longer valid") || m.contains("expired"))) {
                return "The OIDC token has expired; sign in again to get a fresh one.";
            }
        }
        return "The OIDC token was rejected: its signature, issuer, audience or format is not valid for this gateway.";
    }

    /** Missing credentials on a management call. */
    public static Refusal missing() {
        return new Refusal(401, "unauthorized", "Missing credentials: send 'Authorization: Bearer <token>' with the "
                + "operator token, a virtual key with the manage scope, or an OIDC token.");
    }
}
