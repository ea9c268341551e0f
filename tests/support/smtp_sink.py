"""A real SMTP server for tests (Debian's python3-aiosmtpd) on 127.0.0.1.

    smtp_sink.py DIR [PORT]

Listens on PORT (0: any free port), writes each message it accepts to DIR as NNNNNN.eml,
and prints "listening on PORT" once it accepts connections. Stops on SIGTERM.
"""
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = os.path.join(self.folder, "%06d.eml" % self.count)
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        return "250 Message accepted for delivery"


def main():
    folder = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.makedirs(folder, exist_ok=True)
    if port == 0:
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(Store(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("listening on http://127.0.0.1:%d" % port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
