#!/usr/bin/env bash
# PgBouncer in transaction pooling mode in front of PostgreSQL, for a bench or a test on one
# machine (production: docs/deployment.md).
#
#   scripts/pgbouncer.sh start     # installs the Debian package if missing, writes the config, starts
#   scripts/pgbouncer.sh status    # SHOW POOLS through the admin console
#   scripts/pgbouncer.sh stop
#
# Environment (defaults in brackets): PGB_DIR [/tmp/jiesu-pgbouncer] (config, log, pid; owned by
# the postgres user, whom PgBouncer runs as: it refuses to run as root), PGB_PORT [6432],
# PG_HOST [127.0.0.1], PG_PORT [5432], PGB_POOL_SIZE [20] server connections per database and
# user, PGB_MAX_CLIENTS [1000].
#
# Every database of the server is reachable under its own name (the `*` entry), so
# DATABASE_URL=postgres://postgres@127.0.0.1:6432/NAME with JIESU_PGBOUNCER=1 is all Django needs.
# Authentication: trust, as the PostgreSQL of this machine (loopback only). A production pooler
# uses scram-sha-256 with auth_query (docs/deployment.md).
set -euo pipefail

PGB_DIR=${PGB_DIR:-/tmp/jiesu-pgbouncer}
PGB_PORT=${PGB_PORT:-6432}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PGB_POOL_SIZE=${PGB_POOL_SIZE:-20}
PGB_MAX_CLIENTS=${PGB_MAX_CLIENTS:-1000}

install_if_missing() {
  if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
    echo "== installing pgbouncer"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
  fi
}

write_config() {
  mkdir -p "$PGB_DIR"
  cat >"$PGB_DIR/pgbouncer.ini" <<INI
; Written by scripts/pgbouncer.sh: transaction pooling for Jiesu (see docs/deployment.md).
[databases]
; Any database name a client asks for, on the PostgreSQL server behind. JIT off on every server
; connection: Django cannot pass it as the startup option 'options', which PgBouncer refuses.
* = host=$PG_HOST port=$PG_PORT connect_query='SET jit = off'

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB_PORT
unix_socket_dir = $PGB_DIR
auth_type = trust
auth_file = $PGB_DIR/userlist.txt
admin_users = postgres
stats_users = postgres
pool_mode = transaction
default_pool_size = $PGB_POOL_SIZE
; A few more connections for a burst, handed out after the client has waited reserve_pool_timeout.
reserve_pool_size = 5
reserve_pool_timeout = 2
max_client_conn = $PGB_MAX_CLIENTS
; Nothing is left on a server connection by a transaction in transaction mode; DISCARD ALL is for
; session mode only.
server_reset_query =
server_check_query = select 1
server_check_delay = 10
; Give up on a client that waited this long for a server connection (the app shows an error
; instead of hanging): pool waits are what to monitor (SHOW POOLS: cl_waiting, maxwait).
query_wait_timeout = 30
server_lifetime = 3600
server_idle_timeout = 600
logfile = $PGB_DIR/pgbouncer.log
pidfile = $PGB_DIR/pgbouncer.pid
log_connections = 0
log_disconnections = 0
stats_period = 60
INI
  # trust needs the user names to be known: the ones Jiesu's scripts connect as.
  printf '"postgres" ""\n"jiesu" ""\n"jiesu_app" ""\n' >"$PGB_DIR/userlist.txt"
  chown -R postgres:postgres "$PGB_DIR"
}

running() {
  [ -f "$PGB_DIR/pgbouncer.pid" ] && kill -0 "$(cat "$PGB_DIR/pgbouncer.pid")" 2>/dev/null
}

case "${1:-}" in
  start)
    install_if_missing
    if running; then echo "pgbouncer already running on 127.0.0.1:$PGB_PORT (pid $(cat "$PGB_DIR/pgbouncer.pid"))"; exit 0; fi
    write_config
    runuser -u postgres -- /usr/sbin/pgbouncer -d "$PGB_DIR/pgbouncer.ini"
    for _ in $(seq 50); do
      if psql -h 127.0.0.1 -p "$PGB_PORT" -U postgres -d pgbouncer -Atqc "SHOW VERSION" >/dev/null 2>&1; then
        echo "pgbouncer on 127.0.0.1:$PGB_PORT (transaction pooling, $PGB_POOL_SIZE server connections per pool) -> $PG_HOST:$PG_PORT, pid $(cat "$PGB_DIR/pgbouncer.pid")"
        exit 0
      fi
      sleep 0.2
    done
    echo "pgbouncer did not answer; log:" >&2; tail -20 "$PGB_DIR/pgbouncer.log" >&2; exit 1
    ;;
  stop)
    if running; then
      pid=$(cat "$PGB_DIR/pgbouncer.pid")
      kill -TERM "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      echo "pgbouncer stopped"
    else
      echo "pgbouncer not running"
    fi
    ;;
  status)
    psql -h 127.0.0.1 -p "$PGB_PORT" -U postgres -d pgbouncer -c "SHOW POOLS"
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2; exit 2
    ;;
esac
