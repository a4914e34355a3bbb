package com.agentcostcontrol.proxy.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** How role and tenant claims are read from a token's payload (pure code, no server). */
class OidcClaimsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsFlatAndNestedClaims() throws Exception {
        JsonNode claims = JSON.readTree("""
                {"roles":["operator"],"realm_access":{"roles":["tenant-viewer","offline_access"]},
                 "org":{"acc":{"tenant":"t-1"}},"scope.with/slash":"x"}""");
        assertEquals(Set.of("operator"), OidcCallerAugmentor.strings(OidcCallerAugmentor.path(claims, "roles")));
        assertEquals(Set.of("tenant-viewer", "offline_access"),
                OidcCallerAugmentor.strings(OidcCallerAugmentor.path(claims, "realm_access/roles")));
        assertEquals("t-1", OidcCallerAugmentor.path(claims, "org/acc/tenant").asText());
        assertEquals("x", OidcCallerAugmentor.path(claims, "scope.with/slash").asText());
        assertTrue(OidcCallerAugmentor.path(claims, "missing/claim").isMissingNode());
    }

    @Test
    void readsRoleStringsSeparatedBySpacesOrCommas() throws Exception {
        JsonNode claims = JSON.readTree("{\"a\":\"tenant-admin  user\",\"b\":\"operator,tenant-viewer\",\"c\":42}");
        assertEquals(Set.of("tenant-admin", "user"), OidcCallerAugmentor.strings(claims.path("a")));
        assertEquals(Set.of("operator", "tenant-viewer"), OidcCallerAugmentor.strings(claims.path("b")));
        assertEquals(Set.of(), OidcCallerAugmentor.strings(claims.path("c")));
    }
}
