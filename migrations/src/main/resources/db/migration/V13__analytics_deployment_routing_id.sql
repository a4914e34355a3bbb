-- The proxy's usage events name the serving deployment by its routing id (docs/ROUTING.md): a
-- deployment row's UUID, or `builtin:<provider>:<model>` for a built-in deployment. V11 stored it as
-- UUID, which made every call served by a built-in deployment a malformed ("poison") event.
ALTER TABLE analytics_usage_calls ALTER COLUMN deployment_id TYPE TEXT USING deployment_id::text;
COMMENT ON COLUMN analytics_usage_calls.deployment_id IS
    'routing id of the deployment that answered: a deployments.id UUID, or builtin:<provider>:<model>; NULL when none did';
