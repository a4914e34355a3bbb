package com.agentcostcontrol.proxy.llm.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.translate.Errors;
import com.agentcostcontrol.proxy.llm.Refusal;
import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writes answers with the {@code x-acc-*} headers every answer carries. */
@ApplicationScoped
public class Responses {

    public static final String REQUEST_ID = "x-acc-request-id";
    public static final String PROVIDER = "x-acc-provider";
    public static final String MODEL = "x-acc-model";
    public static final String COST = "x-acc-cost-usd";
    public static final String FALLBACKS = "x-acc-fallbacks";
    public static final String ATTEMPTS = "x-acc-attempts";
    /** The model the client asked for, on a call a budget's downgrade policy served with a cheaper one. */
    public static final String DOWNGRADED_FROM = "x-acc-downgraded-from";

    /** Sets the routing headers on a response about to start (request id, provider, model, fallbacks). */
    public void routeHeaders(LlmCall call, HttpServerResponse response) {
        response.putHeader(REQUEST_ID, call.requestId);
        if (call.served != null) {
            response.putHeader(PROVIDER, call.served.provider());
            response.putHeader(MODEL, call.served.model());
            response.putHeader(FALLBACKS, Integer.toString(call.fallbacks()));
            response.putHeader(ATTEMPTS, Integer.toString(call.attempts));
        }
        if (call.downgradedFrom != null) {
            response.putHeader(DOWNGRADED_FROM, call.downgradedFrom);
        }
    }

    /** A whole JSON answer (non-streaming), with the cost header when the cost is known. */
    public void json(LlmCall call, int status, Buffer body) {
        HttpServerResponse response = call.exchange.response();
        if (response.ended() || response.closed()) {
            if (response.closed() && !"client_disconnected".equals(call.status)) {
                call.status = "client_disconnected";
                call.errorCode = "client_disconnected";
            }
            return;
        }
        call.httpStatus = status;
        call.responseStarted = true;
        routeHeaders(call, response);
        if (call.costUsd != null) {
            response.putHeader(COST, call.costUsd);
        }
        response.putHeader("content-type", "application/json");
        response.setStatusCode(status).end(body);
        if (!call.exchange.request().isEnded()) {
            // Refused before the body was read: drain it so the keep-alive connection stays usable.
            call.exchange.request().resume();
        }
    }

    /** The refusal in the endpoint's error envelope; a no-op once the response has started. */
    public void error(LlmCall call, Refusal refusal) {
        HttpServerResponse response = call.exchange.response();
        if (call.httpStatus == 0) {
            call.httpStatus = refusal.status();
        }
        if (call.responseStarted || response.headWritten() || response.closed()) {
            return;
        }
        JsonNode body = refusal instanceof UpstreamFailure u && u.envelope() != null ? u.envelope()
                : call.inboundFormat() == ApiFormat.ANTHROPIC ? Errors.anthropic(refusal.status(), refusal.getMessage())
                : Errors.openAi(refusal.status(), null, refusal.getMessage(), null, refusal.code());
        refusal.headers().forEach(response::putHeader);
        json(call, refusal.status(), Json.buffer(body));
    }
}
