#!/usr/bin/python3
"""SMTP sink for integration tests: Debian python3-aiosmtpd + a tiny JSON HTTP API.

Run with Debian's interpreter (/usr/bin/python3), NOT a pyenv/venv python: apt's
python3-aiosmtpd lives in /usr/lib/python3/dist-packages.

  /usr/bin/python3 smtp_sink.py --smtp-port 2525 --http-port 2580 \
      [--tls-cert C --tls-key K [--require-starttls | --implicit-tls]] [--auth USER:PASS]

HTTP API (127.0.0.1 only), shaped like maildev 2.x's:
  GET    /healthz        -> true
  GET    /email          -> JSON array of received mails (oldest first); filters: ?message-id=<a@b> and ?to=address
  GET    /email/<id>     -> one mail
  DELETE /email/all      -> clears the store
  GET    /connections    -> {"opened": N, "open": M}: SMTP connections accepted so far / open now
  POST   /connections/drop -> closes every open SMTP connection from the server side (as a relay does
                            when it restarts or times an idle client out); answers {"dropped": M}
Each mail: id, time, from[], to[] (header addresses), envelope{from,to[]}, subject,
headers{}, text, html, raw, tls (bool: was the session encrypted), auth (login used or null),
connection (a number that is the same for every mail sent over one SMTP connection).

Recipients are refused by domain, so a client's failure mapping can be tested against a real server:
  any address @refused.invalid  -> 550 5.1.1 (permanent)
  any address @tempfail.invalid -> 451 4.3.0 (transient)
The reply text names the address, as real relays do (e.g. Postfix), so clients can prove they keep
it out of their logs and errors.

Change log (this copy, for the Patient Messaging SDK): recipient refusal by domain, connection
counting and dropping, and the per-mail connection number were added to the reference sink.
"""
import argparse
import email
import email.policy
import email.utils
import json
import logging
import re
import ssl
import sys
import threading
import time
import urllib.parse
import uuid
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, syntax

MAILS = []
LOCK = threading.Lock()
# SMTP connections: how many were accepted, and the protocol objects of those still open.
OPENED = 0
OPEN = set()

REFUSALS = {
    "refused.invalid": "550 5.1.1 <{address}>: Recipient address rejected: User unknown in local recipient table",
    "tempfail.invalid": "451 4.3.0 <{address}>: Temporary lookup failure, try again later",
}


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        domain = address.rpartition("@")[2].lower()
        refusal = REFUSALS.get(domain)
        if refusal is not None:
            return refusal.format(address=address)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Only what must be captured now is taken here; the MIME parse happens when the mail is first read
        # over HTTP (see parsed()), so accepting a mail stays cheap and throughput benchmarks measure the client.
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        head = raw.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(head)
        auth = session.auth_data
        item = {
            "id": uuid.uuid4().hex[:8],
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "envelope": {"from": envelope.mail_from, "to": list(envelope.rcpt_tos)},
            # session.ssl is only set by STARTTLS; for implicit TLS look at the transport
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "auth": (auth.login.decode() if isinstance(auth, LoginPassword) else None),
            "connection": getattr(server, "connection_number", None),
            "_raw": raw,
            "_message_id": found.group(1).decode("ascii", "replace") if found else None,
        }
        with LOCK:
            MAILS.append(item)
        return "250 Message accepted for delivery"


# The Message-ID in the raw header block (the value may be folded onto the next line).
MESSAGE_ID = re.compile(rb"(?im)^message-id:[ \t]*(?:\r\n[ \t]+)?(<[^>\r\n]*>)")


def parsed(item):
    """The mail as the API shows it: parsed from the raw bytes on first read, then cached."""
    if "subject" not in item:
        raw = item["_raw"]
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = html = None
        for part in (msg.walk() if msg.is_multipart() else [msg]):
            ctype = part.get_content_type()
            if part.get_content_disposition() == "attachment":
                continue
            if ctype == "text/plain" and text is None:
                text = part.get_content()
            elif ctype == "text/html" and html is None:
                html = part.get_content()

        def addrs(h):
            return [{"name": n, "address": a} for n, a in email.utils.getaddresses(msg.get_all(h, []))]

        item.update({
            "from": addrs("From"),
            "to": addrs("To"),
            "cc": addrs("Cc"),
            "subject": msg.get("Subject", ""),
            "headers": {k.lower(): str(v) for k, v in msg.items()},
            "text": text,
            "html": html,
            "raw": raw.decode("utf-8", "replace"),
        })
    return {k: v for k, v in item.items() if not k.startswith("_")}


