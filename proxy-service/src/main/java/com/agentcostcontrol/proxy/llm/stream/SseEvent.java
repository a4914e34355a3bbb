package com.agentcostcontrol.proxy.llm.stream;

/**
 * One server-sent event as received.
 *
 * @param event the {@code event:} field, or null
 * @param data  the {@code data:} lines joined by newlines (may be empty)
 */
public record SseEvent(String event, String data) {
}
