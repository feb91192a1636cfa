#!/usr/bin/env bash
# Real SMTP servers on 127.0.0.1 for the SMTP provider's integration tests and benchmark: three instances of
# tools/peers/smtp_sink.py (Debian python3-aiosmtpd), each with a JSON HTTP API to read back what arrived.
#
#   tools/peers/start-smtp.sh         starts them (or reuses the ones this script already started) and prints ONLY
#                                     `export NAME=value` lines on stdout; diagnostics go to stderr:
#       MESSAGING_SMTP_HOST=127.0.0.1
#       MESSAGING_SMTP_PORT / MESSAGING_SMTP_API                         plain SMTP, no AUTH
#       MESSAGING_SMTP_STARTTLS_PORT / MESSAGING_SMTP_STARTTLS_API       STARTTLS required, then AUTH required
#       MESSAGING_SMTP_IMPLICIT_TLS_PORT / MESSAGING_SMTP_IMPLICIT_TLS_API  TLS from the first byte, AUTH required
#       MESSAGING_SMTP_USER / MESSAGING_SMTP_PASSWORD                    the login the two TLS instances accept
#     The TLS instances use a throwaway self-signed certificate for 127.0.0.1 (clients must skip validation).
#   tools/peers/start-smtp.sh stop    stops them by PID and deletes their temp dir.
#
#   eval "$(tools/peers/start-smtp.sh)"    # ~0.5 s
#   curl -s "$MESSAGING_SMTP_API/email"    # what arrived (see smtp_sink.py for the API and the refusal rules:
#                                          #  @refused.invalid -> 550, @tempfail.invalid -> 451)
#   tools/peers/start-smtp.sh stop
#
# Ports: the first free ones from 2525 up (MESSAGING_SMTP_PORT_BASE overrides). Needs /usr/bin/python3 with
# python3-aiosmtpd and openssl (tools/peers/install.sh). Test servers only: they keep mail in memory.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's interpreter: apt's aiosmtpd is not visible to a pyenv/venv python
# A stopped server whose parent is gone stays a zombie until PID 1 reaps it, and `kill -0` succeeds on zombies,
# so "alive" means "exists and is not Z".
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [[ $s != Z* ]]; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# One state dir per OS user; it holds the certificate, the logs, pids (one per line) and env (the export lines).
STATE="${TMPDIR:-/tmp}/messaging-peers-smtp-$(id -u).state"

stop_pids() { # file with one pid per line
  local pid
  [ -f "$1" ] || return 0
  while read -r pid; do
    [ -n "$pid" ] || continue
    alive "$pid" && kill -TERM "$pid" 2>/dev/null || true
  done < "$1"
  while read -r pid; do
    [ -n "$pid" ] || continue
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done
    if alive "$pid"; then echo "smtp: pid $pid ignored SIGTERM; sending SIGKILL" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
  done < "$1"
}

