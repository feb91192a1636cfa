#!/usr/bin/env bash
# A relay that bounces and an IMAP mailbox, for the SMTP provider's delivery-status tests (RFC 3461/3464): a throwaway
# Postfix and Dovecot on 127.0.0.1 (Debian's postfix and dovecot-imapd), configured in a temp dir; no system service or
# system configuration is touched.
#
#   tools/peers/start-mailrelay.sh        starts them (or reuses the ones this script already started) and prints ONLY
#                                         `export NAME=value` lines on stdout; diagnostics go to stderr:
#       MESSAGING_RELAY_HOST=127.0.0.1
#       MESSAGING_RELAY_SMTP_PORT         Postfix: relays for 127.0.0.0/8, no AUTH, DSN supported
#       MESSAGING_RELAY_IMAP_PORT         Dovecot: plain IMAP (no TLS), any user below with MESSAGING_RELAY_PASSWORD
#       MESSAGING_RELAY_PASSWORD
#       MESSAGING_RELAY_BOUNCES=bounces@trust.test   the envelope sender's mailbox, where reports arrive (and any
#                                         bounces-1 … bounces-9@trust.test: a mailbox of its own per test)
#       MESSAGING_RELAY_KNOWN=jane@patients.test     a mailbox that exists: delivered (a success DSN when asked)
#       MESSAGING_RELAY_UNDELIVERABLE_DOMAIN=undeliverable.test   accepted, then bounced with 5.1.1 (a real DSN)
#       MESSAGING_RELAY_DIR               the temp dir (Maildirs under mail/, logs)
#   tools/peers/start-mailrelay.sh stop   stops both and deletes the temp dir.
#
# Ports: the first free ones from 2526 (SMTP) and 1143 (IMAP) up. Needs root (Postfix's master runs as root and drops to
# the postfix user) and tools/peers/install.sh (apt-get install postfix dovecot-imapd).
set -euo pipefail

alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [[ $s != Z* ]]; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
STATE="${TMPDIR:-/tmp}/messaging-peers-mailrelay-$(id -u).state"

