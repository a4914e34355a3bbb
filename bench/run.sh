#!/usr/bin/env bash
# Latency and throughput of the proxy's LLM hot path on loopback (results: docs/PERFORMANCE.md).
#   1. an nginx stub serves canned OpenAI answers (plain JSON and an SSE stream) — the "provider";
#      proxy-service gets deployments pointing at it, plus the built-in mock;
#   2. after an unmeasured warm-up (the proxy's JIT), max throughput with wrk (closed loop,
#      64 connections): direct, proxied, mock;
#   3. unloaded latency with wrk -c1 (one request at a time): the cleanest "added latency";
#   4. fixed rates (200, 500, 1000/s) with bench/LoadGen.java (constant-rate open model, latency from
#      each request's due time), direct vs proxied, non-streaming and streaming; added = proxy - direct;
#   5. budgets ON: the same calls with a key of a tenant that has a hard tenant budget and a hard key budget
#      (limits never reached), so every call reserves and settles in Redis; reported against budgets off;
#   6. the proxy's RSS after the runs.
# Bounded: BENCH_SECONDS (default 10) per measurement, about 15 minutes in all. Loopback only.
# BENCH_RATES (default "200 500 1000"; "" skips the fixed-rate runs), BENCH_ROUNDS (default 4: off/on rounds
# of the unloaded budget measurement), BENCH_RATE_ROUNDS (default 3: off/on rounds per fixed rate).
# Usage: bash bench/run.sh [--quick|--budgets]
#   --quick:   3 s per measurement, rates 200 and 500
#   --budgets: only step 5 (budgets off vs on: wrk -c1, then fixed rates), after the same JIT warm-up; ~11 min
set -euo pipefail

HARNESS_NAME=bench
# shellcheck source=../e2e/lib/proxy-harness.sh
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib/proxy-harness.sh"
trap harness_cleanup EXIT

SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
read -r -a RATES <<<"${BENCH_RATES-200 500 1000}"  # BENCH_RATES="" skips the fixed-rate runs
ONLY_BUDGETS=false
case "${1:-}" in
  --quick) SECONDS_PER_RUN=3; RATES=(200 500); : "${BENCH_ROUNDS:=2}" "${BENCH_RATE_ROUNDS:=1}" ;;
  --budgets) ONLY_BUDGETS=true ;;
  "") ;;
  *) echo "usage: bash bench/run.sh [--quick|--budgets]" >&2; exit 2 ;;
esac

if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  hlog "installing nginx and wrk"
  apt-get install -y -qq nginx wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nginx wrk >/dev/null; }
fi

ensure_pg_redis
build_if_stale
fresh_database "${ACC_BENCH_DB:-acc_bench}"

# --- nginx stub provider ------------------------------------------------------------------------------
NGINX_PORT="$(free_port)"
NG="$HARNESS_WORK/nginx"
mkdir -p "$NG"
PLAIN='{"id":"chatcmpl-bench","object":"chat.completion","created":1730000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Benchmark answer with a few words in it.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0}},"system_fingerprint":"fp_bench"}'
chunk() { printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1730000000,"model":"gpt-4o-mini","choices":[%s],"usage":%s}\n\n' "$1" "$2"; }
STREAM="$(chunk '{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}' null
for w in Benchmark answer with a few words in it.; do chunk "{\"index\":0,\"delta\":{\"content\":\" $w\"},\"finish_reason\":null}" null; done
chunk '{"index":0,"delta":{},"finish_reason":"stop"}' null
chunk '' '{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29}'
printf 'data: [DONE]\n\n')"
STREAM_ESCAPED="${STREAM//\'/\\\'}"
cat >"$NG/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
user root;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NG/body;
  proxy_temp_path $NG/proxy;
  fastcgi_temp_path $NG/fastcgi;
  uwsgi_temp_path $NG/uwsgi;
  scgi_temp_path $NG/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location = /plain/v1/chat/completions { default_type application/json; return 200 '$PLAIN'; }
    location = /stream/v1/chat/completions { default_type text/event-stream; return 200 '$STREAM_ESCAPED'; }
  }
}
NGINX
nginx -c "$NG/nginx.conf" -p "$NG" &
HARNESS_PIDS+=($!)
for _ in $(seq 1 20); do curl -fs -X POST "http://127.0.0.1:$NGINX_PORT/plain/v1/chat/completions" >/dev/null && break; sleep 0.2; done

