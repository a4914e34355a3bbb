package com.agentcostcontrol.proxy.llm.pipeline.filters;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.proxy.llm.Refusal;
import com.agentcostcontrol.proxy.llm.pipeline.CallFilter;
import com.agentcostcontrol.proxy.llm.pipeline.LlmCall;

import io.vertx.core.Future;

/** Filter 4, {@code model-access}: the key's model allow-list; 403 naming the model. Fail-closed. */
@ApplicationScoped
public class ModelAccessFilter implements CallFilter {

    @Override
    public String name() {
        return "model-access";
    }

    @Override
    public boolean needsBody() {
        return true;
    }

    @Override
    public FailurePolicy onFailure() {
        return FailurePolicy.FAIL_CLOSED;
    }

    @Override
    public Future<Void> apply(LlmCall call) {
        if (call.key.allowsModel(call.requestedModel)) {
            return Future.succeededFuture();
        }
        return Future.failedFuture(new Refusal(403, "model_not_allowed", "This key may not use model '"
                + call.requestedModel + "'. It may use: " + String.join(", ", call.key.allowedModels())
                + ". Ask your tenant admin to add the model to the key."));
    }
}
