# shellcheck shell=bash
# Shared functions of ./acc (sourced, never run). Everything here is idempotent: each step
# first checks whether its work is already done, so `./acc up` and `./acc test` can run any
# number of times on a fresh Debian machine or on one where Postgres and Redis already run.

ACC_ROOT="${ACC_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
ACC_STATE="$ACC_ROOT/.acc"
ACC_LOGS="$ACC_STATE/logs"
ACC_PIDS="$ACC_STATE/pids"

# The services of the suite, in start order. The HTTP port of each comes from its own
# application.properties (quarkus.http.port=${PORT:NNNN}), so the code stays the one source.
ACC_SERVICES=(proxy-service budget-service router-service security-service analytics-service billing-service gateway-adapter)

ACC_PG_HOST=127.0.0.1
ACC_PG_PORT="${ACC_PG_PORT:-5432}"

# ---------------------------------------------------------------------------------- output

log()  { printf '%s\n' "acc: $*" >&2; }
warn() { printf '%s\n' "acc: warning: $*" >&2; }
die()  { printf '%s\n' "acc: error: $*" >&2; exit 1; }

# ------------------------------------------------------------------------------ privileges

# Runs a command as root: directly when we are root, else through sudo when it is available.
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "'$*' needs root; run as root or install sudo"
    fi
}

# Runs a command as the OS user postgres (peer authentication over the local socket).
as_postgres() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        sudo -n -u postgres -- "$@"
    fi
}

# ------------------------------------------------------------------------------ packages

_ACC_APT_UPDATED=""

# apt-get install the given packages; `apt-get update` runs at most once per invocation.
apt_install() {
    command -v apt-get >/dev/null 2>&1 \
        || die "missing $*, and this is not a Debian/Ubuntu machine: install them yourself"
    if [[ -z "$_ACC_APT_UPDATED" ]]; then
        log "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
        _ACC_APT_UPDATED=1
    fi
    log "apt-get install -y $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
        || die "apt-get install $* failed"
}

require_java() {
    command -v java >/dev/null 2>&1 || die "java not found: install a Java 17+ runtime (e.g. apt-get install openjdk-17-jdk-headless)"
    local v
    v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
    [[ "${v%%.*}" -ge 17 ]] 2>/dev/null || die "Java 17 or newer is required (found ${v:-unknown})"
}

ensure_curl() {
    command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates
}

# --------------------------------------------------------------------------------- probes

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# True when a Redis server answers PING on 127.0.0.1:$1 (raw RESP: no redis-cli needed).
redis_ping() {
    local reply
    reply=$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf 'PING\r\n' >&3 && head -c 5 <&3" 2>/dev/null) || return 1
    [[ "$reply" == "+PONG" ]]
}

# HTTP status of a GET, "000" when nothing answers.
http_status() {
    curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true
}

# Whole seconds from a Quarkus duration such as "30s", "2m", "45" (30 when unreadable).
duration_seconds() {
    local d="${1:-30s}" n
    case "$d" in
        *ms) n=1 ;;
        *s)  n="${d%s}" ;;
        *m)  n="${d%m}"; [[ "$n" =~ ^[0-9]+$ ]] && n=$((n * 60)) ;;
        *)   n="$d" ;;
    esac
    if [[ "$n" =~ ^[0-9]+$ ]]; then echo "$n"; else echo 30; fi
}

# ------------------------------------------------------------------------------- Postgres

pg_ready() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$ACC_PG_HOST" -p "$ACC_PG_PORT" >/dev/null 2>&1
    else
        port_open "$ACC_PG_PORT"
    fi
}

