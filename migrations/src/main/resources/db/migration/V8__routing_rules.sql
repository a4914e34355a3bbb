-- V8: routing rules (router-service). Evaluated in order before a route's strategy, by the proxy
-- (in-process, from its routing snapshot) and by router-service's dry-run planner. See docs/ROUTING.md.

-- router-service: one rule = a match (every non-NULL criterion must hold) and one action.
-- tenant_id NULL means an operator-level rule that applies to every tenant (after the tenant's own).
CREATE TABLE routing_rules (
    id                 UUID PRIMARY KEY,
    tenant_id          UUID REFERENCES tenants (id) ON DELETE CASCADE,
    -- lower runs first; ties run in creation order
    priority           INTEGER     NOT NULL DEFAULT 100 CHECK (priority BETWEEN 0 AND 1000000),
    description        TEXT CHECK (description IS NULL OR length(description) <= 500),
    enabled            BOOLEAN     NOT NULL DEFAULT TRUE,
    -- match: glob on the requested model name (* any run of characters, ? one character), case-insensitive
    match_model        TEXT CHECK (match_model IS NULL OR length(match_model) BETWEEN 1 AND 200),
    -- match: the request's task type (header x-acc-task)
    match_task         TEXT CHECK (match_task IS NULL OR match_task IN ('plan', 'build', 'test', 'review')),
    -- match: the request needs this capability (tools, vision, json, reasoning, ...)
    match_capability   TEXT CHECK (match_capability IS NULL OR length(match_capability) BETWEEN 1 AND 40),
    -- match: the call's worst-case cost at the requested model is above this amount (USD)
    match_max_cost_usd NUMERIC CHECK (match_max_cost_usd IS NULL OR match_max_cost_usd > 0),
    action             TEXT        NOT NULL CHECK (action IN ('route-to-model', 'set-strategy', 'require-capability')),
    -- the action's argument: a model name, a strategy, or a capability
    action_model       TEXT CHECK (action_model IS NULL OR length(action_model) BETWEEN 1 AND 200),
    action_strategy    TEXT CHECK (action_strategy IS NULL OR action_strategy IN
                          ('priority', 'weighted', 'lowest-latency', 'lowest-cost')),
    action_capability  TEXT CHECK (action_capability IS NULL OR length(action_capability) BETWEEN 1 AND 40),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((action = 'route-to-model') = (action_model IS NOT NULL)),
    CHECK ((action = 'set-strategy') = (action_strategy IS NOT NULL)),
    CHECK ((action = 'require-capability') = (action_capability IS NOT NULL))
);
COMMENT ON TABLE routing_rules IS 'owner: router-service';
CREATE INDEX routing_rules_tenant_idx ON routing_rules (tenant_id, priority);