# --- proxy, tenant, key, deployments ------------------------------------------------------------------
PROXY_JAVA_OPTS="${PROXY_JAVA_OPTS:--Xmx512m}" start_proxy "${ACC_BENCH_REDIS_DB:-10}"
TENANT="$(new_tenant bench)"
KEY="$(new_key "$TENANT" '{"name":"bench"}')"
add_deployment bench-plain openai-compatible gpt-4o-mini "http://127.0.0.1:$NGINX_PORT/plain/v1"
add_deployment bench-stream openai-compatible gpt-4o-mini "http://127.0.0.1:$NGINX_PORT/stream/v1"
add_route bench-plain bench-plain
add_route bench-stream bench-stream
routing_changed "$KEY" bench-stream

# --- budgets ON: another tenant whose key is under a hard tenant budget and a hard key budget (USD 1,000,000
# each: never refused), so each of its calls runs the reserve and settle scripts; the first tenant has none.
BTENANT="$(new_tenant bench-budgets)"
BKEY_JSON="$(admin_post "/admin/v1/tenants/$BTENANT/keys" '{"name":"bench-budgets"}')"
BKEY="$(json_field key <<<"$BKEY_JSON")"
BKEY_ID="$(json_field id <<<"$BKEY_JSON")"
"${PSQL[@]}" -d "$HARNESS_DB" -c "INSERT INTO budgets (id, tenant_id, scope_type, scope_id, period, limit_micros, mode) VALUES
  (gen_random_uuid(), '$BTENANT', 'tenant', NULL, 'monthly', 1000000000000, 'hard'),
  (gen_random_uuid(), '$BTENANT', 'key', '$BKEY_ID', 'monthly', 1000000000000, 'hard')" >/dev/null
# No budget-service here: mark the tenant's counters complete as its rebuild would (else hard budgets answer 503).
redis-cli -p "$REDIS_PORT" -n "$PROXY_REDIS_DB" set "acc:budget:{$BTENANT}:synced" 1 >/dev/null
redis-cli -p "$REDIS_PORT" -n "$PROXY_REDIS_DB" publish acc:budgets:changed "{\"tenantId\":\"$BTENANT\",\"change\":\"created\"}" >/dev/null
budget_counters() { redis-cli -p "$REDIS_PORT" -n "$PROXY_REDIS_DB" --scan --pattern "acc:budget:{$BTENANT}:c:*"; }
for _ in $(seq 1 50); do
  curl -fs -o /dev/null -H "Authorization: Bearer $BKEY" -H 'content-type: application/json' \
    -d '{"model":"bench-plain","messages":[{"role":"user","content":"budget probe"}]}' "$ACC_URL/v1/chat/completions"
  [ "$(budget_counters | wc -l)" -ge 2 ] && break
  sleep 0.2
done
[ "$(budget_counters | wc -l)" -ge 2 ] || { hlog "the proxy never applied the bench budgets"; exit 1; }

body() { printf '{"model":"%s","stream":%s,"messages":[{"role":"user","content":"Benchmark prompt: say something short."}]}' "$1" "$2" >"$HARNESS_WORK/$3"; }
body bench-plain false plain.json
body bench-stream true stream.json
body mock-small false mock.json

CP="$HARNESS_ROOT/proxy-service/target/quarkus-app/lib/main/*"
mkdir -p "$HARNESS_WORK/loadgen"
javac -nowarn -d "$HARNESS_WORK/loadgen" -cp "$CP" "$HARNESS_ROOT/bench/LoadGen.java" 2>>"$HARNESS_WORK/loadgen.log"
val() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }
sub() { python3 -c "print(f'{float(\"$1\") - float(\"$2\"):.3f}')"; }

