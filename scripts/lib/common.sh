# Shared settings and helpers for ./requesty (sourced, not executed).
# Every setting can be overridden from the environment; defaults match the services' defaults.

REQUESTY_HOME=${REQUESTY_HOME:-$REPO_ROOT/.requesty}
case "$REQUESTY_HOME" in /*) ;; *) REQUESTY_HOME=$PWD/$REQUESTY_HOME ;; esac
INFRA_DIR=$REQUESTY_HOME/infra
RUN_DIR=$REQUESTY_HOME/run
LOG_DIR=$REQUESTY_HOME/logs
DATA_DIR=$REQUESTY_HOME/data
SECRETS_FILE=$REQUESTY_HOME/secrets
ENV_FILE=$REQUESTY_HOME/env

PG_PORT=${REQUESTY_PG_PORT:-25432}
PG_USER=${REQUESTY_PG_USER:-requesty}
PG_PASSWORD=${REQUESTY_PG_PASSWORD:-requesty}
PG_DATABASE=${REQUESTY_PG_DATABASE:-requesty}
PG_TEST_DATABASE=${REQUESTY_PG_TEST_DATABASE:-requesty_test}

RMQ_PORT=${REQUESTY_RABBITMQ_PORT:-25672}
RMQ_DIST_PORT=${REQUESTY_RABBITMQ_DIST_PORT:-25673}   # must be set: RabbitMQ's default is NODE_PORT+20000
EPMD_PORT=${REQUESTY_EPMD_PORT:-24369}                # a private epmd, not the system one on 4369
RMQ_USER=${REQUESTY_RABBITMQ_USER:-requesty}
RMQ_PASSWORD=${REQUESTY_RABBITMQ_PASSWORD:-requesty}
RMQ_VHOST=${REQUESTY_RABBITMQ_VHOST:-requesty}
RMQ_TEST_VHOST=${REQUESTY_RABBITMQ_TEST_VHOST:-requesty_test}

CH_HTTP_PORT=${REQUESTY_CLICKHOUSE_HTTP_PORT:-28123}
CH_TCP_PORT=${REQUESTY_CLICKHOUSE_TCP_PORT:-29000}
CH_INTERSERVER_PORT=${REQUESTY_CLICKHOUSE_INTERSERVER_PORT:-29009}
CH_USER=${REQUESTY_CLICKHOUSE_USER:-requesty}
CH_PASSWORD=${REQUESTY_CLICKHOUSE_PASSWORD:-requesty}
CH_DATABASE=${REQUESTY_CLICKHOUSE_DATABASE:-requesty}
CH_TEST_DATABASE=${REQUESTY_CLICKHOUSE_TEST_DATABASE:-requesty_test}

START_TIMEOUT=${REQUESTY_START_TIMEOUT:-120}          # seconds per server / service

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  C_BOLD=$'\e[1m'; C_RED=$'\e[31m'; C_GREEN=$'\e[32m'; C_YELLOW=$'\e[33m'; C_RESET=$'\e[0m'
else
  C_BOLD=''; C_RED=''; C_GREEN=''; C_YELLOW=''; C_RESET=''
fi

log()  { printf '%s[requesty]%s %s\n' "$C_BOLD" "$C_RESET" "$*"; }
ok()   { printf '%s[requesty]%s %s%s%s\n' "$C_BOLD" "$C_RESET" "$C_GREEN" "$*" "$C_RESET"; }
warn() { printf '%s[requesty]%s %swarning:%s %s\n' "$C_BOLD" "$C_RESET" "$C_YELLOW" "$C_RESET" "$*" >&2; }
die()  { printf '%s[requesty]%s %serror:%s %s\n' "$C_BOLD" "$C_RESET" "$C_RED" "$C_RESET" "$*" >&2; exit 1; }

# A process exists and is not a zombie (kill -0 succeeds on zombies, and PID 1 in containers may not reap).
alive() {
  [ -n "${1:-}" ] && [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# wait_gone PID SECONDS: 0 when the process is gone in time.
wait_gone() {
  local pid=$1 limit=$(( ${2:-30} * 10 )) i=0
  while alive "$pid"; do
    sleep 0.1; i=$((i + 1))
    [ "$i" -ge "$limit" ] && return 1
  done
  return 0
}

# stop_pid PID SECONDS: TERM, wait, then KILL. Only ever called with PIDs from our own PID files.
stop_pid() {
  local pid=$1 grace=${2:-30}
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$grace"; then
    warn "process $pid did not stop within ${grace}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || true
  fi
}

read_pid() { [ -s "$1" ] && head -1 "$1" | tr -dc '0-9' || true; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Refuse to start on a port somebody else already uses, naming the variable that moves it.
require_free_port() {
  local port=$1 what=$2 variable=$3
  if port_open "$port"; then
    die "port $port (for $what) is already in use by another process; choose another with $variable=<port>"
  fi
}

# 32 random bytes, base64url without padding (43 characters).
random_token() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

sha256_hex() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

ensure_home() {
  mkdir -p "$REQUESTY_HOME" "$INFRA_DIR"
  # PostgreSQL runs as the 'postgres' user, which must be able to walk into these folders.
  chmod 755 "$REQUESTY_HOME" "$INFRA_DIR"
}
