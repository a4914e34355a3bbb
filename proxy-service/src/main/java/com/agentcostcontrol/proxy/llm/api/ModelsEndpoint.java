package com.agentcostcontrol.proxy.llm.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.AuthenticatedKey;
import com.agentcostcontrol.proxy.KeyCheck;
import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.translate.Errors;
import com.agentcostcontrol.proxy.llm.routing.ProxyRouting;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.pipeline.Pipeline;
import com.agentcostcontrol.proxy.llm.pipeline.Responses;
import com.agentcostcontrol.proxy.service.KeyAuthenticator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: only the models the key may use (its
 * allow-list, intersected with what is routed or built in). OpenAI's list shape, or Anthropic's
 * when the client sends {@code anthropic-version} (the Anthropic SDK does).
 */
@ApplicationScoped
public class ModelsEndpoint {

    private final KeyAuthenticator authenticator;
    private final ProxyRouting routing;

    public ModelsEndpoint(KeyAuthenticator authenticator, ProxyRouting routing) {
        this.authenticator = authenticator;
        this.routing = routing;
    }

    void list(RoutingContext rc) {
        withKey(rc, key -> {
            boolean anthropic = rc.request().getHeader("anthropic-version") != null;
            List<String> ids = visible(key);
            ObjectNode out = Json.object();
            ArrayNode data = out.putArray("data");
            for (String id : ids) {
                data.add(entry(id, anthropic));
            }
            if (anthropic) {
                out.put("has_more", false);
                out.put("first_id", ids.isEmpty() ? null : ids.get(0));
                out.put("last_id", ids.isEmpty() ? null : ids.get(ids.size() - 1));
            } else {
                out.put("object", "list");
            }
            send(rc, 200, out);
        });
    }

    void get(RoutingContext rc) {
        withKey(rc, key -> {
            String id = rc.pathParam("model");
            boolean anthropic = rc.request().getHeader("anthropic-version") != null;
            if (!visible(key).contains(id)) {
                String message = "The model '" + id + "' does not exist or this key may not use it.";
                send(rc, 404, anthropic ? Errors.anthropic(404, message)
                        : Errors.openAi(404, null, message, null, "model_not_found"));
                return;
            }
            send(rc, 200, entry(id, anthropic));
        });
    }

    private List<String> visible(AuthenticatedKey key) {
        Set<String> ids = new LinkedHashSet<>();
        String tenant = key.tenantId().toString();
        for (String model : routing.models(tenant)) {
            if (key.allowsModel(model)) {
                ids.add(model);
            }
        }
        for (String model : key.allowedModels()) {
            if (routing.serves(tenant, model)) {
                ids.add(model);
            }
        }
        return new ArrayList<>(ids);
    }

    private ObjectNode entry(String id, boolean anthropic) {
        ObjectNode m = Json.object();
        if (anthropic) {
            m.put("type", "model").put("id", id).put("display_name", id).put("created_at", "1970-01-01T00:00:00Z");
        } else {
            String owner = routing.ownerOf(null, id).orElse("acc");
            m.put("id", id).put("object", "model").put("created", 0).put("owned_by", owner);
        }
        return m;
    }

    private void withKey(RoutingContext rc, java.util.function.Consumer<AuthenticatedKey> action) {
        boolean anthropic = rc.request().getHeader("anthropic-version") != null;
        String requestId = LlmCall.newRequestIdForEndpoint();
        rc.response().putHeader(Responses.REQUEST_ID, requestId);
        String presented = presentedKey(rc);
        Context context = Vertx.currentContext();
        authenticator.check(presented).subscribe().with(check -> context.runOnContext(v -> {
            if (check instanceof KeyCheck.Refused refused) {
                send(rc, refused.status(), anthropic ? Errors.anthropic(refused.status(), refused.message())
                        : Errors.openAi(refused.status(), null, refused.message(), null, refused.code()));
                return;
            }
            AuthenticatedKey key = ((KeyCheck.Accepted) check).key();
            if (!key.hasScope(AuthenticatedKey.SCOPE_LLM)) {
                String message = "This key lacks scope 'llm'.";
                send(rc, 403, anthropic ? Errors.anthropic(403, message)
                        : Errors.openAi(403, null, message, null, "missing_scope"));
                return;
            }
            action.accept(key);
        }), failure -> context.runOnContext(v -> {
            rc.response().putHeader("Retry-After", Long.toString(Pipeline.FAULT_RETRY_AFTER_SECONDS));
            send(rc, 503, Errors.openAi(503, null, "Key check unavailable; retry in " + Pipeline.FAULT_RETRY_AFTER_SECONDS
                    + " s.", null, "filter_unavailable"));
        }));
    }

    private static String presentedKey(RoutingContext rc) {
        String auth = rc.request().getHeader("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        return rc.request().getHeader("x-api-key");
    }

    private static void send(RoutingContext rc, int status, ObjectNode body) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(Json.buffer(body));
    }
}
