-- V12: per-tenant scanning policies (security-service). The proxy reads this table into its in-process
-- snapshot (reloaded on Redis channel acc:security:changed and periodically). See docs/SECURITY.md.

-- One row per tenant that changed its policy; a tenant without a row gets the default
-- (secrets=block, pii=flag, injection=flag for prompts and for responses).
CREATE TABLE security_policies (
    tenant_id          UUID PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    -- action per category for what the client sends (prompt) and what the model answers (response)
    prompt_secrets     TEXT        NOT NULL CHECK (prompt_secrets IN ('block', 'redact', 'flag', 'off')),
    prompt_pii         TEXT        NOT NULL CHECK (prompt_pii IN ('block', 'redact', 'flag', 'off')),
    prompt_injection   TEXT        NOT NULL CHECK (prompt_injection IN ('block', 'redact', 'flag', 'off')),
    response_secrets   TEXT        NOT NULL CHECK (response_secrets IN ('block', 'redact', 'flag', 'off')),
    response_pii       TEXT        NOT NULL CHECK (response_pii IN ('block', 'redact', 'flag', 'off')),
    response_injection TEXT        NOT NULL CHECK (response_injection IN ('block', 'redact', 'flag', 'off')),
    -- who made the last change (the caller's subject), for the audit trail
    updated_by         TEXT CHECK (updated_by IS NULL OR length(updated_by) <= 200),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE security_policies IS 'owner: security-service';
