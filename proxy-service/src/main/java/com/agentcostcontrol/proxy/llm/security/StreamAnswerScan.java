package com.agentcostcontrol.proxy.llm.security;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.agentcostcontrol.proxy.llm.ApiFormat;
import com.agentcostcontrol.proxy.llm.Json;
import com.agentcostcontrol.proxy.llm.pipeline.Hooks;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;
import com.agentcostcontrol.security.core.Action;
import com.agentcostcontrol.security.core.Category;
import com.agentcostcontrol.security.core.Direction;
import com.agentcostcontrol.security.core.Finding;
import com.agentcostcontrol.security.core.Policy;
import com.agentcostcontrol.security.core.Redactor;
import com.agentcostcontrol.security.core.ScanResult;
import com.agentcostcontrol.translate.SseWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Scans one streamed answer incrementally, in the client's format (after translation, so what is
 * scanned is what the client would get). Each text channel (an OpenAI choice's content, reasoning or
 * one tool call's arguments; an Anthropic content block's text, JSON input or thinking) accumulates
 * its text; each event scans only the new text plus the part of the tail where a finding may still be
 * in the making ({@code TextScanner.openFrom}, at most {@code holdback} characters), so the cost stays
 * linear in the answer's length.
 * <p>
 * When a category the policy blocks or redacts is active, frames are held back while their text lies
 * in that open tail (so a secret split across chunks is seen whole before any of it leaves); frames
 * are released unchanged and in order, so a clean stream's bytes are exactly those without scanning.
 * Block drops what is held and stops; redact rewrites the held frames' text; flag only records.
 */
final class StreamAnswerScan implements Hooks.StreamGuard {

    /** Characters before the scan start given to the detectors for their look-behinds (word boundaries). */
    private static final int CONTEXT = 8;
    /** Trim a channel's buffer once this much scanned text lies before what is still needed. */
    private static final int TRIM_AT = 8192;

    private final Policy policy;
    private final ApiFormat format;
    private final int holdback;
    private final CallScanner scanner;
    private final Set<Category> active;
    /** Categories whose findings change what the client gets (block, redact): their open tail is held back. */
    private final Set<Category> hold = EnumSet.noneOf(Category.class);
    private final ArrayDeque<Frame> held = new ArrayDeque<>();
    private final Map<String, Channel> channels = new HashMap<>(4);
    private final List<Channel> touched = new ArrayList<>(2);
    private final Verdict verdict = new Verdict(Direction.RESPONSE);
    private final Set<String> seen = new HashSet<>();
    private long scanNanos;
    private long scannedChars;
    private int maxHeld;
    private String blockedMessage;

    StreamAnswerScan(Policy policy, ApiFormat format, int holdback, CallScanner scanner) {
        this.policy = policy;
        this.format = format;
        this.holdback = holdback;
        this.scanner = scanner;
        this.active = policy.active(Direction.RESPONSE);
        for (Category c : active) {
            Action a = policy.action(Direction.RESPONSE, c);
            if (a == Action.BLOCK || a == Action.REDACT) {
                hold.add(c);
            }
        }
    }

    @Override
    public String offer(String frames) {
        if (frames.isEmpty()) {
            return "";
        }
        return advance(frames, false);
    }

    @Override
    public String finish(String frames) {
        return advance(frames, true);
    }

    /** Takes the frames, scans the channels they touched (at the end: every channel), releases what may go out. */
    private String advance(String frames, boolean end) {
        if (blockedMessage != null) {
            return "";
        }
        long t0 = System.nanoTime();
        try {
            take(frames);
            for (Channel ch : end ? channels.values() : touched) {
                scan(ch, end);
                if (blockedMessage != null) {
                    return "";
                }
            }
            return release(end);
        } finally {
            touched.clear();
            scanNanos += System.nanoTime() - t0;
        }
    }

    @Override
    public String blockedMessage() {
        return blockedMessage;
    }

    /** Characters scanned so far (the cost; linear in the answer). */
    long scannedChars() {
        return scannedChars;
    }

    /** The most frames held back at once (before a release). */
    int maxHeldFrames() {
        return maxHeld;
    }

    @Override
    public void complete(LlmCall call) {
        scanner.recordStream(call, verdict, scanNanos);
    }

