package com.agentcostcontrol.proxy.rest;

import java.time.Clock;
import java.util.UUID;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.proxy.security.ManagementAccess;
import com.agentcostcontrol.proxy.service.TenantAdministration;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * {@code DELETE /admin/v1/keys/{keyId}} revokes and {@code PATCH /admin/v1/keys/{keyId}} changes the rate limits of a
 * key of any tenant (operator) or of one's own tenant (tenant-admin).
 */
@Path("/admin/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "keys")
public class AdminKeyResource {

    private final TenantAdministration administration;
    private final SecurityIdentity identity;

    public AdminKeyResource(TenantAdministration administration, SecurityIdentity identity) {
        this.administration = administration;
        this.identity = identity;
    }

    @DELETE
    @Path("/{keyId}")
    @Operation(summary = "Revoke a key; it stops working everywhere within 1 s")
    public Response revoke(@PathParam("keyId") String keyId) {
        administration.revokeKey(ManagementAccess.caller(identity), keyId(keyId));
        return Response.noContent().build();
    }

    @PATCH
    @Path("/{keyId}")
    @Operation(summary = "Change a key's rate limits: any of rpmLimit, tpmLimit, maxConcurrent (null removes one); "
            + "effective within about a second")
    public ManagementViews.KeyView patch(@PathParam("keyId") String keyId, String body) {
        CallerIdentity caller = ManagementAccess.caller(identity);
        UUID id = keyId(keyId);
        return ManagementViews.KeyView.of(administration.patchKeyLimits(caller, id, ManagementBodies.keyLimitsPatch(body)),
                Clock.systemUTC());
    }

    static UUID keyId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("key not found");
        }
    }
}