# Makes sure a PostgreSQL server answers on 127.0.0.1:$ACC_PG_PORT: installs the Debian
# package when it is missing, creates the "main" cluster when there is none, starts it when
# it is stopped. A server that already answers (ours or anybody's) is left untouched.
ensure_postgres() {
    if pg_ready; then
        command -v psql >/dev/null 2>&1 || apt_install postgresql-client
        log "postgres: running on $ACC_PG_HOST:$ACC_PG_PORT"
        return 0
    fi
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
        apt_install postgresql
    fi
    local ver
    ver=$(pg_lsclusters -h 2>/dev/null | awk '$2 == "main" { print $1; exit }')
    if [[ -z "$ver" ]]; then
        ver=$(basename "$(compgen -G '/usr/lib/postgresql/*' | sort -V | tail -1)")
        log "postgres: creating cluster $ver/main"
        as_root pg_createcluster "$ver" main >/dev/null || die "pg_createcluster $ver main failed"
    fi
    if ! pg_ready; then
        log "postgres: starting cluster $ver/main"
        as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start \
            || die "could not start PostgreSQL $ver/main (see /var/log/postgresql/postgresql-$ver-main.log)"
    fi
    local deadline=$((SECONDS + 30))
    until pg_ready; do
        (( SECONDS < deadline )) || die "PostgreSQL did not accept connections on $ACC_PG_HOST:$ACC_PG_PORT within 30 s"
        sleep 0.5
    done
    log "postgres: running on $ACC_PG_HOST:$ACC_PG_PORT"
}

_ACC_PSQL_MODE=""

# psql as a superuser. Prefers the OS user postgres over the local socket (peer auth: a fresh
# Debian install); falls back to TCP as user postgres (trust auth, or PGPASSWORD), which is
# how a machine with a trusted 127.0.0.1 (or a Postgres without a local postgres user) works.
psql_admin() {
    if [[ -z "$_ACC_PSQL_MODE" ]]; then
        if id postgres >/dev/null 2>&1 \
            && as_postgres psql -X -q -p "$ACC_PG_PORT" -d postgres -tAc 'select 1' >/dev/null 2>&1; then
            _ACC_PSQL_MODE=peer
        elif psql -X -q -w -h "$ACC_PG_HOST" -p "$ACC_PG_PORT" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
            _ACC_PSQL_MODE=tcp
        else
            die "cannot reach PostgreSQL as a superuser (neither 'runuser -u postgres -- psql' nor 'psql -h $ACC_PG_HOST -U postgres' works)"
        fi
    fi
    if [[ "$_ACC_PSQL_MODE" == peer ]]; then
        as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$ACC_PG_PORT" -d postgres "$@"
    else
        psql -X -q -w -v ON_ERROR_STOP=1 -h "$ACC_PG_HOST" -p "$ACC_PG_PORT" -U postgres -d postgres "$@"
    fi
}

sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

# Creates a login role when it does not exist. $1 role, $2 password, $3 extra attributes.
ensure_pg_role() {
    local role="$1" password="$2" attrs="${3:-}"
    if [[ "$(psql_admin -tAc "select 1 from pg_roles where rolname = $(sql_literal "$role")")" != 1 ]]; then
        log "postgres: creating role $role"
        psql_admin -c "create role \"$role\" login $attrs password $(sql_literal "$password")" >/dev/null
    fi
}

# Creates a database owned by $2 when it does not exist.
ensure_pg_database() {
    local db="$1" owner="$2"
    if [[ "$(psql_admin -tAc "select 1 from pg_database where datname = $(sql_literal "$db")")" != 1 ]]; then
        log "postgres: creating database $db owned by $owner"
        psql_admin -c "create database \"$db\" owner \"$owner\"" >/dev/null
    fi
}

# ---------------------------------------------------------------------------------- Redis

# Makes sure Redis answers PING on 127.0.0.1:$1 (default 6379): installs redis-server when
# missing and starts a non-persistent server when nothing answers.
ensure_redis() {
    local port="${1:-6379}"
    if redis_ping "$port"; then
        log "redis: running on 127.0.0.1:$port"
        return 0
    fi
    port_open "$port" && die "port $port is in use by something that is not Redis"
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server
    log "redis: starting on 127.0.0.1:$port"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save '' --appendonly no >/dev/null \
        || die "redis-server failed to start on port $port"
    local deadline=$((SECONDS + 15))
    until redis_ping "$port"; do
        (( SECONDS < deadline )) || die "Redis did not answer PING on 127.0.0.1:$port within 15 s"
        sleep 0.2
    done
}

