# ./requesty install: Debian packages for the local servers, and the .NET SDK check.

REQUIRED_PACKAGES=(postgresql-15 rabbitmq-server clickhouse-server clickhouse-client curl docker-compose)

package_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "installing packages needs root (or sudo): $*"
  fi
}

ensure_packages() {
  command -v dpkg-query >/dev/null 2>&1 || die "this script needs a Debian-based system (dpkg/apt-get); Debian 12 is supported"
  local missing=() p
  for p in "${REQUIRED_PACKAGES[@]}"; do
    package_installed "$p" || missing+=("$p")
  done
  # Node.js runs the reference MCP server (npm @modelcontextprotocol/server-everything) in the MCP gateway tests.
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  [ "${#missing[@]}" -eq 0 ] && return 0

  log "installing missing packages: ${missing[*]}"
  # Without a policy-rc.d that says "no", the packages' postinst scripts would start system-wide
  # PostgreSQL/RabbitMQ/ClickHouse on their default ports. We run our own instances instead.
  local created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
    created_policy=1
  fi
  local status=0
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || status=$?
  if [ "$status" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" || status=$?
  fi
  [ "$created_policy" -eq 1 ] && as_root rm -f /usr/sbin/policy-rc.d
  [ "$status" -eq 0 ] || die "apt-get failed (exit $status) while installing: ${missing[*]}"
  ok "installed: ${missing[*]}"
}

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    die "the .NET 10 SDK is a prerequisite and 'dotnet' is not on PATH. Install the .NET 10 SDK (e.g. the 'dotnet-sdk-10.0' package or https://dot.net) and run again."
  fi
  if ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
    die "the .NET 10 SDK is a prerequisite; 'dotnet --list-sdks' shows: $(dotnet --list-sdks 2>/dev/null | tr '\n' ' ')"
  fi
}

cmd_install() {
  ensure_packages
  require_dotnet
  ok "prerequisites present (PostgreSQL 15, RabbitMQ, ClickHouse, curl, docker-compose, Node.js $(node --version), .NET $(dotnet --version))"
}
