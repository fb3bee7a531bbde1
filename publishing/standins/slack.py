"""A stand-in Slack incoming webhook on 127.0.0.1, following Slack's documented webhook answers.

`POST /services/T.../B.../<secret>` with JSON `{"text"}` answers 200 plain `ok`. Errors are plain text:
a wrong secret 403 `invalid_token`, an unknown hook 404 `no_service`, a body that is not JSON 400
`invalid_payload`, an empty text 400 `no_text`; scripted faults add e.g. 404 `channel_not_found`, 410
`channel_is_archived`, 429 `rate_limited` with `Retry-After`, 5xx, or an answer slower than the client's
timeout (the message is posted before the delay). Slack has no idempotency: every accepted request posts.
"""

import json
import threading
from dataclasses import dataclass, field

from publishing.standins.server import Reply, StandInServer

HOOK_PATH = "/services/T0COCREATE/B0COCREATE/"


@dataclass
class Fault:
    status: int = 200
    body: str = ""  # Slack's plain-text error
    retry_after: int | None = None
    delay: float = 0.0  # seconds before answering; the message is posted before the delay


@dataclass
class SlackStandIn(StandInServer):
    secret: str
    posts: list[dict] = field(default_factory=list)  # messages really posted
    requests: int = 0
    script: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    methods = ("POST",)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        status, text, fault = self._handle(path, body)
        retry = {"Retry-After": str(fault.retry_after)} if status == 429 and fault.retry_after is not None else {}
        return Reply(status, text, retry, fault.delay, "text/html")  # what Slack sends with its plain answers

    def start(self) -> str:
        self.start_server()
        return self.hook_url(self.secret)

    def hook_url(self, secret: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{HOOK_PATH}{secret}"

    def _handle(self, path: str, body: bytes):
        with self._lock:
            self.requests += 1
            if not path.startswith(HOOK_PATH):
                return 404, "no_service", Fault()
            if path[len(HOOK_PATH) :] != self.secret:
                return 403, "invalid_token", Fault()
            try:
                message = json.loads(body)
            except ValueError:
                return 400, "invalid_payload", Fault()
            if not isinstance(message, dict):
                return 400, "invalid_payload", Fault()
            if not (message.get("text") or "").strip() and not message.get("blocks"):
                return 400, "no_text", Fault()
            fault = self.script.pop(0) if self.script else Fault()
            if fault.status >= 400:
                default = "rate_limited" if fault.status == 429 else "internal_error"
                return fault.status, fault.body or default, fault
            self.posts.append(message)
            return 200, "ok", fault
