-- Rate limits per tenant and a concurrency limit per key (issue 4, "rate limits per key and per tenant").
-- The limits are attributes of the rows they limit: tenants and virtual_keys are owned by proxy-service,
-- which serves their API and caches both rows on the hot path (invalidated on acc:keys:changed and by the
-- updated_at poll), exactly as it already does for the key's rpm_limit / tpm_limit. The counters that
-- enforce them are budget-core's rate-limit scripts in Redis (budget-service owns that protocol).
-- NULL means no limit at that level.
ALTER TABLE tenants
    ADD COLUMN rpm_limit      INTEGER CHECK (rpm_limit IS NULL OR rpm_limit > 0),
    ADD COLUMN tpm_limit      INTEGER CHECK (tpm_limit IS NULL OR tpm_limit > 0),
    ADD COLUMN max_concurrent INTEGER CHECK (max_concurrent IS NULL OR max_concurrent > 0);

COMMENT ON COLUMN tenants.rpm_limit IS 'requests per minute across all keys of the tenant (NULL: none)';
COMMENT ON COLUMN tenants.tpm_limit IS 'tokens per minute (estimate reserved up front, settled to actual) across all keys (NULL: none)';
COMMENT ON COLUMN tenants.max_concurrent IS 'LLM calls in flight at once across all keys (NULL: none)';

ALTER TABLE virtual_keys
    ADD COLUMN max_concurrent INTEGER CHECK (max_concurrent IS NULL OR max_concurrent > 0);

COMMENT ON COLUMN virtual_keys.max_concurrent IS 'LLM calls in flight at once with this key (NULL: none)';
