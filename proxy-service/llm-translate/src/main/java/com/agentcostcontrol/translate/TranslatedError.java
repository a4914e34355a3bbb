package com.agentcostcontrol.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An upstream error re-expressed for the caller's API family: the status to answer and the body. */
public record TranslatedError(int status, ObjectNode body) {
}
