package com.agentcostcontrol.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One server-sent event: the {@code event:} name (null when absent, which means "message"), the
 * {@code data:} lines joined by {@code \n}, and the last seen {@code id:} (null when none).
 */
public record SseEvent(String event, String data, String id) {

    /** OpenAI's end-of-stream marker {@code data: [DONE]}. */
    public boolean isDone() {
        return "[DONE]".equals(data.strip());
    }

    /**
     * The data parsed as JSON.
     *
     * @throws IllegalArgumentException when the data is not JSON (the message never echoes it)
     */
    public JsonNode json() {
        try {
            return Json.parse(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("SSE data is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }
}
