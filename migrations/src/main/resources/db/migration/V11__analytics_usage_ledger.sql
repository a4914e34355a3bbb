-- V11: the usage ledger (analytics-service). One row per LLM call the proxy reported on the
-- acc:usage stream (docs/USAGE-EVENTS.md), answered or not. Money is integer micro-USD (BIGINT).

-- analytics-service: written only by its usage consumer, idempotent on request_id (the stream
-- delivers at least once). No foreign keys: the ledger outlives deleted keys, deployments and
-- tenants, and a call refused before its key was known (401) has no tenant at all.
CREATE TABLE analytics_usage_calls (
    request_id             TEXT        PRIMARY KEY,
    -- NULL: refused before the key was known
    tenant_id              UUID,
    key_id                 UUID,
    agent_id               TEXT,
    -- chat | embeddings | messages | count_tokens
    endpoint               TEXT        NOT NULL,
    requested_model        TEXT,
    -- the model of the deployment that answered (the one priced); NULL when none did
    served_model           TEXT,
    provider               TEXT,
    deployment             TEXT,
    -- NULL for built-in deployments
    deployment_id          UUID,
    -- ok | refused | upstream_error | stream_error | client_disconnected | error
    status                 TEXT        NOT NULL,
    http_status            INTEGER     NOT NULL,
    error_code             TEXT,
    streamed               BOOLEAN     NOT NULL,
    attempts               INTEGER     NOT NULL,
    -- token kinds as the event normalises them: none is counted twice
    input_tokens           BIGINT      NOT NULL CHECK (input_tokens >= 0),
    cache_read_tokens      BIGINT      NOT NULL CHECK (cache_read_tokens >= 0),
    cache_write_5m_tokens  BIGINT      NOT NULL CHECK (cache_write_5m_tokens >= 0),
    cache_write_1h_tokens  BIGINT      NOT NULL CHECK (cache_write_1h_tokens >= 0),
    output_tokens          BIGINT      NOT NULL CHECK (output_tokens >= 0),
    reasoning_tokens       BIGINT      NOT NULL CHECK (reasoning_tokens >= 0),
    tokens_estimated       BOOLEAN     NOT NULL,
    -- NULL: the served model has no price (counted as 0 in sums)
    cost_micros            BIGINT      CHECK (cost_micros >= 0),
    latency_ms             BIGINT      NOT NULL,
    -- NULL: no token was relayed
    ttft_ms                BIGINT,
    -- the call's arrival (event ts); every analytics range and day bucket is on this
    occurred_at            TIMESTAMPTZ NOT NULL,
    recorded_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- the acc:usage entry it was read from, to trace a row back to the stream
    stream_id              TEXT        NOT NULL
);
COMMENT ON TABLE analytics_usage_calls IS 'owner: analytics-service';
-- Every tenant query is "this tenant, this time range": one range scan of this index.
CREATE INDEX analytics_usage_calls_tenant_time_idx ON analytics_usage_calls (tenant_id, occurred_at);

-- analytics-service: the ledger summed per tenant, UTC day and group keys, so a spend query reads one
-- row per (day, model, provider, key, agent) for every whole day of its range instead of every call
-- (partial days at the edges of a range are read from the ledger). Maintained by the consumer in the
-- same statement that inserts the ledger row, and only when that row is new: it is always exactly the
-- ledger's sum. Calls without a tenant are not rolled up. Absent keys are '' (a primary key column
-- cannot be NULL). Rebuild from the ledger if ever in doubt (docs/ANALYTICS.md).
CREATE TABLE analytics_usage_daily (
    tenant_id      UUID    NOT NULL,
    -- the UTC calendar day of occurred_at
    day            DATE    NOT NULL,
    -- COALESCE(served_model, requested_model, '')
    model          TEXT    NOT NULL,
    provider       TEXT    NOT NULL,
    key_id         TEXT    NOT NULL,
    agent_id       TEXT    NOT NULL,
    requests       BIGINT  NOT NULL,
    -- plain + cache read + cache write input tokens
    input_tokens   BIGINT  NOT NULL,
    output_tokens  BIGINT  NOT NULL,
    -- unpriced calls add 0
    cost_micros    BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, day, model, provider, key_id, agent_id)
);
COMMENT ON TABLE analytics_usage_daily IS 'owner: analytics-service';
