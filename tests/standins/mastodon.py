"""A stand-in Mastodon instance on 127.0.0.1, following the documented API (mastodon/documentation).

`POST /api/v1/statuses` (Bearer token, JSON or form body) answers 200 with a Status; a missing or wrong token
401 `{"error": "The access token is invalid"}`; a blank status 422 "Validation failed: Text can't be blank";
over 500 characters (grapheme clusters, every URL 23) 422. A repeated Idempotency-Key for the same token gets
the original status and posts nothing new. `GET /api/v1/accounts/verify_credentials` answers the account.
Every answer carries `X-RateLimit-Limit/Remaining/Reset` (the reset an ISO-8601 timestamp); a scripted 429
answers `{"error": "Too many requests"}`. Faults: a status with a body, or an answer slower than the client's
timeout (the post is recorded before the delay).
"""

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import regex

from tests.standins.server import Reply, StandInServer

LIMIT = 500
URL_WEIGHT = 23


@dataclass
class Fault:
    status: int = 200
    delay: float = 0.0  # seconds before answering; the post is recorded before the delay
    error: str = ""
    reset_in: int = 300  # seconds until the rate-limit window resets (for 429)


def _length(text: str) -> int:
    text = regex.sub(r"https?://\S+", "x" * URL_WEIGHT, text)
    return len(regex.findall(r"\X", text))


@dataclass
class MastodonStandIn(StandInServer):
    token: str
    account: str = "cocreate"
    posts: list[dict] = field(default_factory=list)  # statuses really created
    requests: list[dict] = field(default_factory=list)  # every request: method, path, headers
    script: list[Fault] = field(default_factory=list)
    _answers: dict[tuple[str, str], dict] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        status, answer, extra, delay = self._handle(method, path, headers, body)
        return Reply(status, answer, extra, delay, "application/json; charset=utf-8")

    def start(self) -> str:
        return self.start_server()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def _rate_headers(self, remaining: int, reset_in: int) -> dict:
        reset = (datetime.now(UTC) + timedelta(seconds=reset_in)).isoformat(timespec="milliseconds")
        return {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": str(remaining), "X-RateLimit-Reset": reset}

    def _handle(self, method: str, path: str, headers, body: bytes):
        with self._lock:
            self.requests.append({"method": method, "path": path, "headers": dict(headers)})
            fault = self.script.pop(0) if self.script else Fault()
            rate = self._rate_headers(299, 300)
            if headers.get("Authorization", "") != f"Bearer {self.token}":
                return 401, {"error": "The access token is invalid"}, rate, 0
            if fault.status == 429:
                return 429, {"error": "Too many requests"}, self._rate_headers(0, fault.reset_in), fault.delay
            if fault.status >= 400:
                return fault.status, {"error": fault.error or "Stand-in fault"}, rate, fault.delay
            if method == "GET" and path == "/api/v1/accounts/verify_credentials":
                return 200, {"id": "1", "username": self.account, "acct": self.account}, rate, fault.delay
            if method != "POST" or path != "/api/v1/statuses":
                return 404, {"error": "Record not found"}, rate, 0
            if headers.get("Content-Type", "").startswith("application/json"):
                params = json.loads(body or b"{}")
            else:
                params = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            text = params.get("status") or ""
            if not text.strip():
                return 422, {"error": "Validation failed: Text can't be blank"}, rate, 0
            if _length(text) > LIMIT:
                return 422, {"error": f"Validation failed: Text character limit of {LIMIT} exceeded"}, rate, 0
            key = (self.token, headers.get("Idempotency-Key", ""))
            if not key[1] or key not in self._answers:
                self.posts.append(params)
                number = len(self.posts)
                status = {
                    "id": str(100000 + number),
                    "url": f"{self.base}/@{self.account}/{100000 + number}",
                    "uri": f"{self.base}/users/{self.account}/statuses/{100000 + number}",
                    "created_at": datetime.now(UTC).isoformat(),
                    "content": f"<p>{text}</p>",
                    "visibility": params.get("visibility", "public"),
                }
                if not key[1]:
                    return 200, status, rate, fault.delay
                self._answers[key] = status
            return 200, self._answers[key], rate, fault.delay