    // ------------------------------------------------------------------ frames in

    /** Splits the client frames, queues each and appends its answer text to its channels. */
    private void take(String frames) {
        int i = 0;
        while (i < frames.length()) {
            int j = frames.indexOf("\n\n", i);
            int end = j < 0 ? frames.length() : j + 2;
            held.add(frame(frames.substring(i, end)));
            i = end;
        }
    }

    private Frame frame(String raw) {
        Frame f = new Frame(raw);
        boolean text = format == ApiFormat.OPENAI ? raw.contains("\"delta\"") : raw.contains("\"content_block_delta\"");
        if (!text) {
            return f;
        }
        StringBuilder data = new StringBuilder();
        for (String line : raw.split("\n")) {
            if (line.startsWith("event:")) {
                f.event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
            }
        }
        JsonNode json;
        try {
            json = Json.parse(data.toString());
        } catch (Exception notJson) {
            return f;
        }
        f.json = json;
        if (format == ApiFormat.OPENAI) {
            JsonNode choices = json.path("choices");
            for (int c = 0; c < choices.size(); c++) {
                JsonNode choice = choices.get(c);
                int index = choice.path("index").asInt(c);
                if (choice.path("delta") instanceof ObjectNode delta) {
                    String at = "choices[" + index + "].delta.";
                    piece(f, delta, "content", at + "content");
                    piece(f, delta, "reasoning_content", at + "reasoning_content");
                    piece(f, delta, "refusal", at + "refusal");
                    JsonNode calls = delta.path("tool_calls");
                    for (int k = 0; k < calls.size(); k++) {
                        if (calls.get(k).path("function") instanceof ObjectNode fn) {
                            piece(f, fn, "arguments", at + "tool_calls[" + calls.get(k).path("index").asInt(k)
                                    + "].function.arguments");
                        }
                    }
                }
            }
        } else if (json.path("delta") instanceof ObjectNode delta) {
            String at = "content[" + json.path("index").asInt(0) + "].";
            piece(f, delta, "text", at + "text");
            piece(f, delta, "partial_json", at + "input");
            piece(f, delta, "thinking", at + "thinking");
        }
        return f;
    }

