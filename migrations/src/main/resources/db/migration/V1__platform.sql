-- V1: the platform foundation. Owner of each table is named in its comment.
-- Money is NUMERIC or integer micro-USD; never a float.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- proxy-service: tenants (customers of the gateway).
CREATE TABLE tenants (
    id          UUID PRIMARY KEY,
    name        TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status      TEXT        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE tenants IS 'owner: proxy-service';

-- proxy-service: virtual keys. Only the SHA-256 of a key is stored; the key is shown once.
CREATE TABLE virtual_keys (
    id              UUID PRIMARY KEY,
    tenant_id       UUID        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    key_hash        TEXT        NOT NULL UNIQUE,
    prefix          TEXT        NOT NULL,
    scopes          TEXT[]      NOT NULL DEFAULT ARRAY['llm']::TEXT[],
    allowed_models  TEXT[],
    rpm_limit       INTEGER CHECK (rpm_limit IS NULL OR rpm_limit > 0),
    tpm_limit       INTEGER CHECK (tpm_limit IS NULL OR tpm_limit > 0),
    expires_at      TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE virtual_keys IS 'owner: proxy-service';
CREATE INDEX virtual_keys_tenant_idx ON virtual_keys (tenant_id);

-- router-service: deployments = one model at one provider endpoint with one credential.
-- tenant_id NULL means an operator-level deployment visible to every tenant.
CREATE TABLE deployments (
    id                  UUID PRIMARY KEY,
    tenant_id           UUID REFERENCES tenants (id) ON DELETE CASCADE,
    name                TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    provider            TEXT        NOT NULL CHECK (provider IN
                           ('openai', 'anthropic', 'openai-compatible', 'azure-openai', 'sub2api', 'mock')),
    model               TEXT        NOT NULL,
    base_url            TEXT,
    -- AES-GCM ciphertext of the provider credential (key from ACC_SECRET_KEY); never logged.
    api_key_ciphertext  TEXT,
    weight              INTEGER     NOT NULL DEFAULT 1 CHECK (weight > 0),
    timeout_ms          INTEGER     NOT NULL DEFAULT 60000 CHECK (timeout_ms > 0),
    enabled             BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE deployments IS 'owner: router-service (written through the operator API at the proxy edge)';
CREATE UNIQUE INDEX deployments_name_uq
    ON deployments (COALESCE(tenant_id, '00000000-0000-0000-0000-000000000000'::UUID), name);

-- router-service: a model name (or alias) mapped to deployments, with a strategy and fallbacks.
CREATE TABLE routes (
    id           UUID PRIMARY KEY,
    tenant_id    UUID REFERENCES tenants (id) ON DELETE CASCADE,
    model        TEXT        NOT NULL,
    strategy     TEXT        NOT NULL DEFAULT 'priority' CHECK (strategy IN
                    ('priority', 'weighted', 'lowest-latency', 'lowest-cost')),
    deployments  TEXT[]      NOT NULL,
    fallbacks    TEXT[]      NOT NULL DEFAULT ARRAY[]::TEXT[],
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE routes IS 'owner: router-service (written through the operator API at the proxy edge)';
CREATE UNIQUE INDEX routes_model_uq
    ON routes (COALESCE(tenant_id, '00000000-0000-0000-0000-000000000000'::UUID), model);
