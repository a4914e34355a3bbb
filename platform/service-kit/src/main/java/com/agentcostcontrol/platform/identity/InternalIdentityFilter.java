package com.agentcostcontrol.platform.identity;

import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Guards a control-plane service: every REST call must carry an identity signed by the proxy
 * (or a sibling service). Unsigned, forged or expired identities get 401. Services whose own
 * edge authenticates callers (the proxy) turn this off with {@code acc.identity.filter.enabled=false}.
 * Health, metrics and OpenAPI live under {@code /q/} and are not REST resources, so they are not guarded.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class InternalIdentityFilter implements ContainerRequestFilter {

    private final IdentityCodec codec;
    private final RequestIdentity requestIdentity;
    private final boolean enabled;

    @Inject
    public InternalIdentityFilter(IdentityCodec codec, RequestIdentity requestIdentity,
            @ConfigProperty(name = "acc.identity.filter.enabled", defaultValue = "true") boolean enabled) {
        this.codec = codec;
        this.requestIdentity = requestIdentity;
        this.enabled = enabled;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!enabled) {
            return;
        }
        String header = request.getHeaderString(IdentityCodec.HEADER);
        try {
            requestIdentity.set(codec.verify(header), header);
        } catch (InvalidIdentityException e) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", Map.of(
                            "type", "unauthorized",
                            "message", e.getMessage() + "; call this service through the proxy with a valid credential")))
                    .build());
        }
    }
}
