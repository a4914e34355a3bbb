package com.agentcostcontrol.security.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.agentcostcontrol.platform.error.ApiException;
import com.agentcostcontrol.platform.identity.RequestIdentity;
import com.agentcostcontrol.security.core.Action;
import com.agentcostcontrol.security.core.Direction;
import com.agentcostcontrol.security.core.Finding;
import com.agentcostcontrol.security.core.Policy;
import com.agentcostcontrol.security.core.Redactor;
import com.agentcostcontrol.security.core.ScanResult;
import com.agentcostcontrol.security.core.TextScanner;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Dry run of the scanners: what the proxy would do with a text under the caller's tenant policy
 * ({@code ?tenantId=} for operators). Findings carry a preview, never the matched text.
 */
@Path("/v1/security/scan")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ScanResource {

    /** Texts larger than this are refused (the proxy scans bigger bodies; this API is for trying rules). */
    static final int MAX_TEXT = 1_000_000;
    private static final TextScanner SCANNER = TextScanner.standard();

    public record FindingView(String detector, String category, int start, int end, String action, String preview) {
    }

    public record ScanView(String direction, String verdict, double injectionScore, List<FindingView> findings,
            String redacted) {
    }

    private final PolicyService policies;
    private final RequestIdentity identity;

    public ScanResource(PolicyService policies, RequestIdentity identity) {
        this.policies = policies;
        this.identity = identity;
    }

    @POST
    public ScanView scan(JsonNode body, @QueryParam("tenantId") String tenantId) {
        String tenant = tenantId == null || tenantId.isBlank() ? identity.caller().tenantId() : tenantId.trim();
        Policy policy = Policy.DEFAULT;
        if (tenant != null) {
            UUID id;
            try {
                id = UUID.fromString(tenant);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("tenantId", "tenantId must be a tenant id (UUID), got '" + tenant + "'");
            }
            identity.requireRead(tenant);
            policy = PolicyService.toPolicyOf(policies.get(id));
        }
        JsonNode text = body == null ? null : body.get("text");
        if (text == null || !text.isTextual()) {
            throw ApiException.badRequest("text", "send {\"text\": \"...\", \"direction\": \"prompt\"|\"response\"}");
        }
        if (text.asText().length() > MAX_TEXT) {
            throw ApiException.badRequest("text", "text is longer than " + MAX_TEXT + " characters");
        }
        String dir = body.hasNonNull("direction") ? body.get("direction").asText() : "prompt";
        Direction direction = "prompt".equals(dir) ? Direction.PROMPT : "response".equals(dir) ? Direction.RESPONSE : null;
        if (direction == null) {
            throw ApiException.badRequest("direction", "direction must be prompt or response; got '" + dir + "'");
        }
        String t = text.asText();
        ScanResult result = SCANNER.scan(t, policy.active(direction));
        List<FindingView> views = new ArrayList<>();
        List<Finding> toRedact = new ArrayList<>();
        Action verdict = null;
        for (Finding f : result.findings()) {
            Action a = policy.action(direction, f.category());
            views.add(new FindingView(f.detector(), f.category().id(), f.start(), f.end(), a.id(), Redactor.preview(t, f)));
            if (a == Action.REDACT) {
                toRedact.add(f);
            }
            if (verdict == null || a.compareTo(verdict) > 0) {
                verdict = a;
            }
        }
        return new ScanView(direction.id(), verdict == null ? "clean" : verdict.id(), result.injectionScore(), views,
                toRedact.isEmpty() ? null : Redactor.redact(t, toRedact));
    }
}
