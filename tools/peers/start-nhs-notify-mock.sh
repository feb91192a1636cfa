#!/usr/bin/env bash
# Mock of NHS England's NHS Notify API for the integration tests: Stoplight Prism serving NHS England's own OpenAPI spec
# (tools/peers/nhs-notify/specification/communications-manager.yaml, copied from NHSDigital/communications-manager-api,
# MIT, Crown Copyright) on 127.0.0.1.
#
#   tools/peers/start-nhs-notify-mock.sh        starts the mock (or reuses the one this script already started) and prints
#                                               ONLY these lines on stdout (diagnostics go to stderr):
#                                                 export MESSAGING_NHSNOTIFY_BASE_URL=http://127.0.0.1:PORT
#                                                 export MESSAGING_NHSNOTIFY_MOCK_PID=PID
#   tools/peers/start-nhs-notify-mock.sh stop   stops that mock by its PID.
#
#   eval "$(tools/peers/start-nhs-notify-mock.sh)"   # ~3 s; the first run also installs Prism from npm (~20 s)
#
# Point NhsNotifyOptions.BaseUrl at $MESSAGING_NHSNOTIFY_BASE_URL: paths are the spec's (/v1/messages).
# What the mock does: it validates each request against the spec (body schema, content type) and answers 201 with the
# spec's example for a valid create, 422 problem+json for an invalid one. The Authorization header is optional in the
# spec (the sandbox needs none), so any bearer passes. It cannot sign callbacks.
#
# Port: 4110, or the next free one (MESSAGING_NHSNOTIFY_MOCK_PORT overrides the first port tried).
# Prism: the same install as start-twilio-mock.sh (@stoplight/prism-cli 5.14.2 under
# ${XDG_CACHE_HOME:-$HOME/.cache}/messaging-peers/prism-5.14.2; PRISM_HOME overrides). Needs node >= 18.20 and npm.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PRISM_VERSION=5.14.2
PRISM_HOME=${PRISM_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/messaging-peers/prism-$PRISM_VERSION}
SPEC="$HERE/nhs-notify/specification/communications-manager.yaml"
PRISM="$PRISM_HOME/node_modules/.bin/prism"

# A stopped process whose parent is gone stays a zombie until PID 1 reaps it, and `kill -0` succeeds on zombies,
# so "alive" means "exists and is not Z".
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [[ $s != Z* ]]; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# One state file per OS user: "PID PORT DIR".
STATE="${TMPDIR:-/tmp}/messaging-peers-nhs-notify-mock-$(id -u).state"

if [ "${1:-}" = stop ]; then
  [ -f "$STATE" ] || { echo "nhs-notify-mock: nothing to stop ($STATE missing)" >&2; exit 0; }
  read -r PID PORT D < "$STATE"
  if alive "$PID"; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$PID" || break; sleep 0.05; done
    alive "$PID" && kill -KILL "$PID" 2>/dev/null || true
  fi
  case "$D" in /*/messaging-nhs-notify-mock-*) rm -rf "$D" ;; *) echo "nhs-notify-mock: refusing to delete unexpected dir '$D'" >&2 ;; esac
  rm -f "$STATE"
  echo "nhs-notify-mock: stopped pid $PID (port $PORT)" >&2
  exit 0
fi

[ $# -eq 0 ] || { echo "usage: $0 [stop]" >&2; exit 2; }

print_exports() {
  echo "export MESSAGING_NHSNOTIFY_BASE_URL=http://127.0.0.1:$1"
  echo "export MESSAGING_NHSNOTIFY_MOCK_PID=$2"
}

# Idempotent-ish: if our mock is still up, print its address again instead of starting a second one.
if [ -f "$STATE" ]; then
  read -r PID PORT D < "$STATE"
  if alive "$PID" && port_busy "$PORT"; then
    echo "nhs-notify-mock: reusing running mock pid $PID on port $PORT" >&2
    print_exports "$PORT" "$PID"
    exit 0
  fi
  echo "nhs-notify-mock: stale state for pid $PID, cleaning up" >&2
  case "$D" in /*/messaging-nhs-notify-mock-*) rm -rf "$D" ;; esac
  rm -f "$STATE"
fi

[ -f "$SPEC" ] || { echo "nhs-notify-mock: spec not found: $SPEC" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "nhs-notify-mock: node and npm are required (Debian: apt-get install nodejs npm)" >&2; exit 2; }

if [ ! -x "$PRISM" ]; then
  echo "nhs-notify-mock: installing @stoplight/prism-cli@$PRISM_VERSION into $PRISM_HOME (~20 s, once)" >&2
  mkdir -p "$PRISM_HOME"
  npm install --prefix "$PRISM_HOME" --no-audit --no-fund --loglevel=error --save-exact \
      "@stoplight/prism-cli@$PRISM_VERSION" >&2 \
    || { echo "nhs-notify-mock: npm install failed" >&2; exit 1; }
fi

PORT=${MESSAGING_NHSNOTIFY_MOCK_PORT:-4110}
for _ in $(seq 1 50); do port_busy "$PORT" || break; PORT=$((PORT + 1)); done
port_busy "$PORT" && { echo "nhs-notify-mock: no free port found from ${MESSAGING_NHSNOTIFY_MOCK_PORT:-4110}" >&2; exit 1; }

D=$(mktemp -d "${TMPDIR:-/tmp}/messaging-nhs-notify-mock-$PORT.XXXXXX")
# setsid: the mock outlives this script (tools/test.sh captures our stdout, so we must not hold it open either).
setsid "$PRISM" mock -h 127.0.0.1 -p "$PORT" "$SPEC" </dev/null >"$D/prism.log" 2>&1 &
PID=$!
echo "$PID $PORT $D" > "$STATE"

# Prism prints "Prism is listening on http://127.0.0.1:PORT" when ready .
end=$((SECONDS + 90))
until grep -q "Prism is listening" "$D/prism.log" 2>/dev/null; do
  if ! alive "$PID" || [ $SECONDS -ge $end ]; then
    echo "nhs-notify-mock: prism did not start; log:" >&2; tail -30 "$D/prism.log" >&2
    "$0" stop; exit 1
  fi
  sleep 0.1
done

echo "nhs-notify-mock: prism $PRISM_VERSION up: pid $PID, http://127.0.0.1:$PORT, log $D/prism.log" >&2
echo "nhs-notify-mock: stop with: $0 stop" >&2
print_exports "$PORT" "$PID"
