package com.agentcostcontrol.proxy.security;

import static com.agentcostcontrol.proxy.testing.EdgeTestResources.bearer;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.createTenant;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.expiredOidcToken;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.forgedOidcToken;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.issueKey;
import static com.agentcostcontrol.proxy.testing.EdgeTestResources.oidcToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.agentcostcontrol.proxy.testing.EdgeTestResources;
import com.agentcostcontrol.proxy.testing.SiblingServicesStub;
import com.agentcostcontrol.testing.AccTestEnvironment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;

/** People signing in through OIDC (quarkus-test-oidc-server plays the identity provider). */
@QuarkusTest
@QuarkusTestResource(value = AccTestEnvironment.class, initArgs = {
        @ResourceArg(name = "db", value = "acc_test_proxy"), @ResourceArg(name = "redisDb", value = "1") })
@QuarkusTestResource(OidcWiremockTestResource.class)
@QuarkusTestResource(SiblingServicesStub.class)
class OidcAuthenticationTest {

    @Test
    void operatorRoleRunsTheOperatorApi() {
        String operator = oidcToken("olga", List.of("operator"), null);
        String id = given().header("Authorization", bearer(operator)).contentType(ContentType.JSON)
                .body("{\"name\":\"made-by-olga\"}").post("/admin/v1/tenants")
                .then().statusCode(201).extract().path("id");
        given().header("Authorization", bearer(operator)).queryParam("limit", 1000).get("/admin/v1/tenants")
                .then().statusCode(200).body("data.id", hasItem(id));
        given().header("Authorization", bearer(operator)).post("/admin/v1/tenants/" + id + "/suspend")
                .then().statusCode(200).body("status", equalTo("suspended"));
        // An operator has no tenant of its own.
        given().header("Authorization", bearer(operator)).get("/v1/tenant").then().statusCode(403)
                .body("error.message", containsString("does not belong to a tenant"));
    }

    @Test
    void tenantAdminClaimGovernsItsOwnTenantOnly() {
        String mine = createTenant("oidc-mine");
        String other = createTenant("oidc-other");
        String admin = oidcToken("ada", List.of("tenant-admin"), mine);

        given().header("Authorization", bearer(admin)).get("/v1/tenant").then().statusCode(200)
                .body("id", equalTo(mine));
        String keyId = given().header("Authorization", bearer(admin)).contentType(ContentType.JSON)
                .body("{\"name\":\"ada-key\",\"scopes\":[\"llm\",\"manage\"]}").post("/v1/keys")
                .then().statusCode(201).body("tenantId", equalTo(mine)).extract().path("id");
        given().header("Authorization", bearer(admin)).get("/admin/v1/tenants/" + mine + "/keys")
                .then().statusCode(200).body("data.id", equalTo(List.of(keyId)));
        given().header("Authorization", bearer(admin)).delete("/admin/v1/keys/" + keyId).then().statusCode(204);

        // The same person's token with the other tenant's claim is confined to that tenant instead.
        String wrongClaim = oidcToken("ada", List.of("tenant-admin"), other);
        given().header("Authorization", bearer(wrongClaim)).get("/admin/v1/tenants/" + mine).then().statusCode(404);
        given().header("Authorization", bearer(wrongClaim)).get("/admin/v1/tenants/" + mine + "/keys")
                .then().statusCode(404);
        given().header("Authorization", bearer(wrongClaim)).get("/v1/tenant").then().statusCode(200)
                .body("id", equalTo(other));
        // A claim naming no real tenant finds nothing.
        given().header("Authorization", bearer(oidcToken("ada", List.of("tenant-admin"), "not-a-tenant")))
                .get("/v1/tenant").then().statusCode(404);
    }

