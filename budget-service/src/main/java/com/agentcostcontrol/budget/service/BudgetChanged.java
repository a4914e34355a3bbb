package com.agentcostcontrol.budget.service;

import com.agentcostcontrol.budget.Budget;

/** Fired inside the transaction that changed a budget; observed after it commits. */
public record BudgetChanged(Budget budget, Change change) {

    public enum Change { CREATED, UPDATED, DELETED }
}
