#!/usr/bin/env bash
# Real-client suite: drives a freshly started proxy-service with the official OpenAI and Anthropic
# SDKs (node --test), against the built-in mock provider and replay stubs of real provider answers.
# Idempotent set-up: npm ci when needed, Postgres/Redis started when absent, proxy built when stale,
# database acc_e2e recreated and migrated, tenant/keys/deployments seeded with SQL.
# Called by `./acc test` after the Maven tests; runs alone too: bash e2e/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/e2e"
PG_HOST="${ACC_E2E_PG_HOST:-127.0.0.1}"
PG_PORT="${ACC_E2E_PG_PORT:-5432}"
PG_USER="${ACC_E2E_PG_USER:-postgres}"
REDIS_PORT="${ACC_E2E_REDIS_PORT:-6379}"
REDIS_DB="${ACC_E2E_REDIS_DB:-9}"
DB=acc_e2e
WORK="$(mktemp -d "${TMPDIR:-/tmp}/acc-e2e.XXXXXX")"
PIDS=()

log() { printf 'e2e: %s\n' "$*" >&2; }

cleanup() {
  local code=$?
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  if [ "$code" -ne 0 ] && [ -f "$WORK/proxy.log" ]; then
    log "proxy log (last 40 lines):"
    tail -n 40 "$WORK/proxy.log" >&2 || true
  fi
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# --- node dependencies ---------------------------------------------------------------------------
if [ ! -d "$E2E/node_modules" ] || [ "$E2E/package-lock.json" -nt "$E2E/node_modules/.package-lock.json" ]; then
  log "installing SDKs (npm ci)"
  (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- Postgres and Redis ---------------------------------------------------------------------------
if [ -f "$ROOT/scripts/lib.sh" ] && grep -q 'ensure_postgres' "$ROOT/scripts/lib.sh"; then
  # shellcheck source=/dev/null
  . "$ROOT/scripts/lib.sh"
  ensure_postgres
fi
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null; then
    log "installing PostgreSQL"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  for v in /etc/postgresql/*; do pg_ctlcluster "$(basename "$v")" main start 2>/dev/null || true; done
  for _ in $(seq 1 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || { log "PostgreSQL is not reachable on $PG_HOST:$PG_PORT"; exit 1; }
fi
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no >/dev/null
  for _ in $(seq 1 20); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.25; done
fi
redis-cli -p "$REDIS_PORT" -n "$REDIS_DB" flushdb >/dev/null

# --- build (only when stale) ----------------------------------------------------------------------
RUNNER="$ROOT/proxy-service/target/quarkus-app/quarkus-run.jar"
MIGRATIONS_JAR="$(ls "$ROOT"/migrations/target/acc-migrations-*.jar 2>/dev/null | head -n1 || true)"
if [ ! -f "$RUNNER" ] || [ -z "$MIGRATIONS_JAR" ] \
   || [ -n "$(find "$ROOT/proxy-service/src/main" "$ROOT/proxy-service/pom.xml" "$ROOT/migrations/src" \
        "$ROOT/proxy-service/llm-translate/src/main" "$ROOT/router-service/pricing-core/src/main" -newer "$RUNNER" -print -quit 2>/dev/null)" ]; then
  log "building proxy-service and migrations"
  (cd "$ROOT" && ./mvnw -B -q -pl migrations,proxy-service -am package -DskipTests)
  MIGRATIONS_JAR="$(ls "$ROOT"/migrations/target/acc-migrations-*.jar | head -n1)"
fi

# --- database ---------------------------------------------------------------------------------------
PSQL=(psql -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER")
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
ACC_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" ACC_DB_USER="$PG_USER" ACC_DB_PASSWORD="${ACC_E2E_PG_PASSWORD:-}" \
  java -jar "$MIGRATIONS_JAR" >/dev/null

# --- replay stub ------------------------------------------------------------------------------------
STUB_PORT="$(free_port)"
node "$E2E/stubs/replay.mjs" "$STUB_PORT" >"$WORK/stub.log" 2>&1 &
PIDS+=($!)
STUB_URL="http://127.0.0.1:$STUB_PORT"

# --- proxy ------------------------------------------------------------------------------------------
SECRET_KEY="$(openssl rand -base64 32)"
ADMIN_TOKEN="$(openssl rand -hex 24)"
PORT="$(free_port)"
ACC_URL="http://127.0.0.1:$PORT"
mkdir -p "$WORK/config"
env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u OPENROUTER_API_KEY \
  PORT="$PORT" ACC_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB" ACC_DB_USER="$PG_USER" \
  ACC_DB_PASSWORD="${ACC_E2E_PG_PASSWORD:-}" ACC_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$REDIS_DB" \
  ACC_SECRET_KEY="$SECRET_KEY" ACC_INTERNAL_SECRET="$(openssl rand -hex 32)" ACC_ADMIN_TOKEN="$ADMIN_TOKEN" \
  ACC_CONFIG_DIR="$WORK/config" \
  java -jar "$RUNNER" >"$WORK/proxy.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do
  curl -fs "$ACC_URL/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "$ACC_URL/q/health/ready" >/dev/null || { log "proxy-service did not become ready"; exit 1; }
log "proxy-service ready on port $PORT"

# --- seed: tenant and keys through the operator API, deployments and routes as router-service stores them
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
admin() { curl -fsS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d "$2" "$ACC_URL$1"; }
TENANT="$(admin /admin/v1/tenants '{"name":"e2e"}' | json_field id)"
KEY="$(admin "/admin/v1/tenants/$TENANT/keys" '{"name":"e2e"}' | json_field key)"
LIMITED_KEY="$(admin "/admin/v1/tenants/$TENANT/keys" '{"name":"e2e-limited","models":["mock-small"]}' | json_field key)"

# router-service (not started here) seals credentials with AES-256-GCM bound to the deployment id:
# v1:base64(iv || ciphertext || tag), associated data = the deployment id.
seal() {
  SECRET="$SECRET_KEY" PLAIN="$1" AAD="$2" node -e '
    const c = require("crypto"); const key = Buffer.from(process.env.SECRET, "base64"); const iv = c.randomBytes(12);
    const ci = c.createCipheriv("aes-256-gcm", key, iv); ci.setAAD(Buffer.from(process.env.AAD, "utf8"));
    const ct = Buffer.concat([ci.update(process.env.PLAIN, "utf8"), ci.final()]);
    process.stdout.write("v1:" + Buffer.concat([iv, ct, ci.getAuthTag()]).toString("base64"));'
}
uuid() { python3 -c 'import uuid; print(uuid.uuid4())'; }
OPENAI_DEP="$(uuid)"
ANTHROPIC_DEP="$(uuid)"
"${PSQL[@]}" -d "$DB" >/dev/null <<SQL
INSERT INTO deployments (id, name, provider, model, base_url, api_key_ciphertext) VALUES
  ('$OPENAI_DEP', 'replay-openai', 'openai', 'gpt-4o-mini', '$STUB_URL/openai/v1', '$(seal sk-stub-openai "$OPENAI_DEP")'),
  ('$ANTHROPIC_DEP', 'replay-anthropic', 'anthropic', 'claude-sonnet-4-5', '$STUB_URL/anthropic', '$(seal sk-stub-anthropic "$ANTHROPIC_DEP")');
INSERT INTO routes (id, model, deployments) VALUES
  (gen_random_uuid(), 'gpt-4o-mini', ARRAY['replay-openai']),
  (gen_random_uuid(), 'claude-sonnet-4-5', ARRAY['replay-anthropic']);
SQL
redis-cli -p "$REDIS_PORT" -n "$REDIS_DB" publish acc:routing:changed e2e >/dev/null
for _ in $(seq 1 50); do
  curl -fs -H "Authorization: Bearer $KEY" "$ACC_URL/v1/models" | grep -q claude-sonnet-4-5 && break
  sleep 0.2
done

# --- suite ------------------------------------------------------------------------------------------
cd "$E2E"
ACC_URL="$ACC_URL" ACC_E2E_KEY="$KEY" ACC_E2E_LIMITED_KEY="$LIMITED_KEY" ACC_E2E_STUB_URL="$STUB_URL" \
  node --test --test-concurrency=1 tests/
