#!/usr/bin/env bash
# A private PostgreSQL cluster for local runs and tests: its own data directory and port, on 127.0.0.1 only.
#   scripts/postgres.sh start <port>   create (first time) and start it; prints the connection string
#   scripts/postgres.sh stop  <port>
#   scripts/postgres.sh restart <port>
#   scripts/postgres.sh crash <port>   stop it as a crash would (immediate: no checkpoint, recovery at the next start)
# PostgreSQL refuses to run as root, so as root the server runs as the 'postgres' user.
set -euo pipefail

action=${1:?usage: postgres.sh start|stop|restart|crash <port>}
port=${2:-55432}
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bin/pg_ctl" ] || { echo "PostgreSQL server binaries not found (install 'postgresql' or set PG_BIN)." >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

data="$repo/.pgdata/$port"
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$data" && chown postgres: "$data" "$repo/.pgdata"
  # The server user must be able to reach the folder; a repository under a private home directory is not reachable.
  if ! runuser -u postgres -- test -w "$data"; then
    data="${TMPDIR:-/tmp}/poe-bridge-pgdata-$(echo "$repo" | md5sum | cut -c1-8)/$port"
    mkdir -p "$data" && chown postgres: "$data" "$(dirname "$data")"
  fi
else
  mkdir -p "$data"
fi
chmod 700 "$data"

case "$action" in
  start)
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
      cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 300
shared_buffers = 256MB
fsync = on
CONF
    fi
    if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  crash)
    as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null
    ;;
  restart)
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 restart -l "$data/server.log" >/dev/null
    ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
