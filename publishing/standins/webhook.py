"""A stand-in webhook receiver on 127.0.0.1 that follows the contract in publishing/adapters/webhook.py.

It checks the HMAC signature, remembers Idempotency-Keys (a repeated key gets the first answer and posts
nothing new), counts what it really posted, and plays a script of faults: an HTTP status (with
Retry-After), or a reply slower than the client's timeout. A post's `images` must decode to the bytes their
`size` and `sha256` describe (else 400), as a careful receiver checks.
"""

import base64
import binascii
import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from publishing.standins.server import Reply, StandInServer


@dataclass
class Fault:
    status: int = 200
    retry_after: int | None = None
    delay: float = 0.0  # seconds before answering; the post is recorded before the delay
    body: str = ""


@dataclass
class WebhookStandIn(StandInServer):
    secret: str
    posts: list[dict] = field(default_factory=list)  # what was really posted, once per idempotency key
    requests: int = 0
    script: list[Fault] = field(default_factory=list)
    delay: float = 0.0  # seconds every answer takes when the script has no fault for it (benchmarks)
    chaos: Callable[[], Fault | None] | None = None  # picks a fault (or none) for unscripted requests
    port: int = 0
    _answers: dict[str, dict] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    methods = ("POST",)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        status, answer, fault = self._handle(headers, body)
        retry = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        return Reply(status, answer, retry, fault.delay)

    def start(self) -> str:
        return self.start_server(self.port) + "/hook"

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
                if not self._images_intact(post):
                    return 400, {"error": "an image does not match its size and sha256"}, Fault(status=400)
                self.posts.append(post)
                number = len(self.posts)
                self._answers[key] = {"id": f"post-{number}", "url": f"https://receiver.example/posts/{number}"}
            return 200, self._answers[key], fault

    @staticmethod
    def _images_intact(post: dict) -> bool:
        for image in post.get("images", []):
            try:
                data = base64.b64decode(image["data_base64"], validate=True)
            except (KeyError, TypeError, binascii.Error):
                return False
            if len(data) != image.get("size") or hashlib.sha256(data).hexdigest() != image.get("sha256"):
                return False
        return True
