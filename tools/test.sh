#!/usr/bin/env bash
# Runs the whole test suite the way CI does, on a fresh machine:
#   1. installs what the integration tests need (Debian packages, npm tools) if it is missing,
#   2. starts each real peer on 127.0.0.1 (tools/peers/*.sh print `export NAME=value` lines),
#   3. builds the solution (warnings are errors), packs the packages and runs the README's first example against them
#      from a fresh project (tools/pack-test.sh), and runs every test project,
#   4. prints the totals (the pack test counts as one test) and stops the peers, whatever happened.
#
#   bash tools/test.sh                # everything
#   bash tools/test.sh --no-peers     # unit tests only; integration tests skip with a reason
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

WITH_PEERS=1
[ "${1:-}" = "--no-peers" ] && WITH_PEERS=0

RESULTS=$ROOT/artifacts/test-results
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

STOPS=()
cleanup() {
  local i
  for (( i=${#STOPS[@]}-1; i>=0; i-- )); do eval "${STOPS[$i]}" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

if [ "$WITH_PEERS" = 1 ]; then
  bash tools/peers/install.sh
  # Each start script prints `export NAME=value` lines and registers its own stop command.
  for peer in tools/peers/start-*.sh; do
    [ -e "$peer" ] || continue
    name=$(basename "$peer" .sh); name=${name#start-}
    echo "== starting $name" >&2
    out=$(bash "$peer") || { echo "could not start $name" >&2; exit 1; }
    eval "$out"
    STOPS+=("bash $peer stop")
  done
  export MESSAGING_PEERS_REQUIRED=1   # integration tests fail (not skip) when a peer is missing
fi

dotnet build Messaging.sln -c Release -warnaserror -nologo -v q

status=0
PACK_LOG=$RESULTS/pack-test.log
pack=passed
echo "== pack test" >&2
bash tools/pack-test.sh --no-build > "$PACK_LOG" 2>&1 || { pack=failed; status=1; }
tail -n 1 "$PACK_LOG"
[ "$pack" = passed ] || { echo "pack test failed; its output:" >&2; cat "$PACK_LOG" >&2; }

dotnet test Messaging.sln -c Release --no-build --nologo \
  --logger "trx" --results-directory "$RESULTS" -- RunConfiguration.TestSessionTimeout=3000000 || status=$?

# Totals over every test project, from the TRX files (one per project).
python_totals() {
  /usr/bin/env python3 - "$RESULTS" "$pack" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
p = f = s = 0
if sys.argv[2] == "passed": p += 1   # the pack test
else: f += 1
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    # Skipped tests are counted in neither "notExecuted" nor "passed" by the TRX logger: they are total - executed.
    s += max(int(c.get("notExecuted", 0)), int(c.get("total", 0)) - int(c.get("executed", 0)))
print(f"Totals: {p} passed, {f} failed, {s} skipped")
PY
}
python_totals
exit $status
