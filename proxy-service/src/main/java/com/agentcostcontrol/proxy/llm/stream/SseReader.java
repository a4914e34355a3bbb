package com.agentcostcontrol.proxy.llm.stream;

import java.util.ArrayDeque;

import com.agentcostcontrol.translate.SseEvent;
import com.agentcostcontrol.translate.SseParser;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Reads an upstream SSE body event by event as bytes arrive (llm-translate's incremental
 * {@link SseParser}), with pause/resume that holds back both the upstream (TCP back-pressure) and
 * events already parsed from a chunk. The listener can be swapped while paused: the upstream
 * filter reads the first event, then hands the reader to the relay.
 */
public final class SseReader {

    /** Receives events, then the end of the body or its failure (exactly one of the last two). */
    public interface Listener {
        void onEvent(SseEvent event);

        void onEnd();

        void onError(Throwable error);
    }

    private final ReadStream<Buffer> body;
    private final SseParser parser = new SseParser();
    private final ArrayDeque<SseEvent> queue = new ArrayDeque<>();
    private Listener listener;
    private boolean paused = true;
    private boolean ended;
    private Throwable failed;
    private boolean finished;
    private boolean draining;

    public SseReader(ReadStream<Buffer> body) {
        this.body = body;
        body.handler(chunk -> {
            queue.addAll(parser.feed(chunk.getBytes()));
            drain();
        });
        body.endHandler(v -> {
            queue.addAll(parser.finish());
            ended = true;
            drain();
        });
        body.exceptionHandler(e -> {
            if (failed == null && !ended) {
                failed = e;
                drain();
            }
        });
    }

    public void listener(Listener listener) {
        this.listener = listener;
    }

    public void pause() {
        paused = true;
        body.pause();
    }

    public void resume() {
        paused = false;
        drain();
        if (!paused && !finished) {
            body.resume();
        }
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!paused && !queue.isEmpty() && listener != null) {
                listener.onEvent(queue.poll());
            }
            if (!paused && queue.isEmpty() && !finished && listener != null) {
                if (failed != null) {
                    finished = true;
                    listener.onError(failed);
                } else if (ended) {
                    finished = true;
                    listener.onEnd();
                }
            }
        } finally {
            draining = false;
        }
    }
}