    private void piece(Frame f, ObjectNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            return;
        }
        String text = v.asText();
        Channel ch = channels.computeIfAbsent(path, Channel::new);
        long start = ch.end;
        ch.buf.append(text);
        ch.end += text.length();
        f.pieces.add(new Piece(ch, start, ch.end, parent, field));
        if (!touched.contains(ch)) {
            touched.add(ch);
        }
    }

    // ------------------------------------------------------------------ scanning

    /**
     * Scans the channel's text from where a finding may still be open (minus a little look-behind
     * context), records new findings, and moves the scan start and the release boundary forward.
     */
    private void scan(Channel ch, boolean ended) {
        if (ch.scanFrom >= ch.end) {
            return;
        }
        long from = Math.max(ch.base, ch.scanFrom - CONTEXT);
        String text = ch.buf.substring((int) (from - ch.base));
        scannedChars += text.length();
        ScanResult result = CallScanner.SCANNER.scan(text, active);
        for (Finding f : result.findings()) {
            long start = from + f.start();
            if (start < ch.scanFrom) {
                continue; // in the look-behind context: scanned before, and not open then
            }
            Action action = policy.action(Direction.RESPONSE, f.category());
            if (seen.add(f.detector() + '|' + ch.path + '|' + start)) {
                verdict.add(new Verdict.Hit(f.detector(), f.category(), action, ch.path));
            }
            if (action == Action.BLOCK) {
                blockedMessage = "The model's answer was blocked by security policy: detector " + f.detector() + " ("
                        + f.category().id() + ") found in the streamed " + ch.path + ". The stream was stopped before"
                        + " any of it was sent; the provider's tokens are charged. Ask a tenant admin to change the"
                        + " response policy (PUT /v1/security/policy).";
                held.clear();
                return;
            }
            if (action == Action.REDACT) {
                ch.redact(f.detector(), start, from + f.end());
            }
        }
        if (ended) {
            ch.scanFrom = ch.end;
            ch.release = ch.end;
            return;
        }
        long floor = ch.end - holdback;
        long openAll = from + CallScanner.SCANNER.openFrom(text, active);
        long openHold = hold.isEmpty() ? ch.end : hold.equals(active) ? openAll
                : from + CallScanner.SCANNER.openFrom(text, hold);
        ch.scanFrom = Math.max(ch.scanFrom, Math.max(openAll, floor));
        ch.release = Math.max(ch.release, Math.max(openHold, floor));
        long keep = ch.scanFrom - CONTEXT;
        if (keep - ch.base > TRIM_AT) {
            ch.buf.delete(0, (int) (keep - ch.base));
            ch.base = keep;
        }
    }

    // ------------------------------------------------------------------ frames out

    /** The queued frames, in order, up to the first one whose text is still held back (all when ended). */
    private String release(boolean ended) {
        if (held.isEmpty()) {
            return "";
        }
        maxHeld = Math.max(maxHeld, held.size());
        StringBuilder out = new StringBuilder();
        while (!held.isEmpty() && (ended || held.peek().releasable())) {
            out.append(render(held.poll()));
        }
        return out.toString();
    }

    private String render(Frame f) {
        boolean changed = false;
        for (Piece p : f.pieces) {
            if (p.ch.spans.isEmpty()) {
                continue;
            }
            String redacted = p.ch.apply(p.parent.get(p.field).asText(), p.start, p.end);
            if (redacted != null) {
                p.parent.put(p.field, redacted);
                changed = true;
            }
        }
        if (!changed) {
            return f.raw;
        }
        return format == ApiFormat.OPENAI || f.event == null ? SseWriter.openAi(f.json)
                : SseWriter.anthropic(f.event, f.json);
    }

    /** One client frame as the translator wrote it, and the answer text it carries. */
    private static final class Frame {
        final String raw;
        final List<Piece> pieces = new ArrayList<>(1);
        String event;
        JsonNode json;

        Frame(String raw) {
            this.raw = raw;
        }

        boolean releasable() {
            for (Piece p : pieces) {
                if (p.end > p.ch.release) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A frame's text in a channel: {@code [start, end)} of the channel's text, and the JSON field holding it. */
    private record Piece(Channel ch, long start, long end, ObjectNode parent, String field) {
    }

    /** A span to redact, in channel offsets; the marker goes out once, with the first part of it relayed. */
    private static final class Span {
        final String detector;
        long start;
        long end;
        boolean marked;

        Span(String detector, long start, long end) {
            this.detector = detector;
            this.start = start;
            this.end = end;
        }
    }

    /** The text of one channel: a window of it (from {@link #base}) and how far it was scanned and released. */
    private static final class Channel {
        final String path;
        final StringBuilder buf = new StringBuilder();
        final List<Span> spans = new ArrayList<>(1);
        /** Channel offset of {@code buf}'s first character. */
        long base;
        long end;
        /** Where the next scan starts: the first place a finding may still be open. */
        long scanFrom;
        /** Text before this may be relayed. */
        long release;

        Channel(String path) {
            this.path = path;
        }

        /** Adds a span, merging it into an overlapping one (a finding that grew, or overlapping detectors). */
        void redact(String detector, long start, long end) {
            for (Span s : spans) {
                if (start < s.end && s.start < end || start == s.start) {
                    s.start = Math.min(s.start, start);
                    s.end = Math.max(s.end, end);
                    return;
                }
            }
            spans.add(new Span(detector, start, end));
            spans.sort((a, b) -> Long.compare(a.start, b.start));
        }

        /** {@code text} (channel offsets {@code [from, to)}) with the spans in it redacted; null when none touches it. */
        String apply(String text, long from, long to) {
            StringBuilder out = null;
            int copied = 0;
            for (int i = 0; i < spans.size(); i++) {
                Span s = spans.get(i);
                if (s.end <= from || s.start >= to) {
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                int a = (int) Math.max(0, s.start - from);
                int b = (int) Math.min(text.length(), s.end - from);
                out.append(text, copied, Math.max(a, copied));
                if (!s.marked) {
                    out.append(Redactor.marker(s.detector));
                    s.marked = true;
                }
                copied = Math.max(copied, b);
            }
            if (out == null) {
                return null;
            }
            spans.removeIf(s -> s.marked && s.end <= to);
            return out.append(text, copied, text.length()).toString();
        }
    }
}
