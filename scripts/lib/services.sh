# ./requesty up|down|status|logs: the five services and the provider simulator as background
# processes from their Release builds, PID files in $REQUESTY_HOME/run, logs in $REQUESTY_HOME/logs.

# Start order: upstreams and the control plane first, the router (which loads keys from management) last.
SERVICES=(simulator management analytics alerts mcp-gateway router)

service_port() {
  case "$1" in
    router)      echo "${REQUESTY_ROUTER_PORT:-5080}" ;;
    management)  echo "${REQUESTY_MANAGEMENT_PORT:-5081}" ;;
    analytics)   echo "${REQUESTY_ANALYTICS_PORT:-5082}" ;;
    alerts)      echo "${REQUESTY_ALERTS_PORT:-5083}" ;;
    mcp-gateway) echo "${REQUESTY_MCP_GATEWAY_PORT:-5084}" ;;
    simulator)   echo "${REQUESTY_SIMULATOR_PORT:-5090}" ;;
    *) die "unknown service: $1 (known: ${SERVICES[*]})" ;;
  esac
}

service_port_variable() { local v=${1//-/_}; printf 'REQUESTY_%s_PORT' "${v^^}"; }

service_dll() {
  local bin=bin/Release/net10.0
  case "$1" in
    router)      echo "$REPO_ROOT/services/router/$bin/Requesty.Router.dll" ;;
    management)  echo "$REPO_ROOT/services/management/$bin/Requesty.Management.dll" ;;
    analytics)   echo "$REPO_ROOT/services/analytics/$bin/Requesty.Analytics.dll" ;;
    alerts)      echo "$REPO_ROOT/services/alerts/$bin/Requesty.Alerts.dll" ;;
    mcp-gateway) echo "$REPO_ROOT/services/mcp-gateway/$bin/Requesty.McpGateway.dll" ;;
    simulator)   echo "$REPO_ROOT/tools/provider-simulator/$bin/Requesty.ProviderSimulator.dll" ;;
  esac
}

service_ready_path() { if [ "$1" = simulator ]; then echo /healthz; else echo /readyz; fi; }
service_url() { echo "http://127.0.0.1:$(service_port "$1")"; }
service_pid_file() { echo "$RUN_DIR/$1.pid"; }
service_log() { echo "$LOG_DIR/$1.log"; }
service_running() { alive "$(read_pid "$(service_pid_file "$1")")"; }

# ---------------------------------------------------------------- secrets
# Generated once per $REQUESTY_HOME and kept (chmod 600) so the demo admin key survives restarts.
load_secrets() {
  ensure_home
  ( umask 077; touch "$SECRETS_FILE" )
  chmod 600 "$SECRETS_FILE"
  grep -q '^INTERNAL_TOKEN=' "$SECRETS_FILE" || printf 'INTERNAL_TOKEN=%s\n' "$(random_token)" >>"$SECRETS_FILE"
  grep -q '^ADMIN_KEY=' "$SECRETS_FILE" || printf 'ADMIN_KEY=rqsty-sk-%s\n' "$(random_token)" >>"$SECRETS_FILE"
  grep -q '^MCP_ENCRYPTION_KEY=' "$SECRETS_FILE" || printf 'MCP_ENCRYPTION_KEY=%s\n' "$(head -c 32 /dev/urandom | base64)" >>"$SECRETS_FILE"
  grep -q '^BYOK_MASTER_KEY=' "$SECRETS_FILE" || printf 'BYOK_MASTER_KEY=%s\n' "$(head -c 32 /dev/urandom | base64)" >>"$SECRETS_FILE"
  grep -q '^WEBHOOK_SECRET_KEY=' "$SECRETS_FILE" || printf 'WEBHOOK_SECRET_KEY=%s\n' "$(head -c 32 /dev/urandom | base64)" >>"$SECRETS_FILE"
  INTERNAL_TOKEN=$(sed -n 's/^INTERNAL_TOKEN=//p' "$SECRETS_FILE" | head -1)
  MCP_ENCRYPTION_KEY=$(sed -n 's/^MCP_ENCRYPTION_KEY=//p' "$SECRETS_FILE" | head -1)
  WEBHOOK_SECRET_KEY=$(sed -n 's/^WEBHOOK_SECRET_KEY=//p' "$SECRETS_FILE" | head -1)
  BYOK_MASTER_KEY=$(sed -n 's/^BYOK_MASTER_KEY=//p' "$SECRETS_FILE" | head -1)
  ADMIN_KEY=$(sed -n 's/^ADMIN_KEY=//p' "$SECRETS_FILE" | head -1)
}

