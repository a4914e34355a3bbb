package com.agentcostcontrol.proxy.llm.stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.proxy.llm.pipeline.Responses;
import com.agentcostcontrol.proxy.llm.pipeline.filters.UpstreamFilter.StreamStart;
import com.agentcostcontrol.proxy.llm.usage.TokenEstimator;
import com.agentcostcontrol.proxy.llm.usage.UsageExtractor;
import com.agentcostcontrol.translate.Errors;
import com.agentcostcontrol.translate.SseEvent;
import com.agentcostcontrol.translate.SseWriter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays an upstream SSE stream to the client event by event, never buffering it whole: each event
 * is written as soon as it is parsed, and a slow client pauses the upstream (TCP back-pressure).
 * Same-format streams pass through (the usage chunk the gateway always requests is dropped again
 * when the client did not ask for it); cross-format streams go through llm-translate's stream
 * translators. Every stream ends properly:
 * <ul>
 *   <li>upstream failure or early end mid-stream: an error event the official SDKs raise (OpenAI:
 *       {@code data: {"error":{...}}} and no {@code [DONE]}, so a client that ignores the error
 *       still sees a stream without its terminator; Anthropic: {@code event: error}); status
 *       {@code stream_error}, what was produced is billed;</li>
 *   <li>client disconnect: the upstream exchange is cancelled and what was produced is billed
 *       (status {@code client_disconnected}, tokens estimated where the provider had not reported them);</li>
 *   <li>answer blocked by the tenant's response policy (the {@link Hooks.StreamGuard} between the
 *       translator and the client): an error event with code {@code security_policy_violation}, the
 *       upstream exchange is cancelled, what was produced is billed (status {@code refused}).</li>
 * </ul>
 */
@ApplicationScoped
public class SseRelay {

    private static final Logger LOG = Logger.getLogger(SseRelay.class);

    public static final String BLOCKED_CODE = "security_policy_violation";

    private final Responses responses;
    private final Hooks.StreamScanner scanner;

    public SseRelay(Responses responses, Hooks.StreamScanner scanner) {
        this.responses = responses;
        this.scanner = scanner;
    }

    public Future<Void> relay(LlmCall call) {
        StreamStart start = (StreamStart) call.streamState;
        HttpServerResponse response = call.exchange.response();
        Promise<Void> done = Promise.promise();
        long inputEstimate = TokenEstimator.ofRequest(call.body);
        StreamHandler handler = StreamHandler.of(call.inboundFormat(), call.upstreamFormat, call.body,
                call.clientWantsUsage, inputEstimate);
        Relay relay = new Relay(call, start.reader, response, done, handler, scanner.start(call), inputEstimate);
        if (response.closed()) {
            relay.clientGone();
            return done.future();
        }
        response.setStatusCode(200).setChunked(true);
        response.putHeader("content-type", "text/event-stream; charset=utf-8");
        response.putHeader("cache-control", "no-cache");
        response.putHeader("x-accel-buffering", "no");
        responses.routeHeaders(call, response);
        call.responseStarted = true;
        call.httpStatus = 200;
        response.closeHandler(v -> relay.clientGone());
        response.exceptionHandler(e -> relay.clientGone());
        relay.onEvent(start.first);
        start.reader.listener(relay);
        start.reader.resume();
        return done.future();
    }

    private static final class Relay implements SseReader.Listener {
        private final LlmCall call;
        private final SseReader reader;
        private final HttpServerResponse response;
        private final Promise<Void> done;
        private final StreamHandler handler;
        /** Null when the tenant's policy scans no answers. */
        private final Hooks.StreamGuard guard;
        private final long inputEstimate;
        private boolean finished;

        Relay(LlmCall call, SseReader reader, HttpServerResponse response, Promise<Void> done, StreamHandler handler,
                Hooks.StreamGuard guard, long inputEstimate) {
            this.call = call;
            this.reader = reader;
            this.response = response;
            this.done = done;
            this.handler = handler;
            this.guard = guard;
            this.inputEstimate = inputEstimate;
        }

        @Override
        public void onEvent(SseEvent event) {
            if (finished) {
                return;
            }
            String frames = handler.accept(event);
            if (call.firstTokenNanos < 0 && StreamHandler.carriesOutput(event)) {
                call.firstTokenNanos = System.nanoTime();
            }
            if (guard != null) {
                frames = guard.offer(frames);
                if (guard.blockedMessage() != null) {
                    block();
                    return;
                }
            }
            if (frames.isEmpty()) {
                return;
            }
            response.write(Buffer.buffer(frames));
            if (response.writeQueueFull()) {
                reader.pause();
                response.drainHandler(v -> {
                    if (!finished) {
                        reader.resume();
                    }
                });
            }
        }

        @Override
        public void onEnd() {
            close(null);
        }

        @Override
        public void onError(Throwable error) {
            LOG.debugf("%s: upstream stream failed: %s", call.requestId, error.toString());
            close(error);
        }

        private void close(Throwable error) {
            if (finished) {
                return;
            }
            String tail = handler.end();
            if (guard != null) {
                tail = guard.finish(tail);
                if (guard.blockedMessage() != null) {
                    block();
                    return;
                }
            }
            if (!tail.isEmpty() && !response.closed()) {
                response.write(Buffer.buffer(tail));
            }
            if (handler.failed() || !handler.completed()) {
                call.status = "stream_error";
                call.errorCode = error != null ? "upstream_stream_error" : "upstream_stream_incomplete";
                if (call.onStreamBroken != null) {
                    call.onStreamBroken.accept(error);
                }
            }
            finish(true);
        }

        /**
         * The answer broke the tenant's response policy: nothing more of it goes out; the client gets the
         * error event, the upstream is cancelled, and what the provider produced is billed.
         */
        private void block() {
            finished = true; // first: cancelling the upstream fails its body, which is not an upstream failure
            call.status = "refused";
            call.errorCode = BLOCKED_CODE;
            if (!response.closed()) {
                String message = guard.blockedMessage();
                response.write(Buffer.buffer(call.inboundFormat() == ApiFormat.ANTHROPIC
                        ? SseWriter.anthropic("error", Errors.anthropic("invalid_request_error", message))
                        : SseWriter.openAi(Errors.openAi(400, "invalid_request_error", message, null, BLOCKED_CODE))));
            }
            if (call.cancelUpstream != null) {
                call.cancelUpstream.run();
            }
            finish(true);
        }

        void clientGone() {
            if (finished) {
                return;
            }
            // Mark first: cancelling the upstream fails its body at once, which must not look like an upstream failure.
            finished = true;
            call.status = "client_disconnected";
            call.errorCode = "client_disconnected";
            if (call.cancelUpstream != null) {
                call.cancelUpstream.run();
            }
            finish(false);
        }

        private void finish(boolean endResponse) {
            finished = true;
            if (guard != null) {
                guard.complete(call);
            }
            var billable = handler.billable(inputEstimate);
            call.tokens = UsageExtractor.toTokenUsage(billable);
            call.tokensEstimated = !handler.completed() || call.tokens.totalInputTokens() == 0 && inputEstimate > 0;
            if (endResponse && !response.ended() && !response.closed()) {
                response.end();
            }
            done.tryComplete();
        }
    }
}
