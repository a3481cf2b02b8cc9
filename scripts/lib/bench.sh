# ./requesty bench: the router benchmark (bench/README.md) - load through the router to the provider
# simulator and straight to the simulator, in one run, from Release builds.

BENCH_VHOST=${REQUESTY_BENCH_RABBITMQ_VHOST:-requesty_bench}
BENCH_STARTED_RABBITMQ=0

bench_cleanup() {
  if [ "$BENCH_STARTED_RABBITMQ" = 1 ] && rmq_running; then
    BENCH_STARTED_RABBITMQ=0
    log "stopping the RabbitMQ this run started..."
    rmq_stop
  fi
}

# The bench publishes tens of thousands of RequestCompleted events: a vhost of their own keeps them
# out of the queues of the demo and of the tests (an exchange without bound queues drops them).
bench_provision_vhost() {
  local vhosts
  vhosts=$(rmqctl -s list_vhosts name 2>/dev/null) || return 1
  if ! grep -qxF "$BENCH_VHOST" <<<"$vhosts"; then
    rmqctl -q add_vhost "$BENCH_VHOST" >/dev/null || return 1
  fi
  rmqctl -q set_permissions -p "$BENCH_VHOST" "$RMQ_USER" '.*' '.*' '.*' >/dev/null
}

bench_wants_broker() {
  local previous=''
  for arg in "$@"; do
    [ "$previous" = --rabbitmq ] && return 1
    [ "$arg" = -h ] || [ "$arg" = --help ] && return 1
    previous=$arg
  done
  [ -z "${REQUESTY_BENCH_RABBITMQ:-}" ]
}

# ./requesty bench analytics [options]: ingest events/s and dashboard query percentiles
# (bench/Requesty.Bench.Analytics; bench/README.md). Needs RabbitMQ and ClickHouse: starts the servers when
# nothing listens on their ports and leaves them running (./requesty servers stop).
cmd_bench_analytics() {
  export REQUESTY_USE_EXISTING_SERVERS=${REQUESTY_USE_EXISTING_SERVERS:-1}
  require_dotnet
  servers_start
  bench_provision_vhost || warn "could not create the RabbitMQ vhost $BENCH_VHOST; pass --rabbitmq URI"
  log "building the analytics bench (Release)..."
  dotnet build "$REPO_ROOT/bench/Requesty.Bench.Analytics" -c Release -nologo -v q -clp:NoSummary >/dev/null \
    || { dotnet build "$REPO_ROOT/bench/Requesty.Bench.Analytics" -c Release -nologo -v q -clp:NoSummary; die "building the analytics bench failed"; }
  dotnet "$REPO_ROOT/bench/Requesty.Bench.Analytics/bin/Release/net10.0/Requesty.Bench.Analytics.dll" \
    --clickhouse "$(clickhouse_url)" --clickhouse-user "$CH_USER" --clickhouse-password "$CH_PASSWORD" \
    --rabbitmq "amqp://$RMQ_USER:$RMQ_PASSWORD@127.0.0.1:$RMQ_PORT/$BENCH_VHOST" "$@"
}

cmd_bench() {
  if [ "${1:-}" = analytics ]; then shift; cmd_bench_analytics "$@"; return; fi
  export REQUESTY_USE_EXISTING_SERVERS=${REQUESTY_USE_EXISTING_SERVERS:-1}
  require_dotnet
  trap 'bench_cleanup' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  if bench_wants_broker "$@"; then
    # Only RabbitMQ matters here: the router's hot path touches no database.
    if ! rmq_running && ! port_open "$RMQ_PORT"; then
      ensure_home
      BENCH_STARTED_RABBITMQ=1
      rmq_start
    fi
    if bench_provision_vhost; then
      export REQUESTY_BENCH_RABBITMQ="amqp://$RMQ_USER:$RMQ_PASSWORD@127.0.0.1:$RMQ_PORT/$BENCH_VHOST"
    else
      warn "could not create the RabbitMQ vhost $BENCH_VHOST (a broker this script does not manage?);"
      warn "running without a broker: the router keeps its events in its journal (set REQUESTY_BENCH_RABBITMQ to override)"
      export REQUESTY_BENCH_RABBITMQ="amqp://requesty:requesty@127.0.0.1:1/none"
    fi
  fi

  log "building the router, the provider simulator and the bench (Release)..."
  local project
  for project in services/router tools/provider-simulator bench/Requesty.Bench bench/Requesty.Bench.FloorProxy; do
    dotnet build "$REPO_ROOT/$project" -c Release -nologo -v q -clp:NoSummary >/dev/null \
      || { dotnet build "$REPO_ROOT/$project" -c Release -nologo -v q -clp:NoSummary; die "building $project failed"; }
  done

  local status=0
  dotnet "$REPO_ROOT/bench/Requesty.Bench/bin/Release/net10.0/Requesty.Bench.dll" --repo "$REPO_ROOT" "$@" || status=$?
  bench_cleanup
  return "$status"
}
