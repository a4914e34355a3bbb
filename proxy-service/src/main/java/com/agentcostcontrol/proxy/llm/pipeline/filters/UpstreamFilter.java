package com.agentcostcontrol.proxy.llm.pipeline.filters;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.llm.ApiFormat;
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
import com.agentcostcontrol.proxy.llm.provider.UpstreamTarget;
import com.agentcostcontrol.proxy.llm.routing.ProxyRouting;
import com.agentcostcontrol.proxy.llm.routing.RoutingMetrics;
import com.agentcostcontrol.proxy.llm.routing.UpstreamTargets;
import com.agentcostcontrol.proxy.llm.stream.SseReader;
import com.agentcostcontrol.proxy.llm.translate.FormatBridge;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.agentcostcontrol.router.pricing.TokenUsage;
import com.agentcostcontrol.router.routing.AttemptRecorder;
import com.agentcostcontrol.router.routing.RoutePlan.Attempt;
import com.agentcostcontrol.router.routing.health.FailureKind;
import com.agentcostcontrol.router.routing.health.HealthUpdate;
import com.agentcostcontrol.router.routing.health.RateLimitHeaders;
import com.agentcostcontrol.router.routing.health.RateLimitInfo;
import com.agentcostcontrol.translate.SseEvent;
import com.agentcostcontrol.translate.TranslatedError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Filter 9, {@code upstream}: executes the route plan's attempts in order (docs/ROUTING.md section 7.4).
 * For each attempt: {@link AttemptRecorder#mayCall} (a half-open deployment whose probe slot another
 * caller holds is skipped), then the call to the attempt's deployment in its wire format (translated
 * from the client's with llm-translate when they differ). An answer — a complete non-streamed body,
 * or a stream's first event — is recorded as a success with its latency and the provider's
 * rate-limit headers. A failure that {@link FailureKind} classifies (429, 408, 5xx incl. 529, 401/403,
 * a context-window 400, a timeout, a connection error) is recorded and the next attempt goes at once
 * (a {@code Retry-After} becomes a shared cooldown; nobody waits on it); any other 4xx is the client's
 * answer, in the client's envelope. A stream falls back only before its first byte reached the client.
 * Health recording is fire-and-forget. On success the call holds the committed response: the whole
 * body for a non-streaming call, or a paused SSE reader holding the first event for a stream.
 */
@ApplicationScoped
public class UpstreamFilter implements CallFilter {

