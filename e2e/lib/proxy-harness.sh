# Shared by e2e/run.sh and bench/run.sh: bring up Postgres/Redis if absent, build proxy-service
# when stale, make a fresh migrated database, start the proxy on a free port, seed through the
# operator API. Source it, then call the functions; every process started is stopped by harness_cleanup.
# shellcheck shell=bash

HARNESS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PG_HOST="${ACC_E2E_PG_HOST:-127.0.0.1}"
PG_PORT="${ACC_E2E_PG_PORT:-5432}"
PG_USER="${ACC_E2E_PG_USER:-postgres}"
PG_PASSWORD="${ACC_E2E_PG_PASSWORD:-}"
REDIS_PORT="${ACC_E2E_REDIS_PORT:-6379}"
HARNESS_PIDS=()
HARNESS_WORK="$(mktemp -d "${TMPDIR:-/tmp}/acc-harness.XXXXXX")"
PSQL=(psql -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER")
RUNNER="$HARNESS_ROOT/proxy-service/target/quarkus-app/quarkus-run.jar"

hlog() { printf '%s: %s\n' "${HARNESS_NAME:-harness}" "$*" >&2; }

harness_cleanup() {
  local code=$?
  for pid in "${HARNESS_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  if [ "$code" -ne 0 ] && [ -f "$HARNESS_WORK/proxy.log" ]; then
    hlog "proxy log (last 40 lines):"
    tail -n 40 "$HARNESS_WORK/proxy.log" >&2 || true
  fi
  rm -rf "$HARNESS_WORK"
  exit "$code"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

HARNESS_OPS=""

# With the project's scripts/lib.sh (./acc's helpers) Postgres and Redis come up its way (peer or
# trust auth, fresh machines included) and the proxy logs in as its own password role; without
# it, a local server with trust auth for user postgres on 127.0.0.1 is assumed or started.
ensure_pg_redis() {
  if [ -f "$HARNESS_ROOT/scripts/lib.sh" ] && grep -q '^psql_admin()' "$HARNESS_ROOT/scripts/lib.sh"; then
    # shellcheck source=/dev/null
    . "$HARNESS_ROOT/scripts/lib.sh"
    ensure_postgres
    ensure_redis "$REDIS_PORT"
    HARNESS_OPS=1
    PG_USER=acc_harness
    PG_PASSWORD=acc_harness
    ensure_pg_role "$PG_USER" "$PG_PASSWORD"
    PSQL=(env PGPASSWORD="$PG_PASSWORD" psql -X -q -w -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER")
    return 0
  fi
  if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then
    if ! command -v pg_ctlcluster >/dev/null; then
      hlog "installing PostgreSQL"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    for v in /etc/postgresql/*; do pg_ctlcluster "$(basename "$v")" main start 2>/dev/null || true; done
    for _ in $(seq 1 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || { hlog "PostgreSQL is not reachable on $PG_HOST:$PG_PORT"; return 1; }
  fi
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no >/dev/null
    for _ in $(seq 1 20); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.25; done
  fi
}

build_if_stale() {
  MIGRATIONS_JAR="$(ls "$HARNESS_ROOT"/migrations/target/acc-migrations-*.jar 2>/dev/null | head -n1 || true)"
  if [ ! -f "$RUNNER" ] || [ -z "$MIGRATIONS_JAR" ] \
     || [ -n "$(find "$HARNESS_ROOT/proxy-service/src/main" "$HARNESS_ROOT/proxy-service/pom.xml" "$HARNESS_ROOT/migrations/src" \
          "$HARNESS_ROOT/platform/service-kit/src/main" "$HARNESS_ROOT/proxy-service/llm-translate/src/main" \
          "$HARNESS_ROOT/router-service/pricing-core/src/main" "$HARNESS_ROOT/security-service/security-core/src/main" -newer "$RUNNER" -print -quit 2>/dev/null)" ]; then
    hlog "building proxy-service and migrations"
    (cd "$HARNESS_ROOT" && ./mvnw -B -q -pl migrations,proxy-service -am package -DskipTests)
    MIGRATIONS_JAR="$(ls "$HARNESS_ROOT"/migrations/target/acc-migrations-*.jar | head -n1)"
  fi
}

# fresh_database NAME: drop, create and migrate.
fresh_database() {
  HARNESS_DB="$1"
  if [ -n "$HARNESS_OPS" ]; then
    psql_admin -c "DROP DATABASE IF EXISTS $HARNESS_DB WITH (FORCE)" >/dev/null
    psql_admin -c "CREATE DATABASE $HARNESS_DB OWNER $PG_USER" >/dev/null
  else
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $HARNESS_DB WITH (FORCE)" -c "CREATE DATABASE $HARNESS_DB" >/dev/null
  fi
  ACC_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$HARNESS_DB" ACC_DB_USER="$PG_USER" ACC_DB_PASSWORD="$PG_PASSWORD" \
    java -jar "$MIGRATIONS_JAR" >/dev/null
}

# start_proxy REDIS_DB [extra env assignments...]: sets ACC_URL, PROXY_PID, SECRET_KEY, ADMIN_TOKEN.
start_proxy() {
  local redis_db="$1"
  shift
  redis-cli -p "$REDIS_PORT" -n "$redis_db" flushdb >/dev/null
  SECRET_KEY="$(openssl rand -base64 32)"
  ADMIN_TOKEN="$(openssl rand -hex 24)"
  PROXY_REDIS_DB="$redis_db"
  local port
  port="$(free_port)"
  ACC_URL="http://127.0.0.1:$port"
  mkdir -p "$HARNESS_WORK/config"
  env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u OPENROUTER_API_KEY \
    PORT="$port" ACC_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$HARNESS_DB" ACC_DB_USER="$PG_USER" \
    ACC_DB_PASSWORD="$PG_PASSWORD" ACC_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$redis_db" \
    ACC_SECRET_KEY="$SECRET_KEY" ACC_INTERNAL_SECRET="$(openssl rand -hex 32)" ACC_ADMIN_TOKEN="$ADMIN_TOKEN" \
    ACC_CONFIG_DIR="$HARNESS_WORK/config" "$@" \
    java ${PROXY_JAVA_OPTS:-} -jar "$RUNNER" >"$HARNESS_WORK/proxy.log" 2>&1 &
  PROXY_PID=$!
  HARNESS_PIDS+=("$PROXY_PID")
  for _ in $(seq 1 120); do
    curl -fs "$ACC_URL/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "$ACC_URL/q/health/ready" >/dev/null || { hlog "proxy-service did not become ready"; return 1; }
  hlog "proxy-service ready at $ACC_URL"
}

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
admin_post() { curl -fsS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d "$2" "$ACC_URL$1"; }

# new_tenant NAME: prints the tenant id.
new_tenant() { admin_post /admin/v1/tenants "{\"name\":\"$1\"}" | json_field id; }
# new_key TENANT BODY-JSON: prints the key.
new_key() { admin_post "/admin/v1/tenants/$1/keys" "$2" | json_field key; }

# seal PLAINTEXT DEPLOYMENT_ID: router-service's credential form, AES-256-GCM bound to the deployment id
# as associated data: v1:base64(iv || ciphertext || tag).
seal() {
  SECRET="$SECRET_KEY" PLAIN="$1" AAD="$2" node -e '
    const c = require("crypto"); const key = Buffer.from(process.env.SECRET, "base64"); const iv = c.randomBytes(12);
    const ci = c.createCipheriv("aes-256-gcm", key, iv); ci.setAAD(Buffer.from(process.env.AAD, "utf8"));
    const ct = Buffer.concat([ci.update(process.env.PLAIN, "utf8"), ci.final()]);
    process.stdout.write("v1:" + Buffer.concat([iv, ct, ci.getAuthTag()]).toString("base64"));'
}

# add_deployment NAME PROVIDER MODEL BASE_URL [CREDENTIAL]: an operator-level deployment and a route MODEL_ALIAS=NAME.
add_deployment() {
  local id cipher=NULL
  id="$(python3 -c 'import uuid; print(uuid.uuid4())')"
  if [ -n "${5:-}" ]; then cipher="'$(seal "$5" "$id")'"; fi
  "${PSQL[@]}" -d "$HARNESS_DB" -c "INSERT INTO deployments (id, name, provider, model, base_url, api_key_ciphertext)
    VALUES ('$id', '$1', '$2', '$3', '$4', $cipher)" >/dev/null
}

# add_route MODEL DEPLOYMENT...
add_route() {
  local model="$1"
  shift
  local list
  list="$(printf "'%s'," "$@")"
  "${PSQL[@]}" -d "$HARNESS_DB" -c "INSERT INTO routes (id, model, deployments) VALUES (gen_random_uuid(), '$model', ARRAY[${list%,}])" >/dev/null
}

# routing_changed KEY MODEL: tells the proxy to reload its routing snapshot and waits until MODEL is listed.
routing_changed() {
  redis-cli -p "$REDIS_PORT" -n "$PROXY_REDIS_DB" publish acc:routing:changed harness >/dev/null
  for _ in $(seq 1 50); do
    curl -fs -H "Authorization: Bearer $1" "$ACC_URL/v1/models" | grep -q "\"$2\"" && return 0
    sleep 0.2
  done
  hlog "routing snapshot did not pick up $2"
  return 1
}
