"""A real SMTP server for tests (Debian's python3-aiosmtpd) on 127.0.0.1.

    smtp_sink.py DIR [PORT] [--starttls CERT KEY | --implicit-tls CERT KEY] [--login USER PASSWORD]

Listens on PORT (0: any free port), writes each message it accepts to DIR as NNNNNN.eml,
beside it NNNNNN.json saying how it came ({"tls": bool, "login": user or null}), and prints
"listening on PORT" once it accepts connections. Stops on SIGTERM.

--starttls: the client must say STARTTLS before anything else (the certificate from CERT, KEY).
--implicit-tls: TLS from the first byte (smtps, port 465 style).
--login: the client must log in (AUTH PLAIN or LOGIN), over TLS only, with USER and PASSWORD.
"""
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Store:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = os.path.join(self.folder, "%06d" % self.count)
        login = getattr(session, "auth_data", None)
        # STARTTLS sets session.ssl; TLS from the first byte shows on the transport.
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        with open(name + ".json", "w") as f:
            json.dump({"tls": tls, "login": login.login.decode() if login is not None else None}, f)
        with open(name + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".eml.tmp", name + ".eml")
        return "250 Message accepted for delivery"


def main():
    args = sys.argv[1:]
    options = {}
    for flag, count in (("--starttls", 2), ("--implicit-tls", 2), ("--login", 2)):
        if flag in args:
            i = args.index(flag)
            options[flag] = args[i + 1:i + 1 + count]
            del args[i:i + 1 + count]
    folder = args[0]
    port = int(args[1]) if len(args) > 1 else 0
    os.makedirs(folder, exist_ok=True)
    if port == 0:
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    kwargs = {}
    tls = options.get("--starttls") or options.get("--implicit-tls")
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls[0], tls[1])
        if "--starttls" in options:
            kwargs.update(tls_context=context, require_starttls=True)
        else:
            kwargs.update(ssl_context=context)
    if "--login" in options:
        user, password = options["--login"]

        def check(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        kwargs.update(authenticator=check, auth_required=True, auth_require_tls=True)
    controller = Controller(Store(folder), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("listening on http://127.0.0.1:%d" % port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