    private static final Logger LOG = Logger.getLogger(UpstreamFilter.class);
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** How much of an error body {@link FailureKind#ofHttpStatus} scans for context-window markers. */
    private static final int CLASSIFY_CHARS = 4096;
    private static final String CLIENT_GONE = "client_disconnected";
    private static final int MAX_RESPONSE_BODY = 64 * 1024 * 1024;
    /** Retry-After of a 429/503 when no attempt gave a better figure (a provider 503 without one). */
    static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

    private final Providers providers;
    private final FormatBridge bridge;
    private final ProxyRouting routing;
    private final UpstreamTargets targets;
    private final RoutingMetrics metrics;

    public UpstreamFilter(Providers providers, FormatBridge bridge, ProxyRouting routing, UpstreamTargets targets,
            RoutingMetrics metrics) {
        this.providers = providers;
        this.bridge = bridge;
        this.routing = routing;
        this.targets = targets;
        this.metrics = metrics;
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

    /** A failure that moved the plan on, reported if the whole plan fails. */
    private record Failure(int status, String code, String message, JsonNode envelope, Map<String, String> headers) {
        static Failure of(int status, String code, String message) {
            return new Failure(status, code, message, null, Map.of());
        }
    }

    /** One call's walk through its plan. */
    private final class Run {
        final LlmCall call;
        final Promise<Void> done;
        final Context context = Vertx.currentContext();
        Failure last;
        /**
         * The soonest any attempt said it may be retried (seconds): a provider's Retry-After, or the
         * end of a busy deployment's probe lease; passed on when every attempt failed with 429/503.
         */
        long minRetryAfterSeconds = Long.MAX_VALUE;

        Run(LlmCall call, Promise<Void> done) {
            this.call = call;
            this.done = done;
        }

        /** Continues on the call's event loop (health answers arrive on Redis threads). */
        void onContext(Runnable action) {
            if (context == null || Vertx.currentContext() == context) {
                action.run();
            } else {
                context.runOnContext(v -> action.run());
            }
        }
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
        attempt(new Run(call, done), 0);
        return done.future();
    }

    private static UpstreamFailure clientGone() {
        return new UpstreamFailure(499, CLIENT_GONE, "The client went away.", null, Map.of());
    }

    private static boolean clientGone(LlmCall call) {
        return call.exchange.response().closed() || CLIENT_GONE.equals(call.status);
    }

    private void attempt(Run run, int index) {
        LlmCall call = run.call;
        if (clientGone(call)) {
            call.status = CLIENT_GONE;
            run.done.fail(clientGone());
            return;
        }
        if (index >= call.plan.attempts().size()) {
            exhausted(run);
            return;
        }
        Attempt a = call.plan.attempts().get(index);
        CompletionStage<AttemptRecorder.Gate> may = routing.recorder().gate(a);
        CompletableFuture<AttemptRecorder.Gate> f = may.toCompletableFuture();
        if (f.isDone() && !f.isCompletedExceptionally()) {
            proceed(run, index, a, f.join());
        } else {
            may.whenComplete((gate, e) -> run.onContext(() -> proceed(run, index, a,
                    e != null || gate == null ? AttemptRecorder.Gate.OPEN : gate)));
        }
    }

    private void proceed(Run run, int index, Attempt a, AttemptRecorder.Gate gate) {
        if (!gate.mayCall()) {
            metrics.retry("probe-busy");
            // When the other caller's probe lease (or the renewed cooldown) ends, the deployment may take this call.
            long seconds = gate.freeAt() == null ? DEFAULT_RETRY_AFTER_SECONDS
                    : ceilSeconds(Duration.between(Instant.now(), gate.freeAt()));
            run.minRetryAfterSeconds = Math.min(run.minRetryAfterSeconds, seconds);
            next(run, index, new Failure(503, "deployment_busy", "Deployment '" + a.deployment().name()
                    + "' is recovering and another call is probing it; retry in " + seconds + " s.", null,
                    Map.of("Retry-After", Long.toString(seconds))));
            return;
        }
        LlmCall call = run.call;
        if (clientGone(call)) {
            routing.recorder().abandoned(a);
            call.status = CLIENT_GONE;
            run.done.fail(clientGone());
            return;
        }
        UpstreamTarget target;
        try {
            target = targets.resolve(a.deployment());
        } catch (UpstreamTargets.Unusable e) {
            LOG.debugf("%s: %s", call.requestId, e.getMessage());
            skip(run, index, a, "unusable", Failure.of(502, "deployment_unusable", e.getMessage()));
            return;
        }
        ProviderAdapter adapter = providers.forProvider(target.provider());
        if (adapter == null) {
            skip(run, index, a, "unusable", Failure.of(502, "unknown_provider", "Deployment '" + target.name()
                    + "' names provider '" + target.provider() + "', which this gateway does not know."));
            return;
        }
        Operation op = operation(call.endpoint);
        if (!adapter.supports(op)) {
            if (op == Operation.COUNT_TOKENS) {
                routing.recorder().abandoned(a);
                countLocally(call, a, target);
                run.done.complete();
                return;
            }
            skip(run, index, a, "unsupported", Failure.of(400, "unsupported_operation", "Model '" + call.requestedModel
                    + "' (deployment '" + target.name() + "', provider " + target.provider() + ") does not support "
                    + call.endpoint.eventName() + "."));
            return;
        }
        ApiFormat upstreamFormat = adapter.format(call.inboundFormat());
        ObjectNode body;
        try {
            body = bridge.request(call, upstreamFormat, target);
        } catch (FormatBridge.Untranslatable e) {
            skip(run, index, a, "untranslatable", new Failure(400, "untranslatable_request", e.getMessage(),
                    e.envelope(), Map.of()));
            return;
        }
        call.attempts++;
        call.servedAttempt = a;
        call.served = target;
        call.upstreamFormat = upstreamFormat;
        UpstreamRequest request = new UpstreamRequest(target, op, upstreamFormat, body, call.stream, forwardHeaders(call),
                call.mock, cancel -> {
                    call.cancelUpstream = cancel;
                    if (CLIENT_GONE.equals(call.status)) {
                        cancel.run(); // the client left while the connection was being set up
                    }
                });
        long sentAt = System.nanoTime();
        Future<UpstreamResponse> sent;
        try {
            sent = adapter.send(request);
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onComplete(ar -> {
            if (ar.failed() && CLIENT_GONE.equals(call.status)) {
                // Aborted because the client hung up: not the deployment's failure.
                routing.recorder().abandoned(a);
                run.done.fail(clientGone());
                return;
            }
            if (ar.failed()) {
                FailureKind kind = kindOf(ar.cause());
                LOG.debugf("%s: deployment %s: %s (%s)", call.requestId, target.name(), kind.wireName(), ar.cause().toString());
                failed(run, index, a, kind, RateLimitInfo.NONE, noAnswer(target, kind));
                return;
            }
            UpstreamResponse response = ar.result();
            call.cancelUpstream = response.cancel();
            if (CLIENT_GONE.equals(call.status)) {
                response.cancel().run();
                routing.recorder().abandoned(a);
                run.done.fail(clientGone());
                return;
            }
            if (!response.ok()) {
                onErrorStatus(run, index, a, response, upstreamFormat);
            } else if (!call.stream) {
                Bodies.collect(response.body(), MAX_RESPONSE_BODY).onComplete(whole -> {
                    if (whole.failed()) {
                        if (CLIENT_GONE.equals(call.status)) {
                            // Cut off by the client, not by the deployment: nothing to record; a probe slot is given back.
                            routing.recorder().abandoned(a);
                            run.done.fail(clientGone());
                            return;
                        }
                        FailureKind kind = kindOf(whole.cause());
                        failed(run, index, a, kind, RateLimitInfo.NONE, Failure.of(kind == FailureKind.TIMEOUT ? 504 : 502,
                                "upstream_body_failed", "Deployment '" + target.name() + "' broke off its answer."));
                        return;
                    }
                    succeeded(a, sentAt, response);
                    succeededAfterFallback(call);
                    call.upstream = response;
                    call.upstreamBody = whole.result();
                    run.done.complete();
                });
            } else {
                awaitFirstEvent(run, index, a, target, response, sentAt);
            }
        });
    }

    private void awaitFirstEvent(Run run, int index, Attempt a, UpstreamTarget target, UpstreamResponse response,
            long sentAt) {
        LlmCall call = run.call;
        SseReader reader = new SseReader(response.body());
        StreamStart start = new StreamStart(reader);
        reader.listener(new SseReader.Listener() {
            @Override
            public void onEvent(SseEvent event) {
                reader.pause();
                succeeded(a, sentAt, response);
                succeededAfterFallback(call);
                start.first = event;
                call.upstream = response;
                call.streamState = start;
                call.onStreamBroken = error -> routing.recorder().failed(a,
                        error != null && kindOf(error) == FailureKind.TIMEOUT ? FailureKind.TIMEOUT : FailureKind.SERVER_ERROR,
                        RateLimitInfo.NONE).thenAccept(u -> cooldownMetric(a, u));
                run.done.complete();
            }

            @Override
            public void onEnd() {
                response.cancel().run();
                failed(run, index, a, FailureKind.SERVER_ERROR, RateLimitInfo.NONE, Failure.of(502, "upstream_empty_stream",
                        "Deployment '" + target.name() + "' ended its stream without any event."));
            }

            @Override
            public void onError(Throwable error) {
                response.cancel().run();
                if (CLIENT_GONE.equals(call.status)) {
                    routing.recorder().abandoned(a);
                    run.done.fail(clientGone());
                    return;
                }
                FailureKind kind = kindOf(error) == FailureKind.TIMEOUT ? FailureKind.TIMEOUT : FailureKind.SERVER_ERROR;
                failed(run, index, a, kind, RateLimitInfo.NONE, Failure.of(kind == FailureKind.TIMEOUT ? 504 : 502,
                        "upstream_stream_failed", "Deployment '" + target.name() + "' broke off its stream before the first event."));
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

    private void onErrorStatus(Run run, int index, Attempt a, UpstreamResponse response, ApiFormat upstreamFormat) {
        LlmCall call = run.call;
        int status = response.status();
        RateLimitInfo limits = RateLimitHeaders.parse(response::header, Instant.now());
        Bodies.collect(response.body(), MAX_ERROR_BODY).onComplete(ar -> {
            Buffer raw = ar.succeeded() ? ar.result() : Buffer.buffer();
            String start = raw.getString(0, Math.min(raw.length(), CLASSIFY_CHARS), StandardCharsets.UTF_8.name());
            Optional<FailureKind> kind = FailureKind.ofHttpStatus(status, start);
            Map<String, String> headers = new HashMap<>();
            String retryAfter = response.header("retry-after");
            if (retryAfter != null) {
                headers.put("Retry-After", retryAfter);
            }
            UpstreamTarget d = call.served;
            if (kind.isEmpty()) {
                // The request's own fault (400, 404, 422, ...): the client's answer, no fallback, no health record.
                TranslatedError translated = bridge.error(call, upstreamFormat, status, raw);
                run.done.fail(new UpstreamFailure(translated.status(), "upstream_error", "Deployment '" + d.name()
                        + "' answered HTTP " + status + ".", translated.body(), headers));
                return;
            }
            if (limits.retryAfter() != null) {
                run.minRetryAfterSeconds = Math.min(run.minRetryAfterSeconds, ceilSeconds(limits.retryAfter()));
            }
            Failure failure;
            if (kind.get() == FailureKind.AUTH) {
                // The deployment's credential was refused: the client's key is fine, so never relay a 401.
                LOG.warnf("deployment %s refused its credential (HTTP %d)", d.name(), status);
                failure = Failure.of(502, "upstream_auth_failed", "Deployment '" + d.name()
                        + "' rejected the gateway's provider credential (HTTP " + status + "); an operator must fix it.");
            } else {
                TranslatedError translated = bridge.error(call, upstreamFormat, status, raw);
                failure = new Failure(translated.status(), "upstream_error", "Deployment '" + d.name() + "' answered HTTP "
                        + status + ".", translated.body(), headers);
            }
            failed(run, index, a, kind.get(), limits, failure);
        });
    }

    private void succeeded(Attempt a, long sentAt, UpstreamResponse response) {
        Duration latency = Duration.ofNanos(System.nanoTime() - sentAt);
        routing.succeeded(a, latency, RateLimitHeaders.parse(response::header, Instant.now()));
    }

    /** Records the failure (fire-and-forget) and goes on with the next attempt at once. */
    private void failed(Run run, int index, Attempt a, FailureKind kind, RateLimitInfo limits, Failure failure) {
        routing.recorder().failed(a, kind, limits).thenAccept(u -> cooldownMetric(a, u));
        metrics.retry(kind.wireName());
        next(run, index, failure);
    }

    /** Moves on without calling the deployment (nothing to record about its health; a granted probe is given back). */
    private void skip(Run run, int index, Attempt a, String reason, Failure failure) {
        routing.recorder().abandoned(a);
        metrics.retry(reason);
        next(run, index, failure);
    }

    private void next(Run run, int index, Failure failure) {
        run.last = failure;
        attempt(run, index + 1);
    }

    private void cooldownMetric(Attempt a, HealthUpdate update) {
        if (update != null && update.startedCooldown()) {
            metrics.cooldown(a.deploymentId());
        }
    }

    /** Every attempt failed (or was skipped): the last failure, in the client's envelope. */
    private void exhausted(Run run) {
        LlmCall call = run.call;
        Failure f = run.last != null ? run.last : Failure.of(502, "no_deployment",
                "No deployment of model '" + call.requestedModel + "' can serve this call.");
        Map<String, String> headers = new HashMap<>(f.headers());
        if (tellsWhenToRetry(f.status())) {
            // Every 429/503 says when to retry: the soonest figure the attempts met, else a short default.
            if (run.minRetryAfterSeconds != Long.MAX_VALUE) {
                headers.put("Retry-After", Long.toString(run.minRetryAfterSeconds));
            } else {
                headers.putIfAbsent("Retry-After", Long.toString(DEFAULT_RETRY_AFTER_SECONDS));
            }
        }
        run.done.fail(new UpstreamFailure(f.status(), f.code(), f.message(), f.envelope(), headers));
    }

    private void succeededAfterFallback(LlmCall call) {
        if (call.attempts > 1) {
            metrics.servedByFallback();
        }
    }

    private static Failure noAnswer(UpstreamTarget target, FailureKind kind) {
        return kind == FailureKind.TIMEOUT
                ? Failure.of(504, "upstream_timeout", "Deployment '" + target.name() + "' did not answer within "
                        + target.timeoutMs() + " ms.")
                : Failure.of(502, "upstream_unreachable", "Deployment '" + target.name() + "' could not be reached.");
    }

    /** A failure without an answer: an idle or connect timeout, else a connection error. */
    static FailureKind kindOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (name.contains("timeout") || message.contains("timeout period") || message.contains("timed out")) {
                return FailureKind.TIMEOUT;
            }
        }
        return FailureKind.CONNECTION;
    }

    /** Statuses whose answer must carry {@code Retry-After} (529 is Anthropic's 503). */
    private static boolean tellsWhenToRetry(int status) {
        return status == 429 || status == 503 || status == 529;
    }

    private static long ceilSeconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }

    /** count_tokens on an upstream without that API: the gateway's own estimate. */
    private static void countLocally(LlmCall call, Attempt a, UpstreamTarget target) {
        long tokens = TokenEstimator.ofRequest(call.body);
        call.served = target;
        call.servedAttempt = a;
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
