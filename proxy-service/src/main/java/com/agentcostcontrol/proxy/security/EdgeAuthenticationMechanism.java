package com.agentcostcontrol.proxy.security;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.agentcostcontrol.proxy.service.KeyCodec;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the credential of a management call and picks how to verify it by its shape:
 * {@code sk-acc-...} is a virtual key; a value equal to the operator token is the operator; a JWT
 * is left to quarkus-oidc's bearer mechanism (which runs after this one, having a lower priority);
 * anything else is checked as an operator token and refused with a message saying why.
 * <p>
 * Authentication is not proactive in the proxy ({@code quarkus.http.auth.proactive=false}): it runs
 * only for management endpoints, never on the LLM hot path, which checks keys itself.
 */
@ApplicationScoped
public class EdgeAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** Ahead of quarkus-oidc ({@link HttpAuthenticationMechanism#DEFAULT_PRIORITY}) so keys never reach the JWT parser. */
    static final int PRIORITY = DEFAULT_PRIORITY + 1000;

    private final OperatorToken operatorToken;
    private final boolean oidcEnabled;

    public EdgeAuthenticationMechanism(OperatorToken operatorToken,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> oidcIssuer,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidcTenantEnabled) {
        this.operatorToken = operatorToken;
        this.oidcEnabled = oidcTenantEnabled && oidcIssuer.filter(s -> !s.isBlank()).isPresent();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String authorization = context.request().getHeader("Authorization");
        String token = EdgeCredentials.bearerToken(authorization);
        boolean fromAuthorization = token != null;
        if (token == null && authorization != null && !authorization.isBlank()) {
            return Uni.createFrom().failure(EdgeCredentials.failure(401, "unauthorized",
                    "Unsupported Authorization scheme: send 'Authorization: Bearer <operator token | virtual key | OIDC token>'."));
        }
        if (token == null) {
            String apiKey = context.request().getHeader("x-api-key");
            token = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        }
        if (token == null) {
            return Uni.createFrom().optional(Optional.empty());
        }
        if (token.startsWith(KeyCodec.KEY_PREFIX)) {
            return identityProviderManager.authenticate(
                    HttpSecurityUtils.setRoutingContextAttribute(new VirtualKeyRequest(token), context));
        }
        if (EdgeCredentials.looksLikeJwt(token) && !operatorToken.matches(token)) {
            if (!fromAuthorization) {
                return Uni.createFrom().failure(EdgeCredentials.failure(401, "unauthorized",
                        "x-api-key carries virtual keys only; send an OIDC token as 'Authorization: Bearer <token>'."));
            }
            if (!oidcEnabled) {
                return Uni.createFrom().failure(EdgeCredentials.failure(401, "unauthorized",
                        "This looks like an OIDC token, but OIDC sign-in is not configured on this gateway "
                                + "(set ACC_OIDC_ISSUER); use the operator token or a virtual key with the manage scope."));
            }
            // quarkus-oidc's bearer mechanism verifies it next.
            return Uni.createFrom().optional(Optional.empty());
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new OperatorTokenRequest(token), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"acc\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(VirtualKeyRequest.class, OperatorTokenRequest.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
