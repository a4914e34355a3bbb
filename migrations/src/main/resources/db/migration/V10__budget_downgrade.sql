-- V10: a budget's optional downgrade policy (issue 4 item 7): near the limit, serve a call with a
-- cheaper model instead of refusing it. Both columns are NULL for a budget without a policy.
ALTER TABLE budgets
    -- the cheaper model (a model_prices.model, checked by budget-service when the budget is written)
    ADD COLUMN downgrade_model      TEXT    CHECK (downgrade_model IS NULL OR length(downgrade_model) BETWEEN 1 AND 300),
    -- share of the limit (percent) past which calls are downgraded
    ADD COLUMN downgrade_at_percent INTEGER CHECK (downgrade_at_percent IS NULL OR downgrade_at_percent BETWEEN 1 AND 100),
    ADD CONSTRAINT budgets_downgrade_complete CHECK ((downgrade_model IS NULL) = (downgrade_at_percent IS NULL));
