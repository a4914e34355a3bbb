package com.agentcostcontrol.proxy.llm.pipeline;

import java.util.Map;

import com.agentcostcontrol.proxy.llm.Refusal;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An upstream answered with an error that is the client's to see (or every deployment of the
 * plan failed). {@code envelope} is the error body already in the client's format, or null to
 * render the message in the endpoint's envelope.
 */
public final class UpstreamFailure extends Refusal {

    private final transient JsonNode envelope;

    public UpstreamFailure(int status, String code, String message, JsonNode envelope, Map<String, String> headers) {
        super(status, code, message, "upstream_error", headers);
        this.envelope = envelope;
    }

    public JsonNode envelope() {
        return envelope;
    }
}
