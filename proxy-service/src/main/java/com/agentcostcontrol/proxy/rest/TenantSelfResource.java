package com.agentcostcontrol.proxy.rest;

import java.time.Clock;
import java.util.UUID;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.proxy.rest.ManagementViews.IssuedKeyView;
import com.agentcostcontrol.proxy.rest.ManagementViews.KeyView;
import com.agentcostcontrol.proxy.rest.ManagementViews.ListView;
import com.agentcostcontrol.proxy.rest.ManagementViews.TenantView;
import com.agentcostcontrol.proxy.security.ManagementAccess;
import com.agentcostcontrol.proxy.service.TenantAdministration;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/** The caller's own tenant and keys: {@code /v1/tenant}, {@code /v1/keys} (manage keys and OIDC tenant members). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "tenant")
public class TenantSelfResource {

    private final TenantAdministration administration;
    private final SecurityIdentity identity;
    private final Clock clock = Clock.systemUTC();

    public TenantSelfResource(TenantAdministration administration, SecurityIdentity identity) {
        this.administration = administration;
        this.identity = identity;
    }

    @GET
    @Path("/tenant")
    @Operation(summary = "The caller's tenant")
    public TenantView tenant() {
        CallerIdentity caller = ManagementAccess.caller(identity);
        return TenantView.of(administration.getTenant(caller, ManagementAccess.ownTenant(caller)));
    }

    @GET
    @Path("/keys")
    @Operation(summary = "The caller's tenant's keys (never their secrets)")
    public ListView<KeyView> keys() {
        CallerIdentity caller = ManagementAccess.caller(identity);
        return new ListView<>(administration.listKeys(caller, ManagementAccess.ownTenant(caller)).stream()
                .map(k -> KeyView.of(k, clock)).toList());
    }

    @POST
    @Path("/keys")
    @Operation(summary = "Issue a key for the caller's tenant (tenant-admin); the key is shown only in this answer")
    public Response issueKey(String body) {
        CallerIdentity caller = ManagementAccess.caller(identity);
        UUID tenantId = ManagementAccess.ownTenant(caller);
        ManagementAccess.requireWritable(caller, tenantId, "tenant");
        return Response.status(201).entity(IssuedKeyView.of(
                administration.issueKey(caller, tenantId, ManagementBodies.newKey(body, clock)))).build();
    }

    @DELETE
    @Path("/keys/{keyId}")
    @Operation(summary = "Revoke one of the caller's tenant's keys (tenant-admin)")
    public Response revoke(@PathParam("keyId") String keyId) {
        administration.revokeKey(ManagementAccess.caller(identity), AdminKeyResource.keyId(keyId));
        return Response.noContent().build();
    }
}
