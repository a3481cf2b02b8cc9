# ./requesty test: every test suite against the local servers (started here when they are not running).

TEST_STARTED_SERVERS=0

test_cleanup() {
  if [ "$TEST_STARTED_SERVERS" = 1 ] && servers_any_running; then
    TEST_STARTED_SERVERS=0
    log "stopping the servers this run started..."
    servers_stop
  fi
}

export_test_env() {
  export REQUESTY_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Database=$PG_TEST_DATABASE;Username=$PG_USER;Password=$PG_PASSWORD"
  export REQUESTY_TEST_RABBITMQ="amqp://$RMQ_USER:$RMQ_PASSWORD@127.0.0.1:$RMQ_PORT/$RMQ_TEST_VHOST"
  export REQUESTY_TEST_CLICKHOUSE_URL="http://127.0.0.1:$CH_HTTP_PORT/"
  export REQUESTY_TEST_CLICKHOUSE_DATABASE=$CH_TEST_DATABASE
  export REQUESTY_TEST_CLICKHOUSE_USER=$CH_USER
  export REQUESTY_TEST_CLICKHOUSE_PASSWORD=$CH_PASSWORD
}

# Sums the per-assembly summaries of `dotnet test` (VSTest lines such as
# "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..." and the terminal logger's
# "Test summary: total: 12, failed: 0, succeeded: 12, skipped: 0, ...") into "passed failed skipped".
sum_test_results() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '
    /(Passed|Failed)! *- *Failed: *[0-9]+, *Passed: *[0-9]+/ {
      line = $0
      match(line, /Failed: *[0-9]+/);  f += substr(line, RSTART + 7, RLENGTH - 7) + 0
      match(line, /Passed: *[0-9]+/);  p += substr(line, RSTART + 7, RLENGTH - 7) + 0
      if (match(line, /Skipped: *[0-9]+/)) s += substr(line, RSTART + 8, RLENGTH - 8) + 0
      vstest = 1; next
    }
    /Test summary: total: *[0-9]+, *failed: *[0-9]+, *succeeded: *[0-9]+/ && !vstest {
      line = $0
      match(line, /failed: *[0-9]+/);    tf += substr(line, RSTART + 7, RLENGTH - 7) + 0
      match(line, /succeeded: *[0-9]+/); tp += substr(line, RSTART + 10, RLENGTH - 10) + 0
      if (match(line, /skipped: *[0-9]+/)) ts += substr(line, RSTART + 8, RLENGTH - 8) + 0
      terminal = 1
    }
    END {
      if (vstest) print p + 0, f + 0, s + 0
      else if (terminal) print tp + 0, tf + 0, ts + 0
      else print 0, 0, 0
    }'
}

cmd_test() {
  export REQUESTY_USE_EXISTING_SERVERS=${REQUESTY_USE_EXISTING_SERVERS:-1}
  cmd_install
  trap 'test_cleanup' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if ! servers_running; then
    # Stop at the end only what this run started; servers somebody else runs stay up.
    servers_any_running || TEST_STARTED_SERVERS=1
    servers_start
  else
    log "using the running servers"
  fi
  export_test_env

  log "building Requesty.sln (Release)..."
  if ! dotnet build "$REPO_ROOT/Requesty.sln" -c Release -nologo -v q -clp:NoSummary; then
    test_cleanup
    printf '%s[requesty]%s %serror:%s build failed (see the errors above)\n' "$C_BOLD" "$C_RESET" "$C_RED" "$C_RESET" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi

  mkdir -p "$LOG_DIR"
  local output=$LOG_DIR/test-output.log status=0
  log "running the tests (output also in $output)..."
  set +e
  # A hung test host fails its run after REQUESTY_TEST_HANG_TIMEOUT instead of eating CI's whole budget.
  dotnet test "$REPO_ROOT/Requesty.sln" -c Release --no-build -nologo --tl:off \
    --blame-hang-timeout "${REQUESTY_TEST_HANG_TIMEOUT:-20m}" --blame-hang-dump-type none "$@" 2>&1 | tee "$output"
  status=${PIPESTATUS[0]}
  set -e

  test_cleanup
  local passed failed skipped
  read -r passed failed skipped < <(sum_test_results "$output")
  echo
  grep -E '(Passed|Failed)! *-' "$output" | sed 's/\x1b\[[0-9;]*m//g' || true
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    warn "dotnet test exited with $status although no test failed (a test host crash, a build problem or a bad filter?)"
    failed=1
  fi
  if [ $((passed + failed)) -eq 0 ]; then
    warn "no test ran"
  fi
  if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  [ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
}
