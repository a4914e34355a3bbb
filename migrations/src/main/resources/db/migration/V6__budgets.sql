-- V6: budgets (budget-service). Money is integer micro-USD (BIGINT); never a float.

-- budget-service: budget definitions. The proxy reads them (snapshot for the hot path); only
-- budget-service writes them.
CREATE TABLE budgets (
    id                UUID PRIMARY KEY,
    tenant_id         UUID        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- tenant | key | agent | model | key+model
    scope_type        TEXT        NOT NULL CHECK (scope_type IN ('tenant', 'key', 'agent', 'model', 'key+model')),
    -- key id (key, key+model), agent id (agent) or model name (model); NULL for tenant
    scope_id          TEXT,
    -- model name for key+model; NULL otherwise
    scope_model       TEXT,
    period            TEXT        NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly', 'total')),
    limit_micros      BIGINT      NOT NULL CHECK (limit_micros BETWEEN 0 AND 1000000000000000),
    mode              TEXT        NOT NULL CHECK (mode IN ('hard', 'soft')),
    alert_thresholds  INTEGER[]   NOT NULL DEFAULT ARRAY[]::INTEGER[],
    -- IANA zone the period is calendar-aligned in
    timezone          TEXT        NOT NULL DEFAULT 'UTC',
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((scope_type = 'tenant') = (scope_id IS NULL)),
    CHECK ((scope_type = 'key+model') = (scope_model IS NOT NULL))
);
COMMENT ON TABLE budgets IS 'owner: budget-service';
CREATE INDEX budgets_tenant_idx ON budgets (tenant_id);

-- budget-service: one row per settled call, the durable truth Redis counters are rebuilt from.
-- No foreign keys: the ledger outlives deleted budgets, keys and tenants.
CREATE TABLE budget_ledger (
    request_id   TEXT        PRIMARY KEY,
    tenant_id    UUID        NOT NULL,
    -- the budgets the call was charged to (matched at reservation)
    budget_ids   UUID[]      NOT NULL,
    key_id       UUID,
    agent_id     TEXT,
    model        TEXT,
    cost_micros  BIGINT      NOT NULL CHECK (cost_micros >= 0),
    -- when the call was reserved: fixes the period each budget is charged in
    occurred_at  TIMESTAMPTZ NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE budget_ledger IS 'owner: budget-service';
CREATE INDEX budget_ledger_tenant_time_idx ON budget_ledger (tenant_id, occurred_at);
CREATE INDEX budget_ledger_budgets_idx ON budget_ledger USING GIN (budget_ids);

-- budget-service: alert log; a threshold fires once per budget period.
CREATE TABLE budget_alerts (
    id            BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    budget_id     UUID        NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    tenant_id     UUID        NOT NULL,
    -- start of the period the threshold was crossed in ('1970-01-01' for total budgets)
    period_start  TIMESTAMPTZ NOT NULL,
    threshold     INTEGER     NOT NULL CHECK (threshold BETWEEN 1 AND 100),
    spent_micros  BIGINT      NOT NULL,
    limit_micros  BIGINT      NOT NULL,
    fired_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (budget_id, period_start, threshold)
);
COMMENT ON TABLE budget_alerts IS 'owner: budget-service';
