#!/usr/bin/env bash
# Mock of Twilio's REST API for the integration tests: Stoplight Prism serving Twilio's own OpenAPI spec
# (tools/peers/twilio/twilio_api_v2010.json, copied from twilio/twilio-oai) on 127.0.0.1.
#
#   tools/peers/start-twilio-mock.sh        starts the mock (or reuses the one this script already started) and prints
#                                           ONLY these lines on stdout (diagnostics go to stderr):
#                                             export MESSAGING_TWILIO_BASE_URL=http://127.0.0.1:PORT
#                                             export MESSAGING_TWILIO_MOCK_PID=PID
#   tools/peers/start-twilio-mock.sh stop   stops that mock by its PID.
#
#   eval "$(tools/peers/start-twilio-mock.sh)"   # ~3 s; the first run also installs Prism from npm (~20 s)
#
# Point TwilioSmsOptions.BaseUrl at $MESSAGING_TWILIO_BASE_URL: paths are Twilio's (/2010-04-01/Accounts/AC.../Messages.json).
# What the mock does: any Basic credentials pass (none -> 401); a valid create answers 201 with the spec's static example
# (sid SMaaaa..., status "queued", num_segments "1"), not an echo of the request; an invalid request (no To, a malformed
# AccountSid, a StatusCallback that is not a URI) answers 422 problem+json. It cannot produce Twilio's 4xx error bodies:
# the spec defines none. Do not add --errors: Twilio's own examples violate the spec on the list endpoints.
#
# Port: 4010, or the next free one (MESSAGING_TWILIO_MOCK_PORT overrides the first port tried).
# Prism: @stoplight/prism-cli 5.14.2 (5.15+ require Node 24), installed once with npm into
# ${XDG_CACHE_HOME:-$HOME/.cache}/messaging-peers/prism-5.14.2 (PRISM_HOME overrides). Needs node >= 18.20 and npm.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PRISM_VERSION=5.14.2
PRISM_HOME=${PRISM_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/messaging-peers/prism-$PRISM_VERSION}
SPEC="$HERE/twilio/twilio_api_v2010.json"
PRISM="$PRISM_HOME/node_modules/.bin/prism"

# A stopped process whose parent is gone stays a zombie until PID 1 reaps it, and `kill -0` succeeds on zombies,
# so "alive" means "exists and is not Z".
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [[ $s != Z* ]]; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# One state file per OS user: "PID PORT DIR".
STATE="${TMPDIR:-/tmp}/messaging-peers-twilio-mock-$(id -u).state"

if [ "${1:-}" = stop ]; then
  [ -f "$STATE" ] || { echo "twilio-mock: nothing to stop ($STATE missing)" >&2; exit 0; }
  read -r PID PORT D < "$STATE"
  if alive "$PID"; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$PID" || break; sleep 0.05; done
    alive "$PID" && kill -KILL "$PID" 2>/dev/null || true
  fi
  case "$D" in /*/messaging-twilio-mock-*) rm -rf "$D" ;; *) echo "twilio-mock: refusing to delete unexpected dir '$D'" >&2 ;; esac
  rm -f "$STATE"
  echo "twilio-mock: stopped pid $PID (port $PORT)" >&2
  exit 0
fi

[ $# -eq 0 ] || { echo "usage: $0 [stop]" >&2; exit 2; }

print_exports() {
  echo "export MESSAGING_TWILIO_BASE_URL=http://127.0.0.1:$1"
  echo "export MESSAGING_TWILIO_MOCK_PID=$2"
}

# Idempotent-ish: if our mock is still up, print its address again instead of starting a second one.
if [ -f "$STATE" ]; then
  read -r PID PORT D < "$STATE"
  if alive "$PID" && port_busy "$PORT"; then
    echo "twilio-mock: reusing running mock pid $PID on port $PORT" >&2
    print_exports "$PORT" "$PID"
    exit 0
  fi
  echo "twilio-mock: stale state for pid $PID, cleaning up" >&2
  case "$D" in /*/messaging-twilio-mock-*) rm -rf "$D" ;; esac
  rm -f "$STATE"
fi

[ -f "$SPEC" ] || { echo "twilio-mock: spec not found: $SPEC" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "twilio-mock: node and npm are required (Debian: apt-get install nodejs npm)" >&2; exit 2; }

if [ ! -x "$PRISM" ]; then
  echo "twilio-mock: installing @stoplight/prism-cli@$PRISM_VERSION into $PRISM_HOME (~20 s, once)" >&2
  mkdir -p "$PRISM_HOME"
  npm install --prefix "$PRISM_HOME" --no-audit --no-fund --loglevel=error --save-exact \
      "@stoplight/prism-cli@$PRISM_VERSION" >&2 \
    || { echo "twilio-mock: npm install failed" >&2; exit 1; }
fi

PORT=${MESSAGING_TWILIO_MOCK_PORT:-4010}
for _ in $(seq 1 50); do port_busy "$PORT" || break; PORT=$((PORT + 1)); done
port_busy "$PORT" && { echo "twilio-mock: no free port found from ${MESSAGING_TWILIO_MOCK_PORT:-4010}" >&2; exit 1; }

D=$(mktemp -d "${TMPDIR:-/tmp}/messaging-twilio-mock-$PORT.XXXXXX")
# setsid: the mock outlives this script (tools/test.sh captures our stdout, so we must not hold it open either).
setsid "$PRISM" mock -h 127.0.0.1 -p "$PORT" "$SPEC" </dev/null >"$D/prism.log" 2>&1 &
PID=$!
echo "$PID $PORT $D" > "$STATE"

# Prism prints "Prism is listening on http://127.0.0.1:PORT" when ready (~2-3 s for the 1.8 MB spec).
end=$((SECONDS + 90))
until grep -q "Prism is listening" "$D/prism.log" 2>/dev/null; do
  if ! alive "$PID" || [ $SECONDS -ge $end ]; then
    echo "twilio-mock: prism did not start; log:" >&2; tail -30 "$D/prism.log" >&2
    "$0" stop; exit 1
  fi
  sleep 0.1
done

echo "twilio-mock: prism $PRISM_VERSION up: pid $PID, http://127.0.0.1:$PORT, log $D/prism.log" >&2
echo "twilio-mock: stop with: $0 stop" >&2
print_exports "$PORT" "$PID"
