package com.agentcostcontrol.proxy.rest;

import java.net.URI;
import java.time.Clock;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.CallerIdentity;
import com.agentcostcontrol.proxy.Tenant;
import com.agentcostcontrol.proxy.rest.ManagementViews.IssuedKeyView;
import com.agentcostcontrol.proxy.rest.ManagementViews.KeyView;
import com.agentcostcontrol.proxy.rest.ManagementViews.ListView;
import com.agentcostcontrol.proxy.rest.ManagementViews.TenantView;
import com.agentcostcontrol.proxy.security.ManagementAccess;
import com.agentcostcontrol.proxy.service.TenantAdministration;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/** The operator API for tenants and their keys ({@code /admin/v1/tenants}); tenant-admins may use it for their own tenant. */
@Path("/admin/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "tenants")
public class AdminTenantResource {

    private final TenantAdministration administration;
    private final SecurityIdentity identity;
    private final Clock clock = Clock.systemUTC();

    public AdminTenantResource(TenantAdministration administration, SecurityIdentity identity) {
        this.administration = administration;
        this.identity = identity;
    }

    @POST
    @Operation(summary = "Create a tenant (operator)")
    public Response create(String body) {
        CallerIdentity caller = ManagementAccess.caller(identity);
        ManagementAccess.requireOperator(caller);
        Tenant tenant = administration.createTenant(caller, ManagementBodies.tenantName(body));
        return Response.created(URI.create("/admin/v1/tenants/" + tenant.id)).entity(TenantView.of(tenant)).build();
    }

    @GET
    @Operation(summary = "List tenants (operator)")
    public ListView<TenantView> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        CallerIdentity caller = ManagementAccess.caller(identity);
        int l = ManagementBodies.boundedInt(limit, "limit", 100, 1, 1000);
        int o = ManagementBodies.boundedInt(offset, "offset", 0, 0, Integer.MAX_VALUE);
        return new ListView<>(administration.listTenants(caller, o, l).stream().map(TenantView::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a tenant")
    public TenantView get(@PathParam("id") String id) {
        return TenantView.of(administration.getTenant(ManagementAccess.caller(identity), tenantId(id)));
    }

    @POST
    @Path("/{id}/suspend")
    @Operation(summary = "Suspend a tenant (operator): its keys get 402 on LLM calls")
    public TenantView suspend(@PathParam("id") String id) {
        return TenantView.of(administration.setStatus(ManagementAccess.caller(identity), tenantId(id), Tenant.SUSPENDED));
    }

    @POST
    @Path("/{id}/reactivate")
    @Operation(summary = "Reactivate a suspended tenant (operator)")
    public TenantView reactivate(@PathParam("id") String id) {
        return TenantView.of(administration.setStatus(ManagementAccess.caller(identity), tenantId(id), Tenant.ACTIVE));
    }

    @GET
    @Path("/{id}/limits")
    @Operation(summary = "Read the tenant's own rate limits (across all its keys)")
    public ManagementViews.LimitsView limits(@PathParam("id") String id) {
        return ManagementViews.LimitsView.of(administration.tenantLimits(ManagementAccess.caller(identity), tenantId(id)));
    }

    @PUT
    @Path("/{id}/limits")
    @Operation(summary = "Replace the tenant's rate limits (operator): rpmLimit, tpmLimit, maxConcurrent; "
            + "a field left out or null means no limit of that kind. Effective within about a second.")
    public ManagementViews.LimitsView setLimits(@PathParam("id") String id, String body) {
        CallerIdentity caller = ManagementAccess.caller(identity);
        UUID tenantId = tenantId(id);
        ManagementAccess.requireVisible(caller, tenantId, "tenant");
        ManagementAccess.requireOperator(caller);
        Tenant t = administration.setTenantLimits(caller, tenantId, ManagementBodies.tenantLimits(body));
        return new ManagementViews.LimitsView(t.rpmLimit, t.tpmLimit, t.maxConcurrent);
    }

    @POST
    @Path("/{id}/keys")
    @Operation(summary = "Issue a virtual key; the key is shown only in this answer")
    public Response issueKey(@PathParam("id") String id, String body) {
        CallerIdentity caller = ManagementAccess.caller(identity);
        UUID tenantId = tenantId(id);
        ManagementAccess.requireWritable(caller, tenantId, "tenant");
        IssuedKeyView issued = IssuedKeyView.of(administration.issueKey(caller, tenantId, ManagementBodies.newKey(body, clock)));
        return Response.status(201).entity(issued).build();
    }

    @GET
    @Path("/{id}/keys")
    @Operation(summary = "List a tenant's keys (never their secrets)")
    public ListView<KeyView> listKeys(@PathParam("id") String id) {
        return new ListView<>(administration.listKeys(ManagementAccess.caller(identity), tenantId(id)).stream()
                .map(k -> KeyView.of(k, clock)).toList());
    }

    /** A malformed id names no tenant: 404, as for any tenant the caller cannot see. */
    static UUID tenantId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("tenant not found");
        }
    }
}
