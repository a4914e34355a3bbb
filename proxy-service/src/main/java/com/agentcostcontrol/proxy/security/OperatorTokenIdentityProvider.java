package com.agentcostcontrol.proxy.security;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.platform.identity.CallerIdentity;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Turns the bootstrap operator token into an operator identity. */
@ApplicationScoped
public class OperatorTokenIdentityProvider implements IdentityProvider<OperatorTokenRequest> {

    /** Subject of the bootstrap operator in the forwarded identity and in logs. */
    public static final String SUBJECT = "operator-token";

    private final OperatorToken operatorToken;

    public OperatorTokenIdentityProvider(OperatorToken operatorToken) {
        this.operatorToken = operatorToken;
    }

    @Override
    public Class<OperatorTokenRequest> getRequestType() {
        return OperatorTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(OperatorTokenRequest request, AuthenticationRequestContext context) {
        if (!operatorToken.configured()) {
            return Uni.createFrom().failure(EdgeCredentials.failure(401, "unauthorized",
                    "No operator token is configured on this gateway (set ACC_ADMIN_TOKEN and restart); "
                            + "meanwhile use a virtual key with the manage scope or an OIDC token."));
        }
        if (!operatorToken.matches(request.token())) {
            return Uni.createFrom().failure(EdgeCredentials.failure(401, "unauthorized",
                    "Invalid credential: it is not the operator token, a virtual key (sk-acc-...) or a signed OIDC token."));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(SUBJECT))
                .addRole(CallerIdentity.Role.OPERATOR)
                .addAttribute(EdgeCredentials.CALLER, CallerIdentity.operator(SUBJECT))
                .build());
    }
}