stop_all() { # dir
  local d=$1
  [ -d "$d" ] || return 0
  [ -f "$d/etc/main.cf" ] && postfix -c "$d/etc" stop >/dev/null 2>&1 || true
  if [ -f "$d/dovecot/run/master.pid" ]; then
    local pid; pid=$(cat "$d/dovecot/run/master.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done
  fi
  # Postfix's master exits a moment after `stop`; wait for it so the queue dir can go.
  for _ in $(seq 1 100); do [ -f "$d/data/master.lock" ] && pgrep -f "master -c $d/etc" >/dev/null 2>&1 || break; sleep 0.05; done
  case "$d" in /*/messaging-mailrelay-*) rm -rf "$d" ;; *) echo "mailrelay: refusing to delete unexpected dir '$d'" >&2 ;; esac
}

if [ "${1:-}" = stop ]; then
  [ -f "$STATE" ] || { echo "mailrelay: nothing to stop ($STATE missing)" >&2; exit 0; }
  read -r D < "$STATE"
  stop_all "$D"
  rm -f "$STATE"
  echo "mailrelay: stopped, removed $D" >&2
  exit 0
fi

[ $# -eq 0 ] || { echo "usage: $0 [stop]" >&2; exit 2; }

if [ -f "$STATE" ]; then
  read -r D < "$STATE"
  if [ -f "$D/env" ] && [ -f "$D/dovecot/run/master.pid" ] && alive "$(cat "$D/dovecot/run/master.pid")" \
     && postfix -c "$D/etc" status >/dev/null 2>&1; then
    echo "mailrelay: reusing the running relay in $D" >&2
    cat "$D/env"
    exit 0
  fi
  echo "mailrelay: stale state in $D, cleaning up" >&2
  stop_all "$D"
  rm -f "$STATE"
fi

command -v postfix >/dev/null && command -v dovecot >/dev/null || {
  echo "mailrelay: postfix and dovecot are needed; run tools/peers/install.sh" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "mailrelay: Postfix needs root to start its master" >&2; exit 2; }

free_port() { local p=$1; while port_busy "$p"; do p=$((p + 1)); done; echo "$p"; }
SMTP_PORT=$(free_port 2526)
IMAP_PORT=$(free_port 1143)
[ "$IMAP_PORT" != "$SMTP_PORT" ] || IMAP_PORT=$(free_port $((SMTP_PORT + 1)))
PASSWORD=relay-password-not-secret

D=$(mktemp -d "${TMPDIR:-/tmp}/messaging-mailrelay-XXXXXX")
chmod 755 "$D"
echo "$D" > "$STATE"
fail() { echo "mailrelay: $*" >&2; [ -f "$D/postfix.log" ] && tail -n 20 "$D/postfix.log" >&2; stop_all "$D"; rm -f "$STATE"; exit 1; }

mkdir -p "$D/etc" "$D/queue" "$D/data" "$D/mail" "$D/dovecot/run" "$D/dovecot/state"
chown postfix "$D/data"
cp /etc/postfix/master.cf "$D/etc/master.cf"
sed -i "s/^smtp      inet/$SMTP_PORT      inet/" "$D/etc/master.cf"
cat > "$D/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $D/queue
data_directory = $D/data
mail_owner = postfix
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = relay.test
mydestination =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
virtual_mailbox_domains = patients.test, trust.test
virtual_mailbox_base = $D/mail
virtual_mailbox_maps = texthash:$D/etc/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
relay_domains = undeliverable.test
transport_maps = texthash:$D/etc/transport
smtpd_reject_unlisted_recipient = no
alias_maps =
alias_database =
smtputf8_enable = no
maillog_file = /dev/stdout
delay_warning_time = 0h
CONF
printf 'jane@patients.test patients.test/jane/\nbounces@trust.test trust.test/bounces/\nnorthshire-bounces@trust.test trust.test/northshire-bounces/\n' > "$D/etc/vmailbox"
# bounces-1 … bounces-9@trust.test: a mailbox of its own per test, so each reads only its own reports. (Listed: the
# virtual delivery agent refuses $1 substitution from regexp maps, for security.)
for n in 1 2 3 4 5 6 7 8 9; do printf 'bounces-%s@trust.test trust.test/bounces-%s/\n' "$n" "$n" >> "$D/etc/vmailbox"; done
printf 'undeliverable.test error:5.1.1 mailbox unavailable\n' > "$D/etc/transport"
for box in patients.test/jane trust.test/bounces trust.test/northshire-bounces; do mkdir -p "$D/mail/$box"/{cur,new,tmp}; done
chown -R nobody:nogroup "$D/mail"

postfix -c "$D/etc" start > "$D/postfix.log" 2>&1 < /dev/null || fail "postfix did not start"

cat > "$D/dovecot/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $D/dovecot/run
state_dir = $D/dovecot/state
log_path = $D/dovecot/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
passdb {
  driver = static
  args = password=$PASSWORD
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$D/mail/%d/%n mail=maildir:$D/mail/%d/%n
}
CONF
dovecot -c "$D/dovecot/dovecot.conf" > /dev/null 2>&1 < /dev/null || fail "dovecot did not start ($(tail -n 5 "$D/dovecot/dovecot.log" 2>/dev/null))"

end=$((SECONDS + 20))
until port_busy "$SMTP_PORT" && port_busy "$IMAP_PORT"; do
  [ $SECONDS -lt $end ] || fail "postfix (127.0.0.1:$SMTP_PORT) or dovecot (127.0.0.1:$IMAP_PORT) did not listen within 20 s"
  sleep 0.05
done

cat > "$D/env" <<EOF
export MESSAGING_RELAY_HOST=127.0.0.1
export MESSAGING_RELAY_SMTP_PORT=$SMTP_PORT
export MESSAGING_RELAY_IMAP_PORT=$IMAP_PORT
export MESSAGING_RELAY_PASSWORD=$PASSWORD
export MESSAGING_RELAY_BOUNCES=bounces@trust.test
export MESSAGING_RELAY_KNOWN=jane@patients.test
export MESSAGING_RELAY_UNDELIVERABLE_DOMAIN=undeliverable.test
export MESSAGING_RELAY_DIR=$D
EOF
echo "mailrelay: postfix smtp 127.0.0.1:$SMTP_PORT, dovecot imap 127.0.0.1:$IMAP_PORT, dir $D" >&2
echo "mailrelay: stop with: tools/peers/start-mailrelay.sh stop" >&2
cat "$D/env"