postgres_connection() { echo "Host=127.0.0.1;Port=$PG_PORT;Database=$PG_DATABASE;Username=$PG_USER;Password=$PG_PASSWORD"; }
rabbitmq_url() { echo "amqp://$RMQ_USER:$RMQ_PASSWORD@127.0.0.1:$RMQ_PORT/$RMQ_VHOST"; }
clickhouse_url() { echo "http://127.0.0.1:$CH_HTTP_PORT/"; }

export_service_env() {
  local name=$1
  export ConnectionStrings__Postgres; ConnectionStrings__Postgres=$(postgres_connection)
  export RabbitMq__Uri; RabbitMq__Uri=$(rabbitmq_url)
  export ClickHouse__Url; ClickHouse__Url=$(clickhouse_url)
  export ClickHouse__Database=$CH_DATABASE ClickHouse__User=$CH_USER ClickHouse__Password=$CH_PASSWORD
  export Internal__Token=$INTERNAL_TOKEN
  # Organisations' own provider keys (BYOK) are sealed by management and opened by the router with this key.
  export Byok__MasterKeys__local1=$BYOK_MASTER_KEY Byok__ActiveKeyId=local1
  export Management__Url; Management__Url=$(service_url management)
  export Analytics__Url; Analytics__Url=$(service_url analytics)
  case "$name" in
    router)
      export Simulator__Url; Simulator__Url=$(service_url simulator)
      # A real provider key sends that provider's traffic to the real API instead of the simulator.
      if [ -n "${OPENAI_API_KEY:-}" ]; then export Providers__OpenAI__ApiKey=$OPENAI_API_KEY; fi
      if [ -n "${ANTHROPIC_API_KEY:-}" ]; then export Providers__Anthropic__ApiKey=$ANTHROPIC_API_KEY; fi
      if [ -n "${GEMINI_API_KEY:-}" ]; then export Providers__Google__ApiKey=$GEMINI_API_KEY; fi
      ;;
    management)
      export Bootstrap__OrganizationName=Demo Bootstrap__AdminKey=$ADMIN_KEY
      ;;
    mcp-gateway)
      export Mcp__EncryptionKey=$MCP_ENCRYPTION_KEY
      # The local demo registers MCP servers on this machine; production keeps the default (private networks denied).
      export Mcp__AllowPrivateNetworks="${REQUESTY_MCP_ALLOW_PRIVATE_NETWORKS:-true}"
      ;;
    alerts)
      export Alerts__Webhooks__SecretKey=$WEBHOOK_SECRET_KEY
      ;;
  esac
}

# ---------------------------------------------------------------- build, start, stop
build_solution() {
  log "building Requesty.sln (Release)..."
  if ! dotnet build "$REPO_ROOT/Requesty.sln" -c Release -nologo -v q -clp:NoSummary; then
    die "build failed (see the errors above)"
  fi
  ok "build succeeded"
}

start_service() {
  local name=$1 port dll log_file
  port=$(service_port "$name"); dll=$(service_dll "$name"); log_file=$(service_log "$name")
  [ -f "$dll" ] || die "$name: $dll not found; did the build succeed?"
  require_free_port "$port" "$name" "$(service_port_variable "$name")"
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR/$name"
  printf '===== %s starting %s on port %s =====\n' "$(date -u +%FT%TZ)" "$name" "$port" >>"$log_file"
  (
    cd "$DATA_DIR/$name"   # any relative path a service writes lands here, not in the repo
    export_service_env "$name"
    exec setsid dotnet "$dll" --urls "http://127.0.0.1:$port" >>"$log_file" 2>&1 </dev/null
  ) &
  echo $! >"$(service_pid_file "$name")"
}

