package com.agentcostcontrol.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A translated request body plus what was lost on the way. Each warning names one dropped or
 * altered field; the proxy may log the list (it never contains prompt text) or return it in a
 * debug header.
 */
public record TranslatedRequest(ObjectNode body, List<String> warnings) {

    public TranslatedRequest {
        warnings = List.copyOf(warnings);
    }
}
