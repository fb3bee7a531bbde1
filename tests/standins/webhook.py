"""A stand-in webhook receiver on 127.0.0.1 that follows the contract in publishing/adapters/webhook.py.

It checks the HMAC signature, remembers Idempotency-Keys (a repeated key gets the first answer and posts
nothing new), counts what it really posted, and plays a script of faults: an HTTP status (with
Retry-After), or a reply slower than the client's timeout.
"""

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Fault:
    status: int = 200
    retry_after: int | None = None
    delay: float = 0.0  # seconds before answering; the post is recorded before the delay
    body: str = ""


@dataclass
class WebhookStandIn:
    secret: str
    posts: list[dict] = field(default_factory=list)  # what was really posted, once per idempotency key
    requests: int = 0
    script: list[Fault] = field(default_factory=list)
    delay: float = 0.0  # seconds every answer takes when the script has no fault for it (benchmarks)
    chaos: Callable[[], Fault | None] | None = None  # picks a fault (or none) for unscripted requests
    port: int = 0
    _answers: dict[str, dict] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> str:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer, fault = stand_in._handle(self.headers, body)
                if fault.delay:
                    time.sleep(fault.delay)
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    if fault.retry_after is not None:
                        self.send_header("Retry-After", str(fault.retry_after))
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, headers, body: bytes):
        with self._lock:
            self.requests += 1
            if self.script:
                fault = self.script.pop(0)
            else:
                fault = (self.chaos() if self.chaos else None) or Fault(delay=self.delay)
            timestamp = headers.get("X-Cocreate-Timestamp", "")
            expected = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(headers.get("X-Cocreate-Signature", ""), f"sha256={expected}"):
                return 401, {"error": "bad signature"}, Fault(status=401)
            if fault.status >= 400:
                return fault.status, {"error": fault.body or "stand-in fault"}, fault
            key = headers.get("Idempotency-Key", "")
            if key not in self._answers:
                post = json.loads(body)
                self.posts.append(post)
                number = len(self.posts)
                self._answers[key] = {"id": f"post-{number}", "url": f"https://receiver.example/posts/{number}"}
            return 200, self._answers[key], fault
