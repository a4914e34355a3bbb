package com.agentcostcontrol.router.pricing;

/** The price catalog (and the caller's tenant overrides) know no model of this name. */
public class UnknownModelException extends RuntimeException {

    private final String model;

    public UnknownModelException(String model) {
        super("no price known for model '" + model + "'; pick a model from GET /v1/routing/models"
                + " or ask an operator to add a price override");
        this.model = model;
    }

    public String model() {
        return model;
    }
}