DIRECT="http://127.0.0.1:$NGINX_PORT"
# --- max throughput with wrk -------------------------------------------------------------------------
cat >"$HARNESS_WORK/post.lua" <<'LUA'
local f = io.open(os.getenv("BENCH_BODY"), "r")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
LUA
wrkrun() {  # URL BODY AUTH -> "req/s errors"
  local out
  out="$(BENCH_BODY="$2" BENCH_AUTH="$3" wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --latency -s "$HARNESS_WORK/post.lua" "$1" 2>&1)"
  local rps errs
  rps="$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' <<<"$out")"
  errs="$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' <<<"$out")"
  echo "${rps:-0} ${errs:-0}"
}
THROUGHPUT="$HARNESS_WORK/throughput.txt"
hlog "warming up the proxy's JIT (wrk, not measured)"
wrkrun "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/plain.json" "Bearer $KEY" >/dev/null
wrkrun "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/stream.json" "Bearer $KEY" >/dev/null
wrkrun "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/plain.json" "Bearer $BKEY" >/dev/null
c1() {  # URL BODY AUTH -> "p50 p99" of wrk -c1 (one request at a time: no queueing)
  local out
  out="$(BENCH_BODY="$2" BENCH_AUTH="$3" wrk -t1 -c1 -d"${SECONDS_PER_RUN}s" --latency -s "$HARNESS_WORK/post.lua" "$1" 2>&1)"
  echo "$(sed -n 's/^ *50% *\(.*\)$/\1/p' <<<"$out") $(sed -n 's/^ *99% *\(.*\)$/\1/p' <<<"$out")"
}
: >"$THROUGHPUT"
if ! $ONLY_BUDGETS; then
hlog "max throughput with wrk"
{
  echo
  echo "## Max throughput (wrk -t2 -c64, ${SECONDS_PER_RUN}s, closed loop)"
  echo "| target | req/s | non-2xx |"
  echo "|---|---|---|"
  read -r r e <<<"$(wrkrun "$DIRECT/plain/v1/chat/completions" "$HARNESS_WORK/plain.json" "")"; echo "| nginx direct, plain | $r | $e |"
  read -r r e <<<"$(wrkrun "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/plain.json" "Bearer $KEY")"; echo "| proxy -> nginx, plain | $r | $e |"
  read -r r e <<<"$(wrkrun "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/stream.json" "Bearer $KEY")"; echo "| proxy -> nginx, stream | $r | $e |"
  read -r r e <<<"$(wrkrun "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/mock.json" "Bearer $KEY")"; echo "| proxy -> built-in mock (no upstream) | $r | $e |"
} >>"$THROUGHPUT"

hlog "unloaded latency with wrk -c1"
{
  echo
  echo "## Unloaded latency (wrk -t1 -c1, ${SECONDS_PER_RUN}s: one request at a time, no queueing)"
  echo "| target | p50 | p99 |"
  echo "|---|---|---|"
  read -r a b <<<"$(c1 "$DIRECT/plain/v1/chat/completions" "$HARNESS_WORK/plain.json" "")"; echo "| nginx direct, plain | $a | $b |"
  read -r a b <<<"$(c1 "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/plain.json" "Bearer $KEY")"; echo "| proxy -> nginx, plain | $a | $b |"
  read -r a b <<<"$(c1 "$DIRECT/stream/v1/chat/completions" "$HARNESS_WORK/stream.json" "")"; echo "| nginx direct, stream | $a | $b |"
  read -r a b <<<"$(c1 "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/stream.json" "Bearer $KEY")"; echo "| proxy -> nginx, stream | $a | $b |"
  read -r a b <<<"$(c1 "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/mock.json" "Bearer $KEY")"; echo "| proxy -> built-in mock | $a | $b |"
} >>"$THROUGHPUT"
fi

