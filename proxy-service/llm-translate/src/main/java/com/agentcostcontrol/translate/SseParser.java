package com.agentcostcontrol.translate;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental server-sent-events parser following the WHATWG event-stream rules. Feed it chunks
 * exactly as they arrive from the network: an event may be split across chunks (even inside a
 * UTF-8 character or between {@code \r} and {@code \n}) and a chunk may hold several events.
 *
 * <ul>
 *   <li>Lines end with {@code \n}, {@code \r\n} or {@code \r}; a leading BOM is ignored.</li>
 *   <li>{@code event:}, {@code data:} (several lines joined with {@code \n}), {@code id:} are read;
 *       {@code retry:} and unknown fields are ignored; lines starting with {@code :} are comments.</li>
 *   <li>A blank line dispatches the event; an event without data lines is discarded.</li>
 *   <li>{@code data: [DONE]} is an ordinary event; see {@link SseEvent#isDone()}.</li>
 * </ul>
 * Feed either bytes or Strings to one parser, not both. Not thread-safe: one parser per stream.
 */
public final class SseParser {

    /** Default limit on one line or one event's data, guarding memory against a broken upstream. */
    public static final int DEFAULT_MAX_EVENT_CHARS = 16 * 1024 * 1024;

    private final int maxEventChars;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer carry = ByteBuffer.allocate(0);

    private final StringBuilder line = new StringBuilder();
    private boolean lastWasCr;
    private boolean firstLine = true;

    private String eventName;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String lastEventId;

    private List<SseEvent> out = new ArrayList<>();

    public SseParser() {
        this(DEFAULT_MAX_EVENT_CHARS);
    }

    public SseParser(int maxEventChars) {
        this.maxEventChars = maxEventChars;
    }

    /** Feeds raw UTF-8 bytes; returns the events completed by them (possibly none). */
    public List<SseEvent> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /** Feeds {@code len} raw UTF-8 bytes from {@code off}; returns the events completed by them. */
    public List<SseEvent> feed(byte[] bytes, int off, int len) {
        ByteBuffer in;
        if (carry.hasRemaining()) {
            in = ByteBuffer.allocate(carry.remaining() + len);
            in.put(carry).put(bytes, off, len).flip();
        } else {
            in = ByteBuffer.wrap(bytes, off, len);
        }
        CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, chars, false);
        chars.flip();
        // an incomplete multi-byte character at the end waits for the next chunk
        carry = ByteBuffer.allocate(in.remaining());
        carry.put(in).flip();
        return feed(chars);
    }

    /** Feeds decoded text; returns the events completed by it (possibly none). */
    public List<SseEvent> feed(CharSequence chunk) {
        consume(chunk);
        return drain();
    }

    private void consume(CharSequence chunk) {
        for (int i = 0; i < chunk.length(); i++) {
            char c = chunk.charAt(i);
            if (lastWasCr) {
                lastWasCr = false;
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\r') {
                endLine();
                lastWasCr = true;
            } else if (c == '\n') {
                endLine();
            } else {
                line.append(c);
                if (line.length() > maxEventChars) {
                    throw new IllegalStateException("SSE line exceeds " + maxEventChars + " characters");
                }
            }
        }
    }

    /**
     * End of stream: processes a last line without terminator and dispatches a pending event that
     * lacked its closing blank line (lenient: some servers omit it), then resets.
     */
    public List<SseEvent> finish() {
        if (carry.hasRemaining()) {
            CharBuffer chars = CharBuffer.allocate(carry.remaining() + 1);
            decoder.decode(carry, chars, true);
            decoder.flush(chars);
            chars.flip();
            carry = ByteBuffer.allocate(0);
            consume(chars);
        }
        if (line.length() > 0) {
            endLine();
        }
        dispatch();
        lastWasCr = false;
        return drain();
    }

    private List<SseEvent> drain() {
        if (out.isEmpty()) {
            return List.of();
        }
        List<SseEvent> done = out;
        out = new ArrayList<>();
        return done;
    }

    private void endLine() {
        String l = line.toString();
        line.setLength(0);
        if (firstLine) {
            firstLine = false;
            if (!l.isEmpty() && l.charAt(0) == '\uFEFF') {
                l = l.substring(1);
            }
        }
        if (l.isEmpty()) {
            dispatch();
            return;
        }
        if (l.charAt(0) == ':') {
            return; // comment / keep-alive
        }
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> eventName = value;
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
                if (data.length() > maxEventChars) {
                    throw new IllegalStateException("SSE event data exceeds " + maxEventChars + " characters");
                }
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            default -> {
                // retry: and unknown fields carry nothing the gateway uses
            }
        }
    }

    private void dispatch() {
        if (hasData) {
            out.add(new SseEvent(eventName == null || eventName.isEmpty() ? null : eventName, data.toString(), lastEventId));
        }
        eventName = null;
        data.setLength(0);
        hasData = false;
    }
}
