#!/usr/bin/env bash
# The browser the browser tests drive: Debian's Chromium (installed by tools/peers/install.sh). Nothing runs until a
# test launches it (Playwright starts and stops its own headless instance), so this only says where it is.
#
#   tools/peers/start-chromium.sh         prints `export MESSAGING_CHROMIUM=/usr/bin/chromium` (fails if missing)
#   tools/peers/start-chromium.sh stop    nothing to stop
set -euo pipefail
[ "${1:-}" = "stop" ] && exit 0
CHROMIUM=${MESSAGING_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "Chromium is not installed at $CHROMIUM: run tools/peers/install.sh (apt package chromium)." >&2
  exit 1
fi
echo "export MESSAGING_CHROMIUM=$CHROMIUM"