    @Test
    void viewerReadsButCannotWrite() {
        String tenant = createTenant("oidc-viewer");
        String keyId = issueKey(tenant, "existing", List.of("llm")).path("id");
        String viewer = oidcToken("vic", List.of("tenant-viewer"), tenant);

        given().header("Authorization", bearer(viewer)).get("/v1/tenant").then().statusCode(200)
                .body("id", equalTo(tenant));
        given().header("Authorization", bearer(viewer)).get("/v1/keys").then().statusCode(200)
                .body("data", hasSize(1));
        given().header("Authorization", bearer(viewer)).get("/admin/v1/tenants/" + tenant).then().statusCode(200);

        given().header("Authorization", bearer(viewer)).contentType(ContentType.JSON).body("{\"name\":\"v\"}")
                .post("/v1/keys").then().statusCode(403).body("error.message", containsString("tenant-viewer may only read"));
        given().header("Authorization", bearer(viewer)).contentType(ContentType.JSON).body("{\"name\":\"v\"}")
                .post("/admin/v1/tenants/" + tenant + "/keys").then().statusCode(403);
        // Refused before validation: a viewer learns nothing from a bad body either.
        given().header("Authorization", bearer(viewer)).contentType(ContentType.JSON).body("{}")
                .post("/v1/keys").then().statusCode(403);
        given().header("Authorization", bearer(viewer)).delete("/v1/keys/" + keyId).then().statusCode(403);
        given().header("Authorization", bearer(viewer)).delete("/admin/v1/keys/" + keyId).then().statusCode(403);
        given().header("Authorization", bearer(viewer)).post("/admin/v1/tenants/" + tenant + "/suspend")
                .then().statusCode(403);

        given().header("Authorization", bearer(EdgeTestResources.OPERATOR_TOKEN)).get("/admin/v1/tenants/" + tenant + "/keys")
                .then().body("data", hasSize(1)).body("data[0].status", equalTo("active"));
    }

    @Test
    void rolesMayBeASpaceSeparatedStringAndOtherRolesAreIgnored() {
        String tenant = createTenant("oidc-string-roles");
        String token = Jwt.issuer(EdgeTestResources.ISSUER).subject("sam").claim("roles", "user tenant-admin")
                .claim("acc_tenant", tenant).expiresAt(Instant.now().plusSeconds(600))
                .jws().keyId("1").sign("privateKey.jwk");
        given().header("Authorization", bearer(token)).contentType(ContentType.JSON).body("{\"name\":\"s\"}")
                .post("/v1/keys").then().statusCode(201);
    }

    @Test
    void tokensWithoutAnAccRoleOrTenantAreRefused() {
        String tenant = createTenant("oidc-no-role");
        given().header("Authorization", bearer(oidcToken("u", List.of("user", "admin"), tenant)))
                .get("/v1/tenant").then().statusCode(403).body("error.message", containsString("none of the roles"));
        given().header("Authorization", bearer(oidcToken("u", List.of("tenant-admin"), null)))
                .get("/v1/tenant").then().statusCode(403).body("error.message", containsString("names no tenant"));
    }

    @Test
    void expiredAndForgedTokensGet401() {
        String tenant = createTenant("oidc-bad-tokens");
        given().header("Authorization", bearer(expiredOidcToken("eve", List.of("operator"), null)))
                .get("/admin/v1/tenants").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error.type", equalTo("unauthorized"))
                .body("error.message", containsString("expired"));
        given().header("Authorization", bearer(forgedOidcToken("eve", List.of("operator"), null)))
                .get("/admin/v1/tenants").then().statusCode(401)
                .body("error.message", containsString("rejected"));
        given().header("Authorization", bearer(forgedOidcToken("eve", List.of("tenant-admin"), tenant)))
                .get("/v1/budgets").then().statusCode(401)
                .body("error.message", containsString("rejected"));
        given().header("Authorization", bearer(expiredOidcToken("eve", List.of("tenant-admin"), tenant)))
                .get("/v1/budgets").then().statusCode(401)
                .body("error.message", containsString("expired"));
        // A JWT belongs in Authorization; x-api-key carries virtual keys only.
        given().header("x-api-key", oidcToken("eve", List.of("operator"), null))
                .get("/admin/v1/tenants").then().statusCode(401)
                .body("error.message", containsString("x-api-key carries virtual keys only"));
    }
}
