"""The demo's stand-in for a platform: a webhook receiver on 127.0.0.1 that `make run` starts.

It checks each post's signature the way the webhook channel documents it, remembers Idempotency-Keys so a
resend never posts twice, prints what it receives, and answers 503 to the first attempt of any post whose
title says "(flaky)", so the demo shows a failure and the automatic retry.
"""

import hmac
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from publishing.adapters.webhook import sign

SECRET = "demo-receiver-secret"
PORT = int(os.environ.get("DEMO_RECEIVER_PORT", 8025))
URL = f"http://127.0.0.1:{PORT}/hook"


class Receiver(BaseHTTPRequestHandler):
    posted: dict[str, dict] = {}
    refused_once: set[str] = set()

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        expected = "sha256=" + sign(SECRET, self.headers.get("X-Cocreate-Timestamp", ""), body)
        if not hmac.compare_digest(self.headers.get("X-Cocreate-Signature", ""), expected):
            return self._answer(401, {"error": "bad signature"})
        post = json.loads(body)
        key = self.headers.get("Idempotency-Key", "")
        if "(flaky)" in post.get("title", "") and key not in self.refused_once:
            self.refused_once.add(key)
            print(f"receiver: 503 for {post['title']!r} (the demo's planned failure; it will be retried)", flush=True)
            return self._answer(503, {"error": "temporarily unavailable"})
        if key not in self.posted:
            number = len(self.posted) + 1
            self.posted[key] = {"id": f"demo-{number}", "url": f"http://127.0.0.1:{PORT}/posts/{number}"}
            print(f"receiver: published {post.get('title') or post.get('event')!r}", flush=True)
        self._answer(200, self.posted[key])

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Receiver)
    print(f"receiver: the demo's webhook receiver listens on {URL}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
