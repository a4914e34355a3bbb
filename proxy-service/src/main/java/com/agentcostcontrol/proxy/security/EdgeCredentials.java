package com.agentcostcontrol.proxy.security;

import java.util.Map;

import com.agentcostcontrol.platform.identity.CallerIdentity;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Glue between Quarkus Security and ACC's {@link CallerIdentity}: every identity the edge
 * establishes (operator token, virtual key, OIDC token) carries its {@code CallerIdentity} as
 * the attribute {@value #CALLER}, and failures carry the status and error type callers get.
 */
public final class EdgeCredentials {

    /** SecurityIdentity attribute holding the {@link CallerIdentity}. */
    public static final String CALLER = "acc.caller";
    /** AuthenticationFailedException attributes: the HTTP status and the envelope's error type. */
    public static final String FAILURE_STATUS = "acc.status";
    public static final String FAILURE_TYPE = "acc.type";

    private EdgeCredentials() {
    }

    /** The caller, or {@code null} for an anonymous identity. */
    public static CallerIdentity caller(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        return identity.getAttribute(CALLER);
    }

    public static AuthenticationFailedException failure(int status, String type, String message) {
        return new AuthenticationFailedException(message, Map.of(FAILURE_STATUS, status, FAILURE_TYPE, type));
    }

    /** The credential a management call presents: {@code Authorization: Bearer} first, then {@code x-api-key}. */
    public static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String trimmed = authorization.trim();
        int space = trimmed.indexOf(' ');
        if (space < 0 || !trimmed.substring(0, space).equalsIgnoreCase("Bearer")) {
            return null;
        }
        String token = trimmed.substring(space + 1).trim();
        return token.isEmpty() ? null : token;
    }

    /** Three base64url segments: the shape of a signed JWT (the issuer's signature is checked later). */
    public static boolean looksLikeJwt(String token) {
        return token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }
}
