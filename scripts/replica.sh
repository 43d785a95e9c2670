#!/usr/bin/env bash
# A streaming read replica (hot standby) of the PostgreSQL on 127.0.0.1:5432, as a second
# cluster on another port, for a bench or a test on one machine (production: docs/deployment.md).
#
#   scripts/replica.sh start    # replication role, slot and pg_hba entry on the primary,
#                               # pg_basebackup -R into REPLICA_DIR, start on REPLICA_PORT, wait
#                               # until it streams
#   scripts/replica.sh status   # pg_stat_replication on the primary, lag in bytes and seconds
#   scripts/replica.sh stop     # stop it, drop its slot on the primary, remove its data
#
# Environment (defaults in brackets): REPLICA_DIR [/var/lib/postgresql/jiesu-replica] (the
# script's own directory, owned by postgres), REPLICA_PORT [5433], PRIMARY_PORT [5432],
# REPLICA_SLOT [jiesu_replica], PG_BIN [/usr/lib/postgresql/<newest>/bin].
#
# The replica is disposable here: stop removes it and drops the slot, because a slot whose
# standby is gone keeps every WAL segment on the primary (on a shared server, until its disk is
# full). start makes a fresh copy (pg_basebackup copies the whole cluster: every database on
# the primary). Then DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/NAME.
set -euo pipefail

REPLICA_DIR=${REPLICA_DIR:-/var/lib/postgresql/jiesu-replica}
REPLICA_PORT=${REPLICA_PORT:-5433}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_SLOT=${REPLICA_SLOT:-jiesu_replica}
REPL_USER=jiesu_replicator
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -n1)/bin}
DATA="$REPLICA_DIR/data"

as_pg() { runuser -u postgres -- "$@"; }
primary() { psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }

prepare_primary() {
  # A role that may only replicate, with a password (scram): the replication connection is the
  # one pg_hba entry this script adds, and it is not a trust entry.
  local password_file="$REPLICA_DIR/replicator.password"
  if [ ! -s "$password_file" ]; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$password_file"
  fi
  chmod 600 "$password_file"; chown postgres:postgres "$password_file"
  local password; password=$(cat "$password_file")
  primary -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$REPL_USER') THEN
        CREATE ROLE $REPL_USER WITH REPLICATION LOGIN;
      END IF; END \$\$;" \
    -c "SET password_encryption = 'scram-sha-256'" -c "ALTER ROLE $REPL_USER PASSWORD '$password'"
  local hba; hba=$(primary -c "SHOW hba_file")
  if ! grep -q "^host *replication *$REPL_USER " "$hba"; then
    # Before the first line that could match a replication connection.
    printf '# added by jiesu scripts/replica.sh: the read replica streams over this entry\nhost replication %s 127.0.0.1/32 scram-sha-256\n' "$REPL_USER" >"$hba.jiesu"
    cat "$hba" >>"$hba.jiesu" && cat "$hba.jiesu" >"$hba" && rm -f "$hba.jiesu"
    primary -c "SELECT pg_reload_conf()" >/dev/null
    sleep 0.5
  fi
  # The slot keeps the WAL the replica has not yet received, so it can fall behind (a load, a
  # restart) without needing a new base backup.
  if [ -z "$(primary -c "SELECT 1 FROM pg_replication_slots WHERE slot_name = '$REPLICA_SLOT'")" ]; then
    primary -c "SELECT pg_create_physical_replication_slot('$REPLICA_SLOT')" >/dev/null
  fi
  # .pgpass for pg_basebackup and, through primary_conninfo's passfile, for the standby.
  printf '127.0.0.1:%s:*:%s:%s\n' "$PRIMARY_PORT" "$REPL_USER" "$password" >"$REPLICA_DIR/.pgpass"
  chmod 600 "$REPLICA_DIR/.pgpass"; chown postgres:postgres "$REPLICA_DIR/.pgpass"
}

write_config() {
  # The base backup has no postgresql.conf or pg_hba.conf: on Debian they live in /etc.
  cat >"$DATA/postgresql.conf" <<CONF
# Written by scripts/replica.sh: a hot standby of 127.0.0.1:$PRIMARY_PORT.
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$REPLICA_DIR'
# A hot standby needs at least the primary's max_connections.
max_connections = 100
shared_buffers = 256MB
hot_standby = on
# Reports and the assessment run long queries: the primary keeps the rows they read (vacuum
# waits for them) instead of the standby cancelling them; the price is some bloat on the primary
# while a long report runs. A standby that falls further behind than this cancels instead.
hot_standby_feedback = on
max_standby_streaming_delay = 60s
wal_receiver_status_interval = 1s
timezone = 'Etc/UTC'
log_timezone = 'Etc/UTC'
datestyle = 'iso, mdy'
lc_messages = 'C.UTF-8'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
CONF
  cat >"$DATA/pg_hba.conf" <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
  : >"$DATA/pg_ident.conf"
  chown postgres:postgres "$DATA/postgresql.conf" "$DATA/pg_hba.conf" "$DATA/pg_ident.conf"
}

running() { [ -f "$DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

case "${1:-}" in
  start)
    if running; then echo "replica already running on 127.0.0.1:$REPLICA_PORT"; exit 0; fi
    mkdir -p "$REPLICA_DIR"; chown postgres:postgres "$REPLICA_DIR"; chmod 700 "$REPLICA_DIR"
    prepare_primary
    rm -rf "$DATA"
    t0=$(date +%s.%N)
    as_pg env PGPASSFILE="$REPLICA_DIR/.pgpass" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U "$REPL_USER" \
      -D "$DATA" -R -S "$REPLICA_SLOT" -X stream -c fast --no-password
    t1=$(date +%s.%N)
    # -R wrote standby.signal and primary_conninfo; the password stays in the passfile.
    echo "primary_conninfo = 'host=127.0.0.1 port=$PRIMARY_PORT user=$REPL_USER passfile=''$REPLICA_DIR/.pgpass'' application_name=jiesu_replica'" \
      >>"$DATA/postgresql.auto.conf"
    write_config
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$REPLICA_DIR/replica.log" -w -t 120 start >/dev/null
    for _ in $(seq 100); do
      state=$(primary -c "SELECT state FROM pg_stat_replication WHERE application_name = 'jiesu_replica'" || true)
      [ "$state" = "streaming" ] && break
      sleep 0.3
    done
    size=$(du -sh "$DATA" | cut -f1)
    printf 'replica on 127.0.0.1:%s streaming from 127.0.0.1:%s (slot %s); base backup %s in %.1fs\n' \
      "$REPLICA_PORT" "$PRIMARY_PORT" "$REPLICA_SLOT" "$size" "$(awk "BEGIN{print $t1 - $t0}")"
    [ "$state" = "streaming" ] || { echo "not streaming yet (state '$state'); see $REPLICA_DIR/replica.log" >&2; exit 1; }
    ;;
  stop)
    if running; then as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; echo "replica stopped"; fi
    if [ -n "$(primary -c "SELECT 1 FROM pg_replication_slots WHERE slot_name = '$REPLICA_SLOT'")" ]; then
      primary -c "SELECT pg_drop_replication_slot('$REPLICA_SLOT')" >/dev/null && echo "slot $REPLICA_SLOT dropped"
    fi
    rm -rf "$DATA"
    ;;
  status)
    primary -P pager=off -F ' ' -c "SELECT application_name, state, sync_state,
        pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS replay_lag_bytes,
        coalesce(extract(epoch FROM replay_lag), 0) AS replay_lag_seconds
      FROM pg_stat_replication WHERE application_name = 'jiesu_replica'"
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2; exit 2
    ;;
esac
