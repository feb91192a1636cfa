#!/usr/bin/env bash
# Installs, once, what the integration tests talk to. Idempotent and quiet when everything is there.
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)           # the browser tests drive Debian's Chromium (Playwright, ExecutablePath)
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || need+=(python3-aiosmtpd)
command -v openssl >/dev/null 2>&1 || need+=(openssl)   # the SMTP sinks' throwaway TLS certificate
command -v postfix >/dev/null 2>&1 || need+=(postfix)   # the bouncing relay of the delivery-status tests (start-mailrelay.sh)
command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  # Postfix's installer would ask how to configure the system's mail: it is not configured at all (the tests run their own).
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections 2>/dev/null || true
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
