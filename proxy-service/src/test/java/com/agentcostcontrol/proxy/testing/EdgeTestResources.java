package com.agentcostcontrol.proxy.testing;

import static io.restassured.RestAssured.given;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Helpers shared by the management-edge tests: the operator token, OIDC tokens, tenants and keys made through the API. */
public final class EdgeTestResources {

    /** {@code %test.acc.proxy.admin-token} in application.properties. */
    public static final String OPERATOR_TOKEN = "test-operator-token-0123456789abcdef";
    /** The issuer quarkus-test-oidc-server announces and signs for. */
    public static final String ISSUER = "https://server.example.com";

    private EdgeTestResources() {
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** A token signed by the stub OIDC server's key. */
    public static String oidcToken(String subject, List<String> roles, String tenant) {
        return claims(subject, roles, tenant).expiresAt(Instant.now().plusSeconds(600))
                .jws().keyId("1").sign("privateKey.jwk");
    }

    public static String expiredOidcToken(String subject, List<String> roles, String tenant) {
        return claims(subject, roles, tenant).issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).jws().keyId("1").sign("privateKey.jwk");
    }

    /** Same claims, but signed by a key the issuer never published. */
    public static String forgedOidcToken(String subject, List<String> roles, String tenant) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return claims(subject, roles, tenant).expiresAt(Instant.now().plusSeconds(600))
                    .jws().keyId("1").sign(pair.getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaimsBuilder claims(String subject, List<String> roles, String tenant) {
        JwtClaimsBuilder b = Jwt.issuer(ISSUER).subject(subject).claim("roles", roles);
        if (tenant != null) {
            b.claim("acc_tenant", tenant);
        }
        return b;
    }

    /** Creates a tenant as the operator; returns its id. */
    public static String createTenant(String name) {
        return given().header("Authorization", bearer(OPERATOR_TOKEN)).contentType(ContentType.JSON)
                .body(Map.of("name", name)).post("/admin/v1/tenants")
                .then().statusCode(201).extract().path("id");
    }

    /** Issues a key as the operator; returns the whole answer (id, key, prefix, ...). */
    public static Response issueKey(String tenantId, Map<String, Object> body) {
        Response r = given().header("Authorization", bearer(OPERATOR_TOKEN)).contentType(ContentType.JSON)
                .body(body).post("/admin/v1/tenants/" + tenantId + "/keys");
        r.then().statusCode(201);
        return r;
    }

    public static Response issueKey(String tenantId, String name, List<String> scopes) {
        return issueKey(tenantId, Map.of("name", name, "scopes", scopes));
    }
}
