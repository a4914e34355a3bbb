package com.agentcostcontrol.proxy.llm.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Reads an upstream SSE body event by event as bytes arrive, with pause/resume that holds back
 * both the upstream (TCP back-pressure) and events already parsed from a chunk. The listener can
 * be swapped while paused: the upstream filter reads the first event, then hands the reader to the
 * relay.
 */
public final class SseReader {

    /** Receives events, the end of the body, or its failure (exactly one of the last two). */
    public interface Listener {
        void onEvent(SseEvent event);

        void onEnd();

        void onError(Throwable error);
    }

    private final ReadStream<Buffer> body;
    private Buffer pending = Buffer.buffer();
    private final ArrayDeque<SseEvent> queue = new ArrayDeque<>();
    private Listener listener;
    private boolean paused = true;
    private boolean ended;
    private Throwable failed;
    private boolean finished;
    private boolean draining;

    public SseReader(ReadStream<Buffer> body) {
        this.body = body;
        body.handler(this::onChunk);
        body.endHandler(v -> {
            flushTail();
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

    private void onChunk(Buffer chunk) {
        // Bytes, not chars: a multi-byte UTF-8 character may straddle two chunks.
        pending.appendBuffer(chunk);
        int start = 0;
        while (true) {
            int end = boundary(pending, start);
            if (end < 0) {
                break;
            }
            SseEvent e = parse(pending.getString(start, end, "UTF-8"));
            if (e != null) {
                queue.add(e);
            }
            start = skipBoundary(pending, end);
        }
        if (start > 0) {
            pending = start == pending.length() ? Buffer.buffer() : pending.getBuffer(start, pending.length());
        }
        drain();
    }

    private void flushTail() {
        if (pending.length() > 0) {
            SseEvent e = parse(pending.toString(StandardCharsets.UTF_8));
            if (e != null) {
                queue.add(e);
            }
            pending = Buffer.buffer();
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

    /** Index of the blank line ending an event at or after {@code from}, or -1. */
    private static int boundary(Buffer s, int from) {
        int n = s.length();
        for (int i = from; i < n - 1; i++) {
            byte c = s.getByte(i);
            byte d = s.getByte(i + 1);
            if (c == '\n' && d == '\n') {
                return i;
            }
            if (c == '\r' && d == '\n' && i + 3 < n && s.getByte(i + 2) == '\r' && s.getByte(i + 3) == '\n') {
                return i;
            }
            if (c == '\r' && d == '\r') {
                return i;
            }
        }
        return -1;
    }

    private static int skipBoundary(Buffer s, int at) {
        if (s.getByte(at) == '\r' && s.getByte(at + 1) == '\n') {
            return at + 4;
        }
        return at + 2;
    }

    /** Parses the lines of one event block; null for a block of comments only. */
    private static SseEvent parse(String s) {
        int start = 0;
        int end = s.length();
        String event = null;
        StringBuilder data = null;
        int lineStart = start;
        while (lineStart < end) {
            int lineEnd = lineStart;
            while (lineEnd < end && s.charAt(lineEnd) != '\n' && s.charAt(lineEnd) != '\r') {
                lineEnd++;
            }
            String line = s.substring(lineStart, lineEnd);
            if (!line.isEmpty() && line.charAt(0) != ':') {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    event = value;
                } else if (field.equals("data")) {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
            }
            lineStart = lineEnd;
            if (lineStart < end && s.charAt(lineStart) == '\r') {
                lineStart++;
            }
            if (lineStart < end && s.charAt(lineStart) == '\n') {
                lineStart++;
            }
        }
        if (event == null && data == null) {
            return null;
        }
        return new SseEvent(event, data == null ? "" : data.toString());
    }
}
