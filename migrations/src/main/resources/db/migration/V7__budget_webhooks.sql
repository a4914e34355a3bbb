-- V7: budget alert webhooks and forecast alerts (budget-service).

-- budget-service: one alert webhook per tenant. The signing secret must be readable to sign each
-- delivery (HMAC), so it is stored encrypted (AES-256-GCM, key ACC_SECRET_KEY), never hashed.
CREATE TABLE budget_webhooks (
    tenant_id          UUID        PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    url                TEXT        NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    secret_ciphertext  TEXT        NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE budget_webhooks IS 'owner: budget-service';

-- budget-service: the outbox of webhook deliveries. A row is written in the same transaction as the
-- alert it announces, so a restart never loses one; a sender claims due rows (FOR UPDATE SKIP LOCKED),
-- posts them and records the outcome. At least once: event_id is stable for the receiver's dedup.
CREATE TABLE budget_webhook_deliveries (
    id               BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         UUID        NOT NULL UNIQUE,
    tenant_id        UUID        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- no foreign key: the record of a delivery outlives a deleted budget
    budget_id        UUID,
    event_type       TEXT        NOT NULL CHECK (event_type IN ('budget.threshold_reached', 'budget.exhaustion_forecast')),
    -- the exact JSON body, signed and sent byte for byte the same on every attempt
    payload          TEXT        NOT NULL,
    status           TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_status_code INTEGER,
    last_error       TEXT,
    delivered_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE budget_webhook_deliveries IS 'owner: budget-service';
CREATE INDEX budget_webhook_deliveries_due_idx ON budget_webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX budget_webhook_deliveries_tenant_idx ON budget_webhook_deliveries (tenant_id, created_at);

-- budget-service: each attempt of a delivery, readable through GET /v1/budgets/webhook/deliveries.
CREATE TABLE budget_webhook_attempts (
    delivery_id  BIGINT      NOT NULL REFERENCES budget_webhook_deliveries (id) ON DELETE CASCADE,
    attempt      INTEGER     NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    duration_ms  INTEGER     NOT NULL,
    -- the receiver's HTTP status; NULL when no answer came (timeout, refused connection, ...)
    status_code  INTEGER,
    error        TEXT,
    outcome      TEXT        NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
    PRIMARY KEY (delivery_id, attempt)
);
COMMENT ON TABLE budget_webhook_attempts IS 'owner: budget-service';

-- budget-service: exhaustion forecasts; fires once per budget period (1970-01-01 never occurs: total
-- budgets have no end and are never forecast to run out "before period end").
CREATE TABLE budget_forecast_alerts (
    id                BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    budget_id         UUID        NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    tenant_id         UUID        NOT NULL,
    period_start      TIMESTAMPTZ NOT NULL,
    spent_micros      BIGINT      NOT NULL,
    limit_micros      BIGINT      NOT NULL,
    projected_micros  BIGINT      NOT NULL,
    exhaustion_at     TIMESTAMPTZ,
    fired_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (budget_id, period_start)
);
COMMENT ON TABLE budget_forecast_alerts IS 'owner: budget-service';
