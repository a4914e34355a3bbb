package com.agentcostcontrol.proxy.llm.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.llm.Endpoint;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.pipeline.Pipeline;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The LLM endpoints, registered directly on the Vert.x router (no JAX-RS layer on the hot path):
 * OpenAI {@code POST /v1/chat/completions}, {@code POST /v1/embeddings}, {@code GET /v1/models};
 * Anthropic {@code POST /v1/messages}, {@code POST /v1/messages/count_tokens}. Each call runs the
 * {@link Pipeline} on the event loop.
 */
@ApplicationScoped
public class LlmRoutes {

    /** Before Quarkus REST's catch-all route, after Quarkus' own infrastructure routes. */
    static final int ORDER = -100;
    private static final Logger LOG = Logger.getLogger(LlmRoutes.class);

    private final Pipeline pipeline;
    private final ModelsEndpoint models;

    public LlmRoutes(Pipeline pipeline, ModelsEndpoint models) {
        this.pipeline = pipeline;
        this.models = models;
    }

    void register(@Observes Router router) {
        route(router, "/v1/chat/completions", Endpoint.CHAT_COMPLETIONS);
        route(router, "/v1/embeddings", Endpoint.EMBEDDINGS);
        route(router, "/v1/messages", Endpoint.MESSAGES);
        route(router, "/v1/messages/count_tokens", Endpoint.COUNT_TOKENS);
        router.get("/v1/models").order(ORDER).handler(models::list);
        router.get("/v1/models/:model").order(ORDER).handler(models::get);
        LOG.debugf("LLM pipeline: %s", String.join(" -> ", pipeline.names()));
    }

    private void route(Router router, String path, Endpoint endpoint) {
        router.post(path).order(ORDER).handler(rc -> handle(rc, endpoint));
    }

    private void handle(RoutingContext rc, Endpoint endpoint) {
        // Hold the body until read-body wants it: authentication may first take a trip to a worker.
        rc.request().pause();
        pipeline.run(new LlmCall(endpoint, rc));
    }
}
