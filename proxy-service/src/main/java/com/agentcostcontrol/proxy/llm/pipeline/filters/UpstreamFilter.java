package com.agentcostcontrol.proxy.llm.pipeline.filters;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.Deployment;
import com.agentcostcontrol.proxy.llm.Endpoint;
import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.pipeline.UpstreamFailure;
import com.agentcostcontrol.proxy.llm.provider.Bodies;
import com.agentcostcontrol.proxy.llm.provider.Operation;
import com.agentcostcontrol.proxy.llm.provider.ProviderAdapter;
import com.agentcostcontrol.proxy.llm.provider.Providers;
import com.agentcostcontrol.proxy.llm.provider.UpstreamRequest;
import com.agentcostcontrol.proxy.llm.provider.UpstreamResponse;
import com.agentcostcontrol.proxy.llm.stream.SseReader;
import com.agentcostcontrol.translate.SseEvent;
import com.agentcostcontrol.translate.TranslatedError;
import com.agentcostcontrol.proxy.llm.translate.FormatBridge;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.agentcostcontrol.router.pricing.TokenUsage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * Filter 8, {@code upstream}: calls the route plan's deployments in order. It moves to the next
 * deployment on a connect error or timeout, on 408/429/5xx, and on a stream that fails before its
 * first event — all before any byte reached the client. A non-retryable upstream error (other 4xx)
 * is the client's answer, in the client's envelope. On success the call holds the committed
 * response: the whole body for a non-streaming call, or a paused SSE reader holding the first
 * event for a stream (so the relay starts only once the upstream really answered).
 */
@ApplicationScoped
public class UpstreamFilter implements CallFilter {

    private static final Logger LOG = Logger.getLogger(UpstreamFilter.class);
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final String CLIENT_GONE = "client_disconnected";
    private static final int MAX_RESPONSE_BODY = 64 * 1024 * 1024;

    private final Providers providers;
    private final FormatBridge bridge;

    public UpstreamFilter(Providers providers, FormatBridge bridge) {
        this.providers = providers;
        this.bridge = bridge;
    }

    @Override
    public String name() {
        return "upstream";
    }

    @Override
    public boolean needsBody() {
        return true;
    }

    @Override
    public FailurePolicy onFailure() {
        return FailurePolicy.FAIL_CLOSED;
    }

    /** The last retryable failure, reported if the whole plan fails. */
    private record Failure(int status, String code, String message, JsonNode envelope, Map<String, String> headers) {
    }

    @Override
    public Future<Void> apply(LlmCall call) {
        Promise<Void> done = Promise.promise();
        // Until the answer starts, a client that hangs up stops the provider; the prompt it read is
        // billed (estimated, no output). A stream's relay takes this handler over once it starts.
        call.exchange.response().closeHandler(v -> {
            if (!call.responseStarted && !CLIENT_GONE.equals(call.status)) {
                call.status = CLIENT_GONE;
                call.errorCode = CLIENT_GONE;
                call.tokens = new TokenUsage(TokenEstimator.ofRequest(call.body), 0, 0, 0, 0, 0);
                call.tokensEstimated = true;
                if (call.cancelUpstream != null) {
                    call.cancelUpstream.run();
                }
            }
        });
        attempt(call, 0, null, done);
        return done.future();
    }

    private static UpstreamFailure clientGone() {
        return new UpstreamFailure(499, CLIENT_GONE, "The client went away.", null, Map.of());
    }

