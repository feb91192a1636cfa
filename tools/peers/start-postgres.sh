#!/usr/bin/env bash
# Throwaway PostgreSQL cluster on 127.0.0.1 for the integration tests (Debian 12, postgresql-15).
#
#   tools/peers/start-postgres.sh        starts a cluster (or reuses the one this script already started) and prints
#                                        ONE line on stdout:  export MESSAGING_POSTGRES='<Npgsql connection string>'
#                                        Diagnostics go to stderr.
#   tools/peers/start-postgres.sh stop   stops that cluster by its postmaster PID and deletes its data dir.
#
#   eval "$(tools/peers/start-postgres.sh)"   # ~1.5 s on 2 cores
#   ... dotnet test ...
#   tools/peers/start-postgres.sh stop
#
# Port: 55432, or the next free one when it is taken (MESSAGING_POSTGRES_PORT overrides the first port tried).
# Database: sdktest (MESSAGING_POSTGRES_DB overrides). Needs the postgresql package (tools/peers/install.sh).
# Works as root (the server runs as the 'postgres' user via runuser: PostgreSQL refuses to run as root) or as any
# other user (the server runs as that user). The cluster is throwaway: trust auth, fsync off, data under /tmp.
# Never point it at real data.
set -euo pipefail

# A stopped server whose parent is gone stays a zombie until PID 1 reaps it (~1.5 s on this kind of machine) and
# `kill -0` succeeds on zombies, so "alive" means "exists and is not Z".
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [[ $s != Z* ]]; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# One state file per OS user, so root's and a developer's clusters never collide: "PID PORT DB DIR".
STATE="${TMPDIR:-/tmp}/messaging-peers-postgres-$(id -u).state"

if [ "${1:-}" = stop ]; then
  [ -f "$STATE" ] || { echo "postgres: nothing to stop ($STATE missing)" >&2; exit 0; }
  read -r PID PORT DB D < "$STATE"
  if alive "$PID"; then
    # SIGQUIT = immediate shutdown (no checkpoint: fine for throwaway data), ~0.1 s.
    kill -QUIT "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$PID" || break; sleep 0.05; done
    if alive "$PID"; then echo "postgres: postmaster $PID still alive after SIGQUIT" >&2; exit 1; fi
  fi
  case "$D" in /*/messaging-pg-*) rm -rf "$D" ;; *) echo "postgres: refusing to delete unexpected dir '$D'" >&2 ;; esac
  rm -f "$STATE"
  echo "postgres: stopped pid $PID (port $PORT), removed $D" >&2
  exit 0
fi

[ $# -eq 0 ] || { echo "usage: $0 [stop]" >&2; exit 2; }

connection_string() { echo "Host=127.0.0.1;Port=$1;Database=$2;Username=postgres;Password=postgres"; }

# Idempotent-ish: if our cluster is still up, print its address again instead of starting a second one.
if [ -f "$STATE" ]; then
  read -r PID PORT DB D < "$STATE"
  if alive "$PID" && port_busy "$PORT"; then
    echo "postgres: reusing running cluster pid $PID on port $PORT" >&2
    echo "export MESSAGING_POSTGRES='$(connection_string "$PORT" "$DB")'"
    exit 0
  fi
  echo "postgres: stale state for pid $PID, cleaning up" >&2
  case "$D" in /*/messaging-pg-*) rm -rf "$D" ;; esac
  rm -f "$STATE"
fi

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || {
  echo "postgres: server binaries not found; run tools/peers/install.sh (apt-get install postgresql)" >&2; exit 2; }

if [ "$(id -u)" = 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

PORT=${MESSAGING_POSTGRES_PORT:-55432}
DB=${MESSAGING_POSTGRES_DB:-sdktest}
for _ in $(seq 1 50); do port_busy "$PORT" || break; PORT=$((PORT + 1)); done
port_busy "$PORT" && { echo "postgres: no free port found from ${MESSAGING_POSTGRES_PORT:-55432}" >&2; exit 1; }

D=$(mktemp -d "${TMPDIR:-/tmp}/messaging-pg-$PORT.XXXXXX")
chmod 700 "$D"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$D"

# --no-sync + trust auth + C.UTF-8 locale: ~0.9 s on 2 cores.
as_pg "$PGBIN/initdb" -D "$D/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      --no-sync --no-instructions >"$D/initdb.log" 2>&1 \
  || { cat "$D/initdb.log" >&2; rm -rf "$D"; exit 1; }

# TCP only on 127.0.0.1; the unix socket goes into the temp dir (/var/run/postgresql may not exist or be writable).
as_pg "$PGBIN/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 30 -o \
  "-p $PORT -c listen_addresses=127.0.0.1 -k $D -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >"$D/pg_ctl.log" 2>&1 \
  || { cat "$D/pg_ctl.log" "$D/server.log" >&2
       [ -f "$D/data/postmaster.pid" ] && kill -QUIT "$(head -1 "$D/data/postmaster.pid")" 2>/dev/null
       rm -rf "$D"; exit 1; }

PID=$(head -1 "$D/data/postmaster.pid")
echo "$PID $PORT $DB $D" > "$STATE"

if [ "$DB" != postgres ]; then
  "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE \"$DB\"" >&2 \
    || { echo "postgres: could not create database $DB" >&2; "$0" stop; exit 1; }
fi

echo "postgres $("$PGBIN/postgres" --version | awk '{print $3}') up: pid $PID, port $PORT, dir $D, log $D/server.log" >&2
echo "postgres: stop with: $0 stop" >&2
echo "export MESSAGING_POSTGRES='$(connection_string "$PORT" "$DB")'"