# ------------------------------------------------------------------------------- secrets

ensure_state_dirs() {
    ( umask 077; mkdir -p "$ACC_STATE" "$ACC_LOGS" "$ACC_PIDS" )
    chmod 700 "$ACC_STATE"
}

random_b64() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
new_admin_token() { printf 'acc-admin-%s' "$(random_hex 24)"; }

# Prints the value of secret $1: the environment variable $2 when set, else the content of
# .acc/$1, generated once by the command "$3 ..." and kept with mode 600.
secret_value() {
    local name="$1" var="$2"; shift 2
    if [[ -n "${!var:-}" ]]; then
        printf '%s' "${!var}"
        return 0
    fi
    local file="$ACC_STATE/$name"
    if [[ ! -s "$file" ]]; then
        ( umask 077; "$@" > "$file.tmp" && mv "$file.tmp" "$file" )
    fi
    chmod 600 "$file"
    cat "$file"
}

# Exports every secret the services need (see docs/CONFIGURATION.md).
load_secrets() {
    ensure_state_dirs
    ACC_ADMIN_TOKEN=$(secret_value admin-token ACC_ADMIN_TOKEN new_admin_token)
    ACC_INTERNAL_SECRET=$(secret_value internal-secret ACC_INTERNAL_SECRET random_b64 48)
    ACC_SECRET_KEY=$(secret_value secret-key ACC_SECRET_KEY random_b64 32)
    (( ${#ACC_INTERNAL_SECRET} >= 32 )) || die "ACC_INTERNAL_SECRET must be at least 32 bytes"
    export ACC_ADMIN_TOKEN ACC_INTERNAL_SECRET ACC_SECRET_KEY
}

# ----------------------------------------------------------------------------- services

service_port() {
    local props="$ACC_ROOT/$1/src/main/resources/application.properties" port
    port=$(sed -n 's/^quarkus\.http\.port=\${PORT:\([0-9]*\)}.*/\1/p' "$props" 2>/dev/null | head -1)
    [[ -n "$port" ]] || die "no quarkus.http.port=\${PORT:NNNN} in $props"
    printf '%s' "$port"
}

# proxy-service -> PROXY, gateway-adapter -> GATEWAY: the <SVC> of ACC_<SVC>_URL.
service_key() {
    local k="${1%-service}"
    k="${k%-adapter}"
    printf '%s' "${k^^}"
}

service_jar() { printf '%s' "$ACC_ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

# Exports ACC_<SVC>_URL for every service (unless already set), so siblings find each other.
export_service_urls() {
    local svc var
    for svc in "${ACC_SERVICES[@]}"; do
        var="ACC_$(service_key "$svc")_URL"
        [[ -n "${!var:-}" ]] || printf -v "$var" 'http://127.0.0.1:%s' "$(service_port "$svc")"
        export "${var?}"
    done
}

# Pid of the running service $1 started from this checkout, or nothing. A pid file whose
# process is gone, or now belongs to another program, counts as not running.
service_pid() {
    local file="$ACC_PIDS/$1.pid" pid
    [[ -s "$file" ]] || return 1
    pid=$(<"$file")
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$(service_jar "$1")" || return 1
    printf '%s' "$pid"
}

any_service_running() {
    local svc
    for svc in "${ACC_SERVICES[@]}"; do
        service_pid "$svc" >/dev/null && return 0
    done
    return 1
}

# ---------------------------------------------------------------------------------- build

ACC_BUILD_STAMP="$ACC_STATE/build.stamp"

# True when a source file or pom changed since the last successful build, or an artifact is missing.
build_needed() {
    [[ -f "$ACC_BUILD_STAMP" ]] || return 0
    local svc
    for svc in "${ACC_SERVICES[@]}"; do
        [[ -f "$(service_jar "$svc")" ]] || return 0
    done
    compgen -G "$ACC_ROOT/migrations/target/acc-migrations-*.jar" >/dev/null || return 0
    [[ -n "$(cd "$ACC_ROOT" && find . -path ./.acc -prune -o -path ./.git -prune -o -path '*/target' -prune \
        -o -path '*/node_modules' -prune -o -path '*/src/main/docker' -prune \
        -o -type f \( -name pom.xml -o -path '*/src/main/*' -o -path './.mvn/*' \) \
        -newer "$ACC_BUILD_STAMP" -print -quit)" ]]
}

build_suite() {
    log "building: ./mvnw -B -q package -DskipTests (log: .acc/logs/build.log)"
    local started=$SECONDS
    touch "$ACC_BUILD_STAMP.new"   # stamped at the start, so edits made during the build count next time
    if ! (cd "$ACC_ROOT" && ./mvnw -B -q package -DskipTests) > "$ACC_LOGS/build.log" 2>&1; then
        tail -n 40 "$ACC_LOGS/build.log" >&2
        die "build failed (full log: .acc/logs/build.log)"
    fi
    mv "$ACC_BUILD_STAMP.new" "$ACC_BUILD_STAMP"
    log "built in $((SECONDS - started)) s"
}

# ------------------------------------------------------------------------------ database

# Local defaults of the application database (role and database "acc").
db_defaults() {
    export ACC_DB_URL="${ACC_DB_URL:-jdbc:postgresql://$ACC_PG_HOST:$ACC_PG_PORT/acc}"
    export ACC_DB_USER="${ACC_DB_USER:-acc}"
    export ACC_DB_PASSWORD="${ACC_DB_PASSWORD:-acc}"
    export ACC_REDIS_URL="${ACC_REDIS_URL:-redis://127.0.0.1:6379}"
}

run_migrations() {
    local jar
    jar=$(compgen -G "$ACC_ROOT/migrations/target/acc-migrations-*.jar" | head -1)
    [[ -n "$jar" ]] || die "migration runner not built (migrations/target/acc-migrations-*.jar)"
    log "migrating $ACC_DB_URL"
    java -jar "$jar" >> "$ACC_LOGS/migrations.log" 2>&1 || {
        tail -n 20 "$ACC_LOGS/migrations.log" >&2
        die "migrations failed (log: .acc/logs/migrations.log)"
    }
    tail -n 1 "$ACC_LOGS/migrations.log" | sed 's/^/acc: /' >&2
}

# ------------------------------------------------------------------- service processes

# Starts service $1 in the background (own session, so a Ctrl-C in this terminal does not
# reach it), logging to .acc/logs/<svc>.log (the previous log is kept as .log.1).
start_service() {
    local svc="$1" port jar pid pidfile="$ACC_PIDS/$1.pid"
    port=$(service_port "$svc")
    jar=$(service_jar "$svc")
    if pid=$(service_pid "$svc"); then
        log "$svc: already running (pid $pid, port $port)"
        return 0
    fi
    port_open "$port" && die "$svc: port $port is already in use by another program"
    [[ -f "$jar" ]] || die "$svc: $jar is missing (build failed?)"
    rm -f "$pidfile"
    [[ -f "$ACC_LOGS/$svc.log" ]] && mv -f "$ACC_LOGS/$svc.log" "$ACC_LOGS/$svc.log.1"
    # The child writes its own pid before exec'ing java, so the pid file is right whether or
    # not setsid had to fork.
    ACC_PIDFILE="$pidfile" setsid bash -c 'echo $$ > "$ACC_PIDFILE"; exec java $ACC_JAVA_OPTS -jar "$0"' "$jar" \
        > "$ACC_LOGS/$svc.log" 2>&1 < /dev/null &
    local deadline=$((SECONDS + 5))
    until [[ -s "$pidfile" ]]; do
        (( SECONDS < deadline )) || die "$svc: did not start (see .acc/logs/$svc.log)"
        sleep 0.1
    done
    log "$svc: started (pid $(<"$pidfile"), port $port)"
}

# Last lines of a service's log, indented, for failure reports.
show_log_tail() {
    local svc="$1"
    log "---- last 40 lines of $svc's log ----"
    if [[ "$(acc_mode)" == docker ]]; then
        compose logs --no-color --tail 40 "$svc" >&2 || true
    else
        tail -n 40 "$ACC_LOGS/$svc.log" >&2 2>/dev/null || true
    fi
    log "---- end of $svc's log ----"
}

# Waits until every given service answers 200 on /q/health/ready, printing progress; gives
# up after ACC_UP_TIMEOUT seconds (default 240) or as soon as a service process exits.
wait_ready() {
    local timeout="${ACC_UP_TIMEOUT:-240}" started=$SECONDS
    local deadline=$((SECONDS + timeout)) report=$((SECONDS + 5))
    local pending=("$@") failed=() still svc
    while (( ${#pending[@]} )); do
        still=()
        for svc in "${pending[@]}"; do
            if [[ "$(http_status "http://127.0.0.1:$(service_port "$svc")/q/health/ready")" == 200 ]]; then
                log "$svc: ready after $((SECONDS - started)) s"
            elif [[ "$(acc_mode)" == local ]] && ! service_pid "$svc" >/dev/null; then
                log "$svc: process exited before becoming ready"
                failed+=("$svc")
            else
                still+=("$svc")
            fi
        done
        pending=("${still[@]}")
        (( ${#failed[@]} == 0 && ${#pending[@]} > 0 )) || break
        if (( SECONDS >= deadline )); then
            log "not ready after ${timeout} s: ${pending[*]}"
            failed+=("${pending[@]}")
            break
        fi
        if (( SECONDS >= report )); then
            log "waiting for ${pending[*]} ($((SECONDS - started)) s)"
            report=$((SECONDS + 5))
        fi
        sleep 1
    done
    (( ${#failed[@]} == 0 )) && return 0
    for svc in "${failed[@]}"; do
        show_log_tail "$svc"
    done
    return 1
}

# Sends SIGTERM to the given services' processes and waits up to the shutdown grace period
# (ACC_SHUTDOWN_GRACE, as Quarkus uses it to drain in-flight requests) plus 10 s, then SIGKILLs.
stop_processes() {
    local grace pids=() names=() svc pid
    grace=$(duration_seconds "${ACC_SHUTDOWN_GRACE:-30s}")
    for svc in "$@"; do
        if pid=$(service_pid "$svc"); then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
            names+=("$svc")
        fi
        rm -f "$ACC_PIDS/$svc.pid"
    done
    (( ${#pids[@]} )) || return 0
    log "stopping ${names[*]} (SIGTERM, up to $((grace + 10)) s)"
    local deadline=$((SECONDS + grace + 10)) alive
    while :; do
        alive=()
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive+=("$pid")
        done
        (( ${#alive[@]} )) || break
        if (( SECONDS >= deadline )); then
            warn "still running after the grace period, sending SIGKILL to ${alive[*]}"
            kill -KILL "${alive[@]}" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
}

# ------------------------------------------------------------------------ docker compose

# docker compose on the repository's file; the file requires the secrets, so they are loaded first.
compose() {
    load_secrets
    docker compose -f "$ACC_ROOT/docker-compose.yml" --project-directory "$ACC_ROOT" "$@"
}

# Whether to run the suite with docker compose: ACC_DOCKER=1 forces it, ACC_DOCKER=0 forbids
# it, otherwise it is used exactly when a Docker engine answers and the compose plugin exists.
docker_wanted() {
    case "${ACC_DOCKER:-auto}" in
        0|no|false) return 1 ;;
        1|yes|true)
            docker info >/dev/null 2>&1 || die "ACC_DOCKER=1 but no Docker engine answers 'docker info'"
            docker compose version >/dev/null 2>&1 || die "ACC_DOCKER=1 but the docker compose plugin is missing"
            return 0 ;;
    esac
    command -v docker >/dev/null 2>&1 || return 1
    docker info >/dev/null 2>&1 || return 1
    if ! docker compose version >/dev/null 2>&1; then
        warn "a Docker engine answers but 'docker compose' is missing: running locally instead"
        return 1
    fi
}

# How the running suite was started: "docker" or "local" (the default).
acc_mode() {
    if [[ -s "$ACC_STATE/mode" ]]; then cat "$ACC_STATE/mode"; else echo local; fi
}