class CaseInsensitiveAuthSMTP(SMTP):
    # aiosmtpd 1.4.3 matches the SASL mechanism case-sensitively; System.Net.Mail.SmtpClient sends
    # "AUTH login <b64>" (lower case) and gets "504 Unrecognized authentication type". RFC 4954 says
    # mechanism names are case-insensitive, so upper-case it here.
    @syntax("AUTH <mechanism>")
    async def smtp_AUTH(self, arg):
        if arg:
            mech, _, rest = arg.partition(" ")
            arg = (mech.upper() + " " + rest).strip()
        return await super().smtp_AUTH(arg)

    def connection_lost(self, error):
        with LOCK:
            OPEN.discard(self)
        super().connection_lost(error)


class SinkController(Controller):
    def factory(self):
        # Called once per accepted TCP connection (STARTTLS keeps the same protocol object).
        global OPENED
        smtp = CaseInsensitiveAuthSMTP(self.handler, **self.SMTP_kwargs)
        with LOCK:
            OPENED += 1
            smtp.connection_number = OPENED
            OPEN.add(smtp)
        return smtp


CONTROLLER = None


class ApiServer(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: a test reading back a dozen mails at once, while other test projects
    # use the same sink, overflowed it and a request was cut off ("the response ended prematurely").
    request_queue_size = 128
    daemon_threads = True


class Api(BaseHTTPRequestHandler):
    def _send(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/")
        if path == "/healthz":
            return self._send(200, True)
        if path == "/connections":
            with LOCK:
                return self._send(200, {"opened": OPENED, "open": len(OPEN)})
        with LOCK:
            if path == "/email":
                # Optional filters, so a test finds its own mail in a store shared with other tests:
                #   ?message-id=<id@domain>  (the header value, brackets included)   ?to=address  (an envelope recipient)
                query = urllib.parse.parse_qs(self.path.partition("?")[2])
                mails = MAILS
                if "message-id" in query:
                    wanted = set(query["message-id"])
                    mails = [m for m in mails if m["_message_id"] in wanted]
                if "to" in query:
                    wanted = {a.lower() for a in query["to"]}
                    mails = [m for m in mails if any(a.lower() in wanted for a in m["envelope"]["to"])]
                return self._send(200, [parsed(m) for m in mails])
            if path.startswith("/email/"):
                mid = path[len("/email/"):]
                for m in MAILS:
                    if m["id"] == mid:
                        return self._send(200, parsed(m))
        self._send(404, {"error": "Not found"})

    def do_POST(self):
        if self.path.rstrip("/") == "/connections/drop":
            with LOCK:
                sessions = list(OPEN)
            done = threading.Event()

            def close_all():
                for smtp in sessions:
                    if smtp.transport is not None:
                        smtp.transport.close()
                done.set()

            CONTROLLER.loop.call_soon_threadsafe(close_all)
            done.wait(5)
            return self._send(200, {"dropped": len(sessions)})
        self._send(404, {"error": "Not found"})

    def do_DELETE(self):
        if self.path.rstrip("/") == "/email/all":
            with LOCK:
                MAILS.clear()
            return self._send(200, True)
        self._send(404, {"error": "Not found"})

    def log_message(self, *a):
        pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--smtp-port", type=int, default=2525)
    p.add_argument("--http-port", type=int, default=2580)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--require-starttls", action="store_true", help="refuse MAIL/AUTH before STARTTLS")
    p.add_argument("--implicit-tls", action="store_true", help="SMTPS: TLS from the first byte")
    p.add_argument("--auth", help="USER:PASS; when set, AUTH PLAIN/LOGIN is required")
    a = p.parse_args()
    # aiosmtpd warns when AUTH is required without auth_require_tls; irrelevant for a test sink
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    ctx = None
    if a.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)

    kw = dict(hostname=a.host, port=a.smtp_port, ready_timeout=10)
    if a.implicit_tls:
        kw["ssl_context"] = ctx  # TLS on connect
    elif ctx is not None:
        kw["tls_context"] = ctx  # advertise STARTTLS
        kw["require_starttls"] = a.require_starttls
    if a.auth:
        user, pw = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == pw
            # handled=False makes aiosmtpd answer '535 5.7.8 Authentication credentials invalid'
            # (the default handled=True sends nothing and the client hangs)
            return AuthResult(success=True, auth_data=auth_data) if ok else AuthResult(success=False, handled=False)

        kw.update(authenticator=authenticator, auth_required=True,
                  auth_require_tls=bool(ctx) and not a.implicit_tls and a.require_starttls)
    global CONTROLLER
    ctl = CONTROLLER = SinkController(Handler(), **kw)
    ctl.start()

    httpd = ApiServer((a.host, a.http_port), Api)
    print(f"smtp-sink: SMTP {a.host}:{a.smtp_port} (tls={'implicit' if a.implicit_tls else ('starttls' if ctx else 'none')}, "
          f"auth={'required' if a.auth else 'off'}), API http://{a.host}:{a.http_port}/email", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        ctl.stop()


if __name__ == "__main__":
    sys.exit(main())
