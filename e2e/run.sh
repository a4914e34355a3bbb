#!/usr/bin/env bash
# Real-client suite: drives a freshly started proxy-service with the official OpenAI and Anthropic
# SDKs (node --test), against the built-in mock provider and replay stubs of real provider answers.
# Idempotent set-up: npm ci when needed, Postgres/Redis started when absent, proxy built when stale,
# database acc_e2e recreated and migrated, tenant and keys seeded through the operator API,
# deployments and routes written as router-service stores them.
# Called by `./acc test` after the Maven tests; runs alone too: bash e2e/run.sh
set -euo pipefail

HARNESS_NAME=e2e
# shellcheck source=lib/proxy-harness.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/proxy-harness.sh"
trap harness_cleanup EXIT
E2E="$HARNESS_ROOT/e2e"

if [ ! -d "$E2E/node_modules" ] || [ "$E2E/package-lock.json" -nt "$E2E/node_modules/.package-lock.json" ]; then
  hlog "installing SDKs (npm ci)"
  (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error)
fi

ensure_pg_redis
build_if_stale
fresh_database acc_e2e

STUB_PORT="$(free_port)"
node "$E2E/stubs/replay.mjs" "$STUB_PORT" >"$HARNESS_WORK/stub.log" 2>&1 &
HARNESS_PIDS+=($!)
STUB_URL="http://127.0.0.1:$STUB_PORT"

start_proxy "${ACC_E2E_REDIS_DB:-9}"

TENANT="$(new_tenant e2e)"
KEY="$(new_key "$TENANT" '{"name":"e2e"}')"
LIMITED_KEY="$(new_key "$TENANT" '{"name":"e2e-limited","models":["mock-small"]}')"
add_deployment replay-openai openai gpt-4o-mini "$STUB_URL/openai/v1" sk-stub-openai
add_deployment replay-anthropic anthropic claude-sonnet-4-5 "$STUB_URL/anthropic" sk-stub-anthropic
add_deployment replay-broken openai gpt-4o-mini "$STUB_URL/broken/v1" sk-stub-broken
add_deployment replay-limited openai gpt-4o-mini "$STUB_URL/limited/v1" sk-stub-limited
add_route gpt-4o-mini replay-openai
add_route claude-sonnet-4-5 replay-anthropic
# Fallback chains for gateway.test.mjs: a deployment that answers 500, one that answers 429 + Retry-After.
add_route flaky-gpt replay-broken replay-openai
add_route limited-gpt replay-limited replay-openai
routing_changed "$KEY" limited-gpt
RPM_KEY="$(new_key "$TENANT" '{"name":"e2e-rpm","rpmLimit":2}')"

cd "$E2E"
ACC_URL="$ACC_URL" ACC_E2E_KEY="$KEY" ACC_E2E_LIMITED_KEY="$LIMITED_KEY" ACC_E2E_RPM_KEY="$RPM_KEY" ACC_E2E_STUB_URL="$STUB_URL" \
  node --test --test-concurrency=1 tests/