wait_service_ready() {
  local name=$1 url code i=0 pid
  url="$(service_url "$name")$(service_ready_path "$name")"
  pid=$(read_pid "$(service_pid_file "$name")")
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)
    [ "$code" = 200 ] && break
    if ! alive "$pid"; then
      tail -n 30 "$(service_log "$name")" >&2 || true
      die "$name exited during start-up (log above: $(service_log "$name"))"
    fi
    i=$((i + 1))
    if [ "$i" -gt $((START_TIMEOUT * 4)) ]; then
      tail -n 30 "$(service_log "$name")" >&2 || true
      die "$name did not answer GET $url with 200 within ${START_TIMEOUT}s (last status: ${code:-none}; log above: $(service_log "$name"))"
    fi
    sleep 0.25
  done
  ok "$name ready on $(service_url "$name") (pid $pid)"
}

stop_service() {
  local name=$1 pid_file pid
  pid_file=$(service_pid_file "$name"); pid=$(read_pid "$pid_file")
  if alive "$pid"; then
    stop_pid "$pid" 30
    ok "$name stopped"
  fi
  rm -f "$pid_file"
}

services_stop() {
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_service "${SERVICES[$i]}"; done
}

services_status() {
  echo "services:"
  local name pid code
  for name in "${SERVICES[@]}"; do
    pid=$(read_pid "$(service_pid_file "$name")")
    if alive "$pid"; then
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$(service_url "$name")$(service_ready_path "$name")" || true)
      if [ "$code" = 200 ]; then
        printf '  %-12s %sready%s    %s  pid %s\n' "$name" "$C_GREEN" "$C_RESET" "$(service_url "$name")" "$pid"
      else
        printf '  %-12s %snot ready%s (%s %s answered %s)  pid %s\n' "$name" "$C_YELLOW" "$C_RESET" \
          "$(service_url "$name")" "$(service_ready_path "$name")" "${code:-nothing}" "$pid"
      fi
    else
      printf '  %-12s stopped\n' "$name"
    fi
  done
}

# The demo organisation's id, read with the admin key (empty when management does not answer).
read_org_id() {
  local body
  body=$(curl -s --max-time 10 -H "Authorization: Bearer $ADMIN_KEY" "$(service_url management)/v1/manage/org" || true)
  if command -v jq >/dev/null 2>&1; then
    jq -r '.id // empty' <<<"$body" 2>/dev/null || true
  else
    grep -o '"id"[[:space:]]*:[[:space:]]*\("[^"]*"\|[0-9][0-9]*\)' <<<"$body" | head -1 | sed 's/^"id"[[:space:]]*:[[:space:]]*//; s/"//g' || true
  fi
}

write_env_file() {
  local org_id=$1
  ( umask 077
    cat >"$ENV_FILE" <<EOF
ROUTER_URL=$(service_url router)
MANAGEMENT_URL=$(service_url management)
ANALYTICS_URL=$(service_url analytics)
ALERTS_URL=$(service_url alerts)
MCP_URL=$(service_url mcp-gateway)/v1/mcp
SIMULATOR_URL=$(service_url simulator)
ADMIN_KEY=$ADMIN_KEY
ORG_ID=$org_id
POSTGRES_CONNECTION=$(postgres_connection)
RABBITMQ_URL=$(rabbitmq_url)
CLICKHOUSE_URL=$(clickhouse_url)
EOF
  )
  chmod 600 "$ENV_FILE"
}

print_banner() {
  local org_id=$1 router; router=$(service_url router)
  cat <<EOF

${C_BOLD}Requesty is up.${C_RESET}
  router (OpenAI/Anthropic compatible)  $router/v1
  management API + Swagger UI           $(service_url management)/swagger
  analytics                             $(service_url analytics)/swagger
  alerts                                $(service_url alerts)/swagger
  MCP gateway                           $(service_url mcp-gateway)/v1/mcp
  provider simulator                    $(service_url simulator)

  admin key   $ADMIN_KEY
  org id      ${org_id:-(unknown: management did not answer GET /v1/manage/org)}
  env file    $ENV_FILE   (source it: set -a; . $ENV_FILE; set +a)

Try it:
  curl $router/v1/chat/completions -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \\
    -d '{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'

EOF
}

