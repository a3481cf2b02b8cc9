# ./requesty servers start|stop|status: PostgreSQL 15, RabbitMQ and ClickHouse as plain processes
# on 127.0.0.1 with their data under $REQUESTY_HOME/infra (no systemd, no Docker).

PG_BIN=/usr/lib/postgresql/15/bin
RMQ_BIN=/usr/lib/rabbitmq/bin     # the /usr/sbin wrappers 'su rabbitmq' and lose our HOME (Erlang cookie)
RMQ_DIR=$INFRA_DIR/rabbitmq
CH_DIR=$INFRA_DIR/clickhouse

# ---------------------------------------------------------------- PostgreSQL
# PostgreSQL refuses to run as root: as root we run it as the 'postgres' user (created by the package).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@")
  else (cd / && "$@")
  fi
}

pg_owner() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }

# The data folder. When 'postgres' cannot walk into $INFRA_DIR (e.g. the repo lives under /root),
# the data lives in /var/lib/requesty/ instead and $INFRA_DIR/postgres is a symlink to it.
pg_dir() {
  local link=$INFRA_DIR/postgres
  if [ -L "$link" ]; then readlink -f "$link"; return 0; fi
  if [ ! -d "$INFRA_DIR" ] || [ -d "$link" ] || [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$INFRA_DIR" 2>/dev/null; then
    echo "$link"; return 0
  fi
  local target; target=/var/lib/requesty/postgres-$(sha256_hex "$INFRA_DIR" | head -c 12)
  mkdir -p "$target"; chmod 755 /var/lib/requesty
  ln -s "$target" "$link"
  warn "user 'postgres' cannot enter $INFRA_DIR; PostgreSQL data goes to $target (symlinked)" >&2
  echo "$target"
}

# Unix socket paths are limited to 107 bytes; fall back to a short folder under /tmp.
pg_socket_dir() {
  local dir=$1
  if [ $(( ${#dir} + 20 )) -lt 100 ]; then echo "$dir"
  else echo "/tmp/requesty-pg-$(sha256_hex "$dir" | head -c 12)"
  fi
}

pg_pid() { local dir; dir=$(pg_dir); [ -f "$dir/data/postmaster.pid" ] && read_pid "$dir/data/postmaster.pid" || true; }
pg_running() { alive "$(pg_pid)"; }

pg_psql() {   # superuser over the unix socket (trust; the socket folder is private to the owner)
  local dir sock; dir=$(pg_dir); sock=$(pg_socket_dir "$dir")
  as_pg "$PG_BIN/psql" -h "$sock" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAtX "$@"
}

# `up` and `test` accept servers somebody else already runs on the configured ports (e.g. a shared
# dev instance): those are used as they are, neither provisioned nor stopped by this script.
use_existing_server() {
  local name=$1 port=$2
  [ "${REQUESTY_USE_EXISTING_SERVERS:-0}" = 1 ] && port_open "$port" || return 1
  warn "$name: a server not started by this script already listens on 127.0.0.1:$port; using it as it is"
  return 0
}

pg_start() {
  local dir sock owner; dir=$(pg_dir); sock=$(pg_socket_dir "$dir"); owner=$(pg_owner)
  if ! pg_running && use_existing_server postgres "$PG_PORT"; then return 0; fi
  if pg_running; then
    log "postgres already running (pid $(pg_pid))"
  else
    require_free_port "$PG_PORT" PostgreSQL REQUESTY_PG_PORT
    mkdir -p "$dir" "$sock"; chown "$owner" "$dir" "$sock"; chmod 700 "$dir" "$sock"
    if [ ! -s "$dir/data/PG_VERSION" ]; then
      log "initialising PostgreSQL data in $dir/data"
      as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { tail -20 "$dir/initdb.log" >&2; die "initdb failed"; }
      printf "\ninclude_if_exists = 'requesty.conf'\n" >>"$dir/data/postgresql.conf"
    fi
    # Rewritten on every start so port changes apply. A local dev/test instance: speed over durability.
    cat >"$dir/data/requesty.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$sock'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    chown "$owner" "$dir/data/requesty.conf"
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t "$START_TIMEOUT" start >/dev/null \
      || { tail -20 "$dir/postgres.log" >&2; die "PostgreSQL did not start (log: $dir/postgres.log)"; }
  fi
  local i=0
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; do
    sleep 0.1; i=$((i + 1))
    [ "$i" -gt $((START_TIMEOUT * 10)) ] && die "PostgreSQL is not accepting connections on port $PG_PORT (log: $dir/postgres.log)"
  done
  # Idempotent provisioning; psql variables quote the names and passwords safely (stdin only, not -c).
  pg_psql -v user="$PG_USER" -v password="$PG_PASSWORD" -v db="$PG_DATABASE" -v testdb="$PG_TEST_DATABASE" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN CREATEDB PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'testdb', :'user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'testdb') \gexec
SQL
  ok "postgres ready on 127.0.0.1:$PG_PORT (pid $(pg_pid); databases $PG_DATABASE, $PG_TEST_DATABASE)"
}

pg_stop() {
  local dir pid; dir=$(pg_dir); pid=$(pg_pid)
  if ! alive "$pid"; then return 0; fi
  as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null || stop_pid "$pid" 30
  wait_gone "$pid" 30 || stop_pid "$pid" 5
  ok "postgres stopped"
}

# ---------------------------------------------------------------- RabbitMQ
rmq_env() {
  export HOME="$RMQ_DIR/home"      # the Erlang cookie lives in $HOME/.erlang.cookie, for server and CLI
  export ERL_EPMD_PORT=$EPMD_PORT ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_NODENAME=requesty@localhost   # '@localhost' does not depend on the machine's hostname
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$RMQ_PORT RABBITMQ_DIST_PORT=$RMQ_DIST_PORT
  export RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/etc/rabbitmq-env.conf"   # empty: ignore /etc/rabbitmq/rabbitmq-env.conf
  export RABBITMQ_CONFIG_FILE="$RMQ_DIR/etc/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/etc/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia" RABBITMQ_LOG_BASE="$RMQ_DIR/log"
  export RABBITMQ_PID_FILE="$RMQ_DIR/beam.pid"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

rmqctl() { ( rmq_env; "$RMQ_BIN/rabbitmqctl" "$@" ); }
rmq_running() { alive "$(read_pid "$RMQ_DIR/server.pid")"; }

rmq_start() {
  if ! rmq_running && use_existing_server rabbitmq "$RMQ_PORT"; then return 0; fi
  if rmq_running; then
    log "rabbitmq already running (pid $(read_pid "$RMQ_DIR/server.pid"))"
  else
    require_free_port "$RMQ_PORT" RabbitMQ REQUESTY_RABBITMQ_PORT
    require_free_port "$RMQ_DIST_PORT" "RabbitMQ distribution" REQUESTY_RABBITMQ_DIST_PORT
    mkdir -p "$RMQ_DIR"/{etc,home,log,mnesia}
    if [ ! -s "$RMQ_DIR/home/.erlang.cookie" ]; then
      head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$RMQ_DIR/home/.erlang.cookie"
      chmod 400 "$RMQ_DIR/home/.erlang.cookie"   # Erlang refuses a cookie others can read
    fi
    : >"$RMQ_DIR/etc/rabbitmq-env.conf"
    echo '[].' >"$RMQ_DIR/etc/enabled_plugins"
    # default_* apply only on the first boot (empty mnesia); rmq_provision keeps them in line later.
    cat >"$RMQ_DIR/etc/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$RMQ_PORT
log.console = false
log.file.level = info
disk_free_limit.absolute = 100MB
default_vhost = $RMQ_VHOST
default_user = $RMQ_USER
default_pass = $RMQ_PASSWORD
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
EOF
    chmod 600 "$RMQ_DIR/etc/rabbitmq.conf"
    ( rmq_env
      # Our own epmd; otherwise erl spawns 'epmd -daemon', orphaned and shared with others.
      if [ ! -s "$RMQ_DIR/epmd.pid" ] || ! alive "$(read_pid "$RMQ_DIR/epmd.pid")"; then
        require_free_port "$EPMD_PORT" "RabbitMQ epmd" REQUESTY_EPMD_PORT
        setsid /usr/bin/epmd -address 127.0.0.1 -port "$EPMD_PORT" >"$RMQ_DIR/log/epmd.log" 2>&1 </dev/null &
        echo $! >"$RMQ_DIR/epmd.pid"
        for _ in $(seq 50); do port_open "$EPMD_PORT" && break; sleep 0.1; done
      fi
      # The foreground script, in the background: it traps SIGTERM and stops the broker gracefully.
      setsid "$RMQ_BIN/rabbitmq-server" >"$RMQ_DIR/log/server.out" 2>&1 </dev/null &
      echo $! >"$RMQ_DIR/server.pid"
    )
  fi
  local i=0
  # await_startup fails fast until the node is up, then blocks until the 'rabbit' app runs ('ping' is not enough).
  until rmqctl -q await_startup >/dev/null 2>&1; do
    sleep 0.25; i=$((i + 1))
    if [ "$i" -gt $((START_TIMEOUT * 4)) ] || ! rmq_running; then
      tail -20 "$RMQ_DIR/log/server.out" >&2 || true
      die "RabbitMQ did not start (logs: $RMQ_DIR/log)"
    fi
  done
  rmq_provision
  ok "rabbitmq ready on 127.0.0.1:$RMQ_PORT (pid $(read_pid "$RMQ_DIR/server.pid"); vhosts $RMQ_VHOST, $RMQ_TEST_VHOST)"
}

# Each rabbitmqctl call costs ~0.5 s of Erlang start-up, so provisioning runs only when the wanted
# user/password/vhosts differ from what was last applied to this data folder.
rmq_provision() {
  local wanted; wanted=$(sha256_hex "$RMQ_USER|$RMQ_PASSWORD|$RMQ_VHOST|$RMQ_TEST_VHOST")
  [ "$(cat "$RMQ_DIR/provisioned" 2>/dev/null || true)" = "$wanted" ] && return 0
  local vhosts users v
  vhosts=$(rmqctl -s list_vhosts name 2>/dev/null || true)
  for v in "$RMQ_VHOST" "$RMQ_TEST_VHOST"; do
    grep -qxF "$v" <<<"$vhosts" || rmqctl -q add_vhost "$v" >/dev/null
  done
  users=$(rmqctl -s list_users 2>/dev/null | cut -f1 || true)
  if grep -qxF "$RMQ_USER" <<<"$users"; then
    rmqctl -q change_password "$RMQ_USER" "$RMQ_PASSWORD" >/dev/null
  else
    rmqctl -q add_user "$RMQ_USER" "$RMQ_PASSWORD" >/dev/null
  fi
  rmqctl -q set_user_tags "$RMQ_USER" administrator >/dev/null
  for v in "$RMQ_VHOST" "$RMQ_TEST_VHOST"; do
    rmqctl -q set_permissions -p "$v" "$RMQ_USER" '.*' '.*' '.*' >/dev/null
  done
  echo "$wanted" >"$RMQ_DIR/provisioned"
}

rmq_stop() {
  local server beam epmd stopped=0
  server=$(read_pid "$RMQ_DIR/server.pid"); beam=$(read_pid "$RMQ_DIR/beam.pid"); epmd=$(read_pid "$RMQ_DIR/epmd.pid")
  if alive "$server"; then stop_pid "$server" 60; stopped=1; fi
  if alive "$beam"; then stop_pid "$beam" 30; stopped=1; fi   # belt and braces
  if alive "$epmd"; then stop_pid "$epmd" 10; stopped=1; fi
  rm -f "$RMQ_DIR/server.pid" "$RMQ_DIR/beam.pid" "$RMQ_DIR/epmd.pid"
  [ "$stopped" -eq 1 ] && ok "rabbitmq stopped"
  return 0
}

# ---------------------------------------------------------------- ClickHouse
ch_write_config() {
  mkdir -p "$CH_DIR"/{data,tmp,user_files,format_schemas,log,etc}
  cat >"$CH_DIR/etc/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>$CH_DIR/log/clickhouse-server.log</log>
        <errorlog>$CH_DIR/log/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>3</count>
    </logger>
    <http_port>$CH_HTTP_PORT</http_port>
    <tcp_port>$CH_TCP_PORT</tcp_port>
    <interserver_http_port>$CH_INTERSERVER_PORT</interserver_http_port>
    <listen_host>127.0.0.1</listen_host>
    <max_connections>1024</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <path>$CH_DIR/data/</path>
    <tmp_path>$CH_DIR/tmp/</tmp_path>
    <user_files_path>$CH_DIR/user_files/</user_files_path>
    <format_schema_path>$CH_DIR/format_schemas/</format_schema_path>
    <users_config>$CH_DIR/etc/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
</yandex>
EOF
  # 'default' gets a random password nobody knows; the application user is the only way in.
  cat >"$CH_DIR/etc/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <use_uncompressed_cache>0</use_uncompressed_cache>
            <load_balancing>random</load_balancing>
            <allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type>
        </default>
    </profiles>
    <users>
        <default>
            <password_sha256_hex>$(sha256_hex "$(random_token)")</password_sha256_hex>
            <networks replace="replace"><ip>::1</ip><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
        <$CH_USER>
            <password_sha256_hex>$(sha256_hex "$CH_PASSWORD")</password_sha256_hex>
            <networks replace="replace"><ip>::1</ip><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </$CH_USER>
    </users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
  chmod 600 "$CH_DIR/etc/users.xml"
}

ch_running() { alive "$(read_pid "$CH_DIR/server.pid")"; }

# ch_query SQL: runs as the application user (credentials on stdin, not in the process list).
ch_query() {
  printf 'user = "%s:%s"\n' "$CH_USER" "$CH_PASSWORD" \
    | curl -sS --fail-with-body --max-time 30 -K - "http://127.0.0.1:$CH_HTTP_PORT/" --data-binary "$1"
}

ch_start() {
  if ! ch_running && use_existing_server clickhouse "$CH_HTTP_PORT"; then return 0; fi
  if ch_running; then
    log "clickhouse already running (pid $(read_pid "$CH_DIR/server.pid"))"
  else
    require_free_port "$CH_HTTP_PORT" "ClickHouse HTTP" REQUESTY_CLICKHOUSE_HTTP_PORT
    require_free_port "$CH_TCP_PORT" "ClickHouse native" REQUESTY_CLICKHOUSE_TCP_PORT
    require_free_port "$CH_INTERSERVER_PORT" "ClickHouse interserver" REQUESTY_CLICKHOUSE_INTERSERVER_PORT
    ch_write_config
    setsid /usr/sbin/clickhouse-server --config-file="$CH_DIR/etc/config.xml" --pid-file="$CH_DIR/clickhouse.pid" \
      >"$CH_DIR/log/server.out" 2>&1 </dev/null &
    echo $! >"$CH_DIR/server.pid"
  fi
  local i=0
  until [ "$(curl -s --max-time 1 "http://127.0.0.1:$CH_HTTP_PORT/ping" || true)" = "Ok." ]; do
    sleep 0.1; i=$((i + 1))
    if [ "$i" -gt $((START_TIMEOUT * 10)) ] || ! ch_running; then
      tail -20 "$CH_DIR/log/clickhouse-server.err.log" >&2 2>/dev/null || tail -20 "$CH_DIR/log/server.out" >&2 || true
      die "ClickHouse did not start (logs: $CH_DIR/log)"
    fi
  done
  ch_query "CREATE DATABASE IF NOT EXISTS \`$CH_DATABASE\`" >/dev/null
  ch_query "CREATE DATABASE IF NOT EXISTS \`$CH_TEST_DATABASE\`" >/dev/null
  ok "clickhouse ready on http://127.0.0.1:$CH_HTTP_PORT (pid $(read_pid "$CH_DIR/server.pid"); databases $CH_DATABASE, $CH_TEST_DATABASE)"
}

ch_stop() {
  local pid; pid=$(read_pid "$CH_DIR/server.pid")
  if alive "$pid"; then stop_pid "$pid" 60; ok "clickhouse stopped"; fi
  rm -f "$CH_DIR/server.pid" "$CH_DIR/clickhouse.pid"
}

# ---------------------------------------------------------------- all three
servers_running() { pg_running && rmq_running && ch_running; }
servers_any_running() { pg_running || rmq_running || ch_running; }

servers_start() {
  ensure_home
  pg_start
  rmq_start
  ch_start
}

servers_stop() {
  ch_stop
  rmq_stop
  pg_stop
}

server_line() {   # name running? port
  if [ "$2" = 1 ]; then
    if port_open "$3"; then printf '  %-12s %srunning%s  127.0.0.1:%s  pid %s\n' "$1" "$C_GREEN" "$C_RESET" "$3" "$4"
    else printf '  %-12s %sstarting%s (pid %s, port %s not answering yet)\n' "$1" "$C_YELLOW" "$C_RESET" "$4" "$3"
    fi
  else printf '  %-12s stopped\n' "$1"
  fi
}

servers_status() {
  echo "servers ($INFRA_DIR):"
  local r
  r=0; pg_running && r=1;  server_line postgres "$r" "$PG_PORT" "$(pg_pid)"
  r=0; rmq_running && r=1; server_line rabbitmq "$r" "$RMQ_PORT" "$(read_pid "$RMQ_DIR/server.pid")"
  r=0; ch_running && r=1;  server_line clickhouse "$r" "$CH_HTTP_PORT" "$(read_pid "$CH_DIR/server.pid")"
}

servers_env() {
  cat <<EOF
ConnectionStrings__Postgres=Host=127.0.0.1;Port=$PG_PORT;Database=$PG_DATABASE;Username=$PG_USER;Password=$PG_PASSWORD
RabbitMq__Uri=amqp://$RMQ_USER:$RMQ_PASSWORD@127.0.0.1:$RMQ_PORT/$RMQ_VHOST
ClickHouse__Url=http://127.0.0.1:$CH_HTTP_PORT/  (database $CH_DATABASE, user $CH_USER)
EOF
}

cmd_servers() {
  local action=${1:-status}
  case "$action" in
    start)  ensure_packages; REQUESTY_USE_EXISTING_SERVERS=0 servers_start; servers_env ;;
    stop)   servers_stop; ok "servers stopped" ;;
    status) servers_status ;;
    *) die "usage: ./requesty servers start|stop|status" ;;
  esac
}