us() { python3 -c "import sys; v=sys.argv[1]; u=v.lstrip('0123456789.'); n=float(v[:len(v)-len(u)]); print(round(n*{'us':1,'ms':1000,'s':1e6}[u]))" "$1"; }
median() { python3 -c "import sys,statistics; print(round(statistics.median(float(x) for x in sys.argv[1:])))" "$@"; }
# The proxy's own timer of the reserve step (acc_budget_reservation_seconds, quantile over its last ~minute), in µs.
reservation_quantile() { curl -fs "$ACC_URL/q/metrics" | awk -v q="$1" '$1 == "acc_budget_reservation_seconds{quantile=\""q"\"}" { printf "%d", $2 * 1e6 }'; }
ROUNDS="${BENCH_ROUNDS:-4}"
hlog "budget reservation cost with wrk -c1: $ROUNDS rounds of budgets off then on, ${SECONDS_PER_RUN}s each"
{
  echo
  echo "## Budget reservation cost, unloaded (wrk -t1 -c1; $ROUNDS rounds of off then on, ${SECONDS_PER_RUN}s each; medians over the rounds; off = tenant without budgets, on = hard tenant + hard key budget)"
  echo "| target | p50 off | p50 on | **added p50** (median of per-round differences) | per-round added p50 | p99 off | p99 on | proxy's reserve timer p50 / p99 |"
  echo "|---|---|---|---|---|---|---|---|"
  for t in plain mock; do
    offs=(); ons=(); adds=(); off99=(); on99=()
    for _ in $(seq 1 "$ROUNDS"); do
      read -r a b <<<"$(c1 "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/$t.json" "Bearer $KEY")"
      read -r c d <<<"$(c1 "$ACC_URL/v1/chat/completions" "$HARNESS_WORK/$t.json" "Bearer $BKEY")"
      offs+=("$(us "$a")"); ons+=("$(us "$c")"); adds+=("$(( $(us "$c") - $(us "$a") ))"); off99+=("$(us "$b")"); on99+=("$(us "$d")")
    done
    timer="$(reservation_quantile 0.5) µs / $(reservation_quantile 0.99) µs"
    echo "| proxy -> $([ "$t" = plain ] && echo nginx || echo built-in mock) | $(median "${offs[@]}") µs | $(median "${ons[@]}") µs | **$(median "${adds[@]}") µs** | ${adds[*]} | $(median "${off99[@]}") µs | $(median "${on99[@]}") µs | $timer |"
  done
} >>"$THROUGHPUT"


SCENARIOS="$HARNESS_WORK/scenarios.tsv"
: >"$SCENARIOS"
RATE_ROUNDS="${BENCH_RATE_ROUNDS:-3}"
scenario() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$SECONDS_PER_RUN" "$HARNESS_WORK/$4.json" "$5" >>"$SCENARIOS"; }
for mode in plain stream; do
  for rate in "${RATES[@]}"; do
    $ONLY_BUDGETS || scenario "direct-$mode-$rate" "$DIRECT/$mode/v1/chat/completions" "$rate" "$mode" ""
    # Budgets off and on alternate, RATE_ROUNDS times: slow drifts of a shared machine hit both alike.
    for r in $(seq 1 "$RATE_ROUNDS"); do
      scenario "proxy-$mode-$rate-r$r" "$ACC_URL/v1/chat/completions" "$rate" "$mode" "Bearer $KEY"
      scenario "budgets-$mode-$rate-r$r" "$ACC_URL/v1/chat/completions" "$rate" "$mode" "Bearer $BKEY"
    done
  done
done
OUT=""
if [ -s "$SCENARIOS" ]; then
  hlog "fixed-rate runs (each after ${WARMUP:=3}s of unmeasured warm-up at its rate)"
  OUT="$(java -Xmx256m -cp "$HARNESS_WORK/loadgen:$CP" LoadGen "$SCENARIOS" "$WARMUP" 2>>"$HARNESS_WORK/loadgen.log")"
fi
printf '%s\n' "$OUT" | while read -r line; do hlog "$line"; done
line() { grep "^$1 " <<<"$OUT"; }
# rounds NAME FIELD: the field of each round of a scenario, space separated.
rounds() { local r out=(); for r in $(seq 1 "$RATE_ROUNDS"); do out+=("$(val "$2" "$(line "$1-r$r")")"); done; echo "${out[*]}"; }
fmedian() { python3 -c "import sys,statistics; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.3f}')" "$@"; }

