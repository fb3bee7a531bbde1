"""The demo's stand-ins for platforms, on 127.0.0.1, started by `make run`.

A webhook receiver (port 8025) checks each post's signature the way the webhook channel documents it,
remembers Idempotency-Keys so a resend never posts twice, prints what it receives, and answers 503 to the
first attempt of any post whose title says "(flaky)", so the demo shows a failure and the automatic retry.
Beside it run the test suite's Mastodon (8026) and Bluesky (8027) stand-ins, which follow those platforms'
documented APIs, so the demo's posts also go out through the real Mastodon and Bluesky adapters.
"""

import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from publishing.adapters.webhook import sign

SECRET = "demo-receiver-secret"
PORT = int(os.environ.get("DEMO_RECEIVER_PORT", 8025))
URL = f"http://127.0.0.1:{PORT}/hook"
MASTODON_URL = f"http://127.0.0.1:{PORT + 1}"
MASTODON_TOKEN = "demo-mastodon-token"
BLUESKY_URL = f"http://127.0.0.1:{PORT + 2}"
BLUESKY_IDENTIFIER = "launch.demo.test"
BLUESKY_PASSWORD = "demo-app-pass-word"


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


def start_platform_stand_ins() -> list:
    """The suite's Mastodon and Bluesky stand-ins (publishing/standins), on the demo's fixed ports."""
    from publishing.standins.bluesky import BlueskyStandIn
    from publishing.standins.mastodon import MastodonStandIn

    mastodon = MastodonStandIn(token=MASTODON_TOKEN, account="launch")
    mastodon.start_server(PORT + 1)
    bluesky = BlueskyStandIn(
        identifier=BLUESKY_IDENTIFIER, password=BLUESKY_PASSWORD, handle=BLUESKY_IDENTIFIER, did="did:plc:demolaunch"
    )
    bluesky.start_server(PORT + 2)
    print(f"receiver: Mastodon stand-in on {MASTODON_URL}, Bluesky stand-in on {BLUESKY_URL}", flush=True)
    return [("Mastodon", mastodon), ("Bluesky", bluesky)]


def report_new_posts(stand_ins: list, seen: dict) -> None:
    for name, stand_in in stand_ins:
        for post in stand_in.posts[seen.get(name, 0) :]:
            text = post.get("status") or post.get("text") or ""
            print(f"receiver: {name} got {text[:60]!r}", flush=True)
        seen[name] = len(stand_in.posts)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"receiver: the demo's webhook receiver listens on {URL}", flush=True)
    stand_ins = start_platform_stand_ins()
    seen: dict[str, int] = {}
    try:
        while True:
            report_new_posts(stand_ins, seen)
            time.sleep(0.5)
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