# ---------------------------------------------------------------- commands
UP_STARTED_SERVERS=0
UP_CLEANUP_ARMED=0

up_cleanup() {
  [ "$UP_CLEANUP_ARMED" = 1 ] || return 0
  UP_CLEANUP_ARMED=0
  trap 'log "(still stopping; please wait)"' INT TERM   # a second Ctrl-C must not leave servers behind
  log "stopping services..."
  services_stop
  if [ "$UP_STARTED_SERVERS" = 1 ] && servers_any_running; then log "stopping servers..."; servers_stop; fi
}

cmd_up() {
  local detach=0 build=1 arg
  for arg in "$@"; do
    case "$arg" in
      --detach|-d) detach=1 ;;
      --no-build) build=0 ;;
      *) die "usage: ./requesty up [--detach] [--no-build]" ;;
    esac
  done
  export REQUESTY_USE_EXISTING_SERVERS=${REQUESTY_USE_EXISTING_SERVERS:-1}
  cmd_install
  servers_any_running || UP_STARTED_SERVERS=1
  UP_CLEANUP_ARMED=1
  trap 'up_cleanup' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  servers_start
  load_secrets
  services_stop   # a previous `up --detach` would hold the ports and run stale binaries
  if [ "$build" = 1 ]; then build_solution; fi
  local name
  for name in "${SERVICES[@]}"; do
    require_free_port "$(service_port "$name")" "$name" "$(service_port_variable "$name")"
  done
  for name in "${SERVICES[@]}"; do start_service "$name"; done
  for name in "${SERVICES[@]}"; do wait_service_ready "$name"; done
  local org_id; org_id=$(read_org_id)
  [ -n "$org_id" ] || warn "could not read the organisation id from $(service_url management)/v1/manage/org"
  write_env_file "$org_id"
  print_banner "$org_id"
  if [ "$detach" = 1 ]; then
    UP_CLEANUP_ARMED=0
    trap - EXIT INT TERM
    ok "running in the background; stop with ./requesty down (logs: ./requesty logs [service] -f)"
    return 0
  fi
  log "press Ctrl-C to stop everything"
  local dead
  while :; do
    sleep 5 &
    wait $! || true
    for name in "${SERVICES[@]}"; do
      if ! service_running "$name" && [ -f "$(service_pid_file "$name")" ]; then
        dead=$(service_pid_file "$name"); rm -f "$dead"
        warn "$name exited; last lines of $(service_log "$name"):"
        tail -n 20 "$(service_log "$name")" >&2 || true
      fi
    done
  done
}

cmd_down() {
  services_stop
  servers_stop
  ok "everything stopped"
}

cmd_status() {
  servers_status
  services_status
  [ -f "$ENV_FILE" ] && echo "env file: $ENV_FILE"
  return 0
}

log_file_of() {
  case "$1" in
    postgres)   echo "$(pg_dir)/postgres.log" ;;
    rabbitmq)   echo "$RMQ_DIR/log/requesty@localhost.log" ;;
    clickhouse) echo "$CH_DIR/log/clickhouse-server.log" ;;
    *)          service_port "$1" >/dev/null; service_log "$1" ;;
  esac
}

cmd_logs() {
  local follow=0 names=() arg files=() f
  for arg in "$@"; do
    case "$arg" in
      -f|--follow) follow=1 ;;
      *) names+=("$arg") ;;
    esac
  done
  [ "${#names[@]}" -gt 0 ] || names=("${SERVICES[@]}")
  for arg in "${names[@]}"; do
    f=$(log_file_of "$arg")
    if [ -f "$f" ]; then files+=("$f"); else warn "no log yet for $arg ($f)"; fi
  done
  [ "${#files[@]}" -gt 0 ] || return 0
  if [ "$follow" = 1 ]; then exec tail -n 50 -F "${files[@]}"; fi
  tail -n 50 "${files[@]}"
}