RESULTS="$HARNESS_WORK/results.txt"
: >"$RESULTS"
if ! $ONLY_BUDGETS; then
{
  echo "## Fixed-rate latency (LoadGen, ${SECONDS_PER_RUN}s per run after ${WARMUP}s warm-up; ms; added = proxy - direct; proxy = its first round)"
  printf '| mode | rate/s | direct p50 | proxy p50 | added p50 | direct p99 | proxy p99 | added p99 | proxy TTFB p50 | achieved rps (proxy) | errors (direct/proxy) |\n'
  printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
} >>"$RESULTS"
for mode in plain stream; do
  for rate in "${RATES[@]}"; do
    d="$(line "direct-$mode-$rate")"
    p="$(line "proxy-$mode-$rate-r1")"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s/%s |\n' "$mode" "$rate" \
      "$(val p50_ms "$d")" "$(val p50_ms "$p")" "$(sub "$(val p50_ms "$p")" "$(val p50_ms "$d")")" \
      "$(val p99_ms "$d")" "$(val p99_ms "$p")" "$(sub "$(val p99_ms "$p")" "$(val p99_ms "$d")")" \
      "$(val ttfb_p50_ms "$p")" "$(val achieved_rps "$p")" "$(val errors "$d")" "$(val errors "$p")" >>"$RESULTS"
  done
done
fi

{
  echo
  echo "## Budgets on vs off at fixed rates (LoadGen, ms; $RATE_ROUNDS rounds of off then on, ${SECONDS_PER_RUN}s each; medians over the rounds; on = hard tenant + hard key budget: reserve + settle scripts per call)"
  printf '| mode | rate/s | proxy p50 off | proxy p50 on | **reservation added p50** (median of per-round differences) | per-round added p50 | proxy p99 off | proxy p99 on | achieved rps (on) | errors (on) |\n'
  printf '|---|---|---|---|---|---|---|---|---|---|\n'
  for mode in plain stream; do
    for rate in "${RATES[@]}"; do
      read -r -a off <<<"$(rounds "proxy-$mode-$rate" p50_ms)"
      read -r -a on <<<"$(rounds "budgets-$mode-$rate" p50_ms)"
      adds=()
      for i in "${!off[@]}"; do adds+=("$(sub "${on[$i]}" "${off[$i]}")"); done
      read -r -a err <<<"$(rounds "budgets-$mode-$rate" errors)"
      read -r -a rps <<<"$(rounds "budgets-$mode-$rate" achieved_rps)"
      printf '| %s | %s | %s | %s | **%s** | %s | %s | %s | %s | %s |\n' "$mode" "$rate" "$(fmedian "${off[@]}")" "$(fmedian "${on[@]}")" \
        "$(fmedian "${adds[@]}")" "${adds[*]}" "$(fmedian $(rounds "proxy-$mode-$rate" p99_ms))" \
        "$(fmedian $(rounds "budgets-$mode-$rate" p99_ms))" "$(median "${rps[@]}")" "$(( ${err[*]/%/+} 0 ))"
    done
  done
  echo
  echo "Budget counters after the runs (micro-USD):"
  for k in $(budget_counters); do
    echo "* \`$k\`: spent $(redis-cli -p "$REDIS_PORT" -n "$PROXY_REDIS_DB" hget "$k" spent), reserved $(redis-cli -p "$REDIS_PORT" -n "$PROXY_REDIS_DB" hget "$k" reserved)"
  done
} >>"$RESULTS"
{
  cat "$THROUGHPUT"
  echo
  echo "Proxy RSS after the runs: $(( $(ps -o rss= -p "$PROXY_PID") / 1024 )) MiB (JVM -Xmx512m; $(nproc) cores shared by load generator, proxy, nginx, Redis, Postgres)"
  echo "Usage events appended: $(redis-cli -p "$REDIS_PORT" -n "$PROXY_REDIS_DB" xlen acc:usage)"
} >>"$RESULTS"
echo
cat "$RESULTS"