cleanup_dir() {
  case "$1" in /*/messaging-smtp-*) rm -rf "$1" ;; *) echo "smtp: refusing to delete unexpected dir '$1'" >&2 ;; esac
}

if [ "${1:-}" = stop ]; then
  [ -f "$STATE" ] || { echo "smtp: nothing to stop ($STATE missing)" >&2; exit 0; }
  read -r D < "$STATE"
  stop_pids "$D/pids"
  cleanup_dir "$D"
  rm -f "$STATE"
  echo "smtp: stopped, removed $D" >&2
  exit 0
fi

[ $# -eq 0 ] || { echo "usage: $0 [stop]" >&2; exit 2; }

# Idempotent-ish: if our servers are all still up, print their addresses again instead of starting more.
if [ -f "$STATE" ]; then
  read -r D < "$STATE"
  ok=1
  if [ -f "$D/pids" ] && [ -f "$D/env" ]; then
    while read -r pid; do alive "$pid" || ok=0; done < "$D/pids"
  else
    ok=0
  fi
  if [ "$ok" = 1 ]; then
    echo "smtp: reusing the running sinks in $D" >&2
    cat "$D/env"
    exit 0
  fi
  echo "smtp: stale state in $D, cleaning up" >&2
  stop_pids "$D/pids"
  cleanup_dir "$D"
  rm -f "$STATE"
fi

"$PY" -c 'import aiosmtpd' 2>/dev/null || {
  echo "smtp: $PY cannot import aiosmtpd; run tools/peers/install.sh (apt-get install python3-aiosmtpd)" >&2; exit 2; }
command -v openssl >/dev/null || { echo "smtp: openssl is needed for the TLS sinks" >&2; exit 2; }

D=$(mktemp -d "${TMPDIR:-/tmp}/messaging-smtp-XXXXXX")
echo "$D" > "$STATE"
: > "$D/pids"
fail() { echo "smtp: $*" >&2; stop_pids "$D/pids"; cleanup_dir "$D"; rm -f "$STATE"; exit 1; }

# A throwaway certificate for 127.0.0.1 (EC P-256: generated in a few milliseconds).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
  -keyout "$D/smtp.key" -out "$D/smtp.crt" -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$D/openssl.log" 2>&1 \
  || { cat "$D/openssl.log" >&2; fail "could not create the test certificate"; }

NEXT=${MESSAGING_SMTP_PORT_BASE:-2525}
next_free_port() {
  local tries=0
  while port_busy "$NEXT"; do
    NEXT=$((NEXT + 1)); tries=$((tries + 1))
    [ $tries -lt 200 ] || return 1
  done
  FREE=$NEXT; NEXT=$((NEXT + 1))
}

USER_NAME=sdk-test
PASSWORD=sink-password-not-secret

start_sink() { # name, then smtp_sink.py args; sets SMTP_PORT and API
  local name=$1; shift
  next_free_port || fail "no free port from ${MESSAGING_SMTP_PORT_BASE:-2525}"; SMTP_PORT=$FREE
  next_free_port || fail "no free port from ${MESSAGING_SMTP_PORT_BASE:-2525}"; local api_port=$FREE
  "$PY" "$HERE/smtp_sink.py" --smtp-port "$SMTP_PORT" --http-port "$api_port" "$@" >"$D/$name.log" 2>&1 &
  local pid=$!
  echo "$pid" >> "$D/pids"
  API="http://127.0.0.1:$api_port"
  local end=$((SECONDS + 20))
  until "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$API/healthz" 2>/dev/null; do
    alive "$pid" || { cat "$D/$name.log" >&2; fail "$name sink exited"; }
    [ $SECONDS -lt $end ] || { cat "$D/$name.log" >&2; fail "$name sink did not answer on $API within 20 s"; }
    sleep 0.05
  done
  echo "smtp: $name sink up: pid $pid, smtp 127.0.0.1:$SMTP_PORT, api $API/email, log $D/$name.log" >&2
}

start_sink plain
PLAIN_PORT=$SMTP_PORT; PLAIN_API=$API
start_sink starttls --tls-cert "$D/smtp.crt" --tls-key "$D/smtp.key" --require-starttls --auth "$USER_NAME:$PASSWORD"
STARTTLS_PORT=$SMTP_PORT; STARTTLS_API=$API
start_sink implicit-tls --tls-cert "$D/smtp.crt" --tls-key "$D/smtp.key" --implicit-tls --auth "$USER_NAME:$PASSWORD"
IMPLICIT_PORT=$SMTP_PORT; IMPLICIT_API=$API

cat > "$D/env" <<EOF
export MESSAGING_SMTP_HOST=127.0.0.1
export MESSAGING_SMTP_PORT=$PLAIN_PORT
export MESSAGING_SMTP_API=$PLAIN_API
export MESSAGING_SMTP_STARTTLS_PORT=$STARTTLS_PORT
export MESSAGING_SMTP_STARTTLS_API=$STARTTLS_API
export MESSAGING_SMTP_IMPLICIT_TLS_PORT=$IMPLICIT_PORT
export MESSAGING_SMTP_IMPLICIT_TLS_API=$IMPLICIT_API
export MESSAGING_SMTP_USER=$USER_NAME
export MESSAGING_SMTP_PASSWORD=$PASSWORD
EOF
echo "smtp: stop with: $0 stop" >&2
cat "$D/env"
