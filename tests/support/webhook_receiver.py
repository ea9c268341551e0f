"""A real HTTP receiver for webhook tests, on 127.0.0.1.

    webhook_receiver.py FILE [PORT]

Listens on PORT (0: any free port), answers each POST with 200 and appends it to FILE as one
JSON line: {"path", "headers": {lower-case name: value}, "body"}. Prints
"listening on http://127.0.0.1:PORT" once it accepts connections. Stops on SIGTERM.
"""
import http.server
import json
import signal
import sys

out_path = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', '0'))).decode('utf-8')
        with open(out_path, 'a', encoding='utf-8') as f:
            f.write(json.dumps({'path': self.path, 'headers': {k.lower(): v for k, v in self.headers.items()},
                                'body': body}) + '\n')
        answer = b'{"ok": true}'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(('127.0.0.1', port), Handler)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print(f'listening on http://127.0.0.1:{server.server_address[1]}', flush=True)
server.serve_forever()