    private void attempt(LlmCall call, int index, Failure last, Promise<Void> done) {
        if (call.exchange.response().closed() || CLIENT_GONE.equals(call.status)) {
            call.status = CLIENT_GONE;
            done.fail(clientGone());
            return;
        }
        if (index >= call.plan.deployments().size()) {
            Failure f = last != null ? last : new Failure(502, "no_deployment",
                    "No deployment of model '" + call.requestedModel + "' can serve this call.", null, Map.of());
            done.fail(new UpstreamFailure(f.status(), f.code(), f.message(), f.envelope(), f.headers()));
            return;
        }
        Deployment d = call.plan.deployments().get(index);
        ProviderAdapter adapter = providers.forProvider(d.provider());
        Operation op = operation(call.endpoint);
        if (adapter == null) {
            attempt(call, index + 1, new Failure(502, "unknown_provider", "Deployment '" + d.name()
                    + "' names provider '" + d.provider() + "', which this gateway does not know.", null, Map.of()), done);
            return;
        }
        if (!adapter.supports(op)) {
            if (op == Operation.COUNT_TOKENS) {
                countLocally(call, d);
                done.complete();
                return;
            }
            attempt(call, index + 1, new Failure(400, "unsupported_operation", "Model '" + call.requestedModel
                    + "' (deployment '" + d.name() + "', provider " + d.provider() + ") does not support "
                    + call.endpoint.eventName() + ".", null, Map.of()), done);
            return;
        }
        ApiFormat upstreamFormat = adapter.format(call.inboundFormat());
        ObjectNode body;
        try {
            body = bridge.request(call, upstreamFormat, d);
        } catch (FormatBridge.Untranslatable e) {
            attempt(call, index + 1, new Failure(400, "untranslatable_request", e.getMessage(), e.envelope(), Map.of()), done);
            return;
        }
        call.attempts++;
        call.served = d;
        call.upstreamFormat = upstreamFormat;
        UpstreamRequest request = new UpstreamRequest(d, op, upstreamFormat, body, call.stream, forwardHeaders(call),
                call.mock);
        Future<UpstreamResponse> sent;
        try {
            sent = adapter.send(request);
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onComplete(ar -> {
            if (ar.failed()) {
                LOG.debugf("%s: deployment %s unreachable: %s", call.requestId, d.name(), ar.cause().toString());
                attempt(call, index + 1, new Failure(502, "upstream_unreachable", "Deployment '" + d.name()
                        + "' could not be reached (" + ar.cause().getClass().getSimpleName() + ").", null, Map.of()), done);
                return;
            }
            UpstreamResponse response = ar.result();
            call.cancelUpstream = response.cancel();
            if (CLIENT_GONE.equals(call.status)) {
                response.cancel().run();
                done.fail(clientGone());
                return;
            }
            if (!response.ok()) {
                onErrorStatus(call, index, response, upstreamFormat, done);
            } else if (!call.stream) {
                Bodies.collect(response.body(), MAX_RESPONSE_BODY).onComplete(body2 -> {
                    if (body2.failed()) {
                        attempt(call, index + 1, new Failure(502, "upstream_body_failed", "Deployment '" + d.name()
                                + "' broke off its answer.", null, Map.of()), done);
                        return;
                    }
                    call.upstream = response;
                    call.upstreamBody = body2.result();
                    done.complete();
                });
            } else {
                awaitFirstEvent(call, index, response, done);
            }
        });
    }

    private void awaitFirstEvent(LlmCall call, int index, UpstreamResponse response, Promise<Void> done) {
        SseReader reader = new SseReader(response.body());
        StreamStart start = new StreamStart(reader);
        reader.listener(new SseReader.Listener() {
            @Override
            public void onEvent(SseEvent event) {
                reader.pause();
                start.first = event;
                call.upstream = response;
                call.streamState = start;
                done.complete();
            }

            @Override
            public void onEnd() {
                response.cancel().run();
                attempt(call, index + 1, new Failure(502, "upstream_empty_stream", "Deployment '" + call.served.name()
                        + "' ended its stream without any event.", null, Map.of()), done);
            }

            @Override
            public void onError(Throwable error) {
                response.cancel().run();
                attempt(call, index + 1, new Failure(502, "upstream_stream_failed", "Deployment '" + call.served.name()
                        + "' broke off its stream before the first event.", null, Map.of()), done);
            }
        });
        reader.resume();
    }

    /** A stream whose first event arrived: the relay takes over the reader and relays {@code first} first. */
    public static final class StreamStart {
        public final SseReader reader;
        public SseEvent first;

        StreamStart(SseReader reader) {
            this.reader = reader;
        }
    }

    private void onErrorStatus(LlmCall call, int index, UpstreamResponse response, ApiFormat upstreamFormat,
            Promise<Void> done) {
        int status = response.status();
        Bodies.collect(response.body(), MAX_ERROR_BODY).onComplete(ar -> {
            Buffer raw = ar.succeeded() ? ar.result() : Buffer.buffer();
            Map<String, String> headers = new HashMap<>();
            String retryAfter = response.header("retry-after");
            if (retryAfter != null) {
                headers.put("Retry-After", retryAfter);
            }
            Deployment d = call.served;
            if (status == 401 || status == 403) {
                // The deployment's credential was refused: the client's key is fine, so never relay a 401.
                LOG.warnf("deployment %s refused its credential (HTTP %d)", d.name(), status);
                attempt(call, index + 1, new Failure(502, "upstream_auth_failed", "Deployment '" + d.name()
                        + "' rejected the gateway's provider credential (HTTP " + status + "); an operator must fix it.",
                        null, Map.of()), done);
                return;
            }
            TranslatedError translated = bridge.error(call, upstreamFormat, status, raw);
            Failure failure = new Failure(translated.status(), "upstream_error", "Deployment '" + d.name() + "' answered HTTP "
                    + status + ".", translated.body(), headers);
            if (retryable(status)) {
                attempt(call, index + 1, failure, done);
            } else {
                done.fail(new UpstreamFailure(failure.status(), failure.code(), failure.message(), failure.envelope(), headers));
            }
        });
    }

    static boolean retryable(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /** count_tokens on an upstream without that API: the gateway's own estimate. */
    private static void countLocally(LlmCall call, Deployment d) {
        long tokens = TokenEstimator.ofRequest(call.body);
        call.served = d;
        call.attempts++;
        call.upstreamFormat = ApiFormat.ANTHROPIC;
        call.upstreamBody = Json.buffer(Json.object().put("input_tokens", tokens));
        call.tokens = new TokenUsage(0, 0, 0, 0, 0, 0);
        call.tokensEstimated = true;
    }

    private static Map<String, String> forwardHeaders(LlmCall call) {
        Map<String, String> out = new HashMap<>(2);
        for (String name : new String[] { "anthropic-version", "anthropic-beta" }) {
            String v = call.exchange.request().getHeader(name);
            if (v != null) {
                out.put(name, v);
            }
        }
        return out;
    }

    static Operation operation(Endpoint endpoint) {
        return switch (endpoint) {
            case EMBEDDINGS -> Operation.EMBED;
            case COUNT_TOKENS -> Operation.COUNT_TOKENS;
            default -> Operation.GENERATE;
        };
    }
}
