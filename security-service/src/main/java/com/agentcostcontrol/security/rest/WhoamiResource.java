package com.agentcostcontrol.security.rest;

import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.platform.identity.RequestIdentity;

/** Echoes the verified caller, to debug the identity the proxy forwards to this service. */
@Path("/v1/security/whoami")
@Produces(MediaType.APPLICATION_JSON)
public class WhoamiResource {

    /** The caller as this service sees it; kind is lower-case, roles and scopes are sorted. */
    public record Whoami(String kind, String subject, String tenantId, List<String> roles, List<String> scopes) {
    }

    private final RequestIdentity identity;

    public WhoamiResource(RequestIdentity identity) {
        this.identity = identity;
    }

    @GET
    public Whoami whoami() {
        CallerIdentity caller = identity.caller();
        return new Whoami(caller.kind().name().toLowerCase(Locale.ROOT), caller.subject(), caller.tenantId(),
                caller.roles().stream().sorted().toList(), caller.scopes().stream().sorted().toList());
    }
}
