-- V14: indexes for analytics-service's retention job (docs/ANALYTICS.md, "Retention"). It deletes the ledger's
-- oldest calls and the rollup's oldest days in small batches, across all tenants: without these, every batch would
-- scan the whole table (the existing indexes lead with tenant_id).
--
-- Plain CREATE INDEX (in Flyway's transaction): CREATE INDEX CONCURRENTLY waits for every open transaction, and
-- the migrator's own connection keeps one open, so it would never finish. While the index is built, inserts into
-- the table wait (the usage consumer's lag grows; the proxy never waits for it). On a large existing ledger,
-- build the indexes by hand first, without blocking inserts, and this migration finds them and does nothing:
--   CREATE INDEX CONCURRENTLY analytics_usage_calls_occurred_at_idx ON analytics_usage_calls (occurred_at);
--   CREATE INDEX CONCURRENTLY analytics_usage_daily_day_idx ON analytics_usage_daily (day);
CREATE INDEX IF NOT EXISTS analytics_usage_calls_occurred_at_idx ON analytics_usage_calls (occurred_at);
CREATE INDEX IF NOT EXISTS analytics_usage_daily_day_idx ON analytics_usage_daily (day);
