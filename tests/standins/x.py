"""A stand-in X API v2 on 127.0.0.1 that follows the contract in /work/shared/channels.md.

POST /2/tweets answers 201 {"data": {"id", "text"}}; 401 problem+json for an unknown or expired token;
403 for duplicate content (the same text as an earlier post); a script of faults: a status (429 carries
x-rate-limit-limit/-remaining/-reset, the reset in epoch seconds) or an answer slower than the client's
timeout (the post is made before the delay). POST /2/oauth2/token rotates tokens (the refresh token is
single use). GET /2/users/me answers the account.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from tests.standins.server import Reply, StandInServer


@dataclass
class Fault:
    status: int = 200
    reset_in: int = 60
    delay: float = 0.0
    path: str = "/2/tweets"


@dataclass
class XStandIn(StandInServer):
    client_id: str = "standin-client"
    username: str = "brand"
    access_tokens: set[str] = field(default_factory=lambda: {"access-0"})
    refresh_tokens: set[str] = field(default_factory=lambda: {"refresh-0"})
    posts: list[dict] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    refreshes: int = 0
    revoked_app: bool = False  # every access token is refused (401), even fresh ones
    script: list[Fault] = field(default_factory=list)
    _counter: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        status, answer, extra, delay = self._handle(urlparse(path).path, headers, body)
        return Reply(status, answer, extra, delay, "application/problem+json" if status >= 400 else "application/json")

    def start(self) -> str:
        return self.start_server()

    def expire_access_tokens(self) -> None:
        with self._lock:
            self.access_tokens.clear()

    def _handle(self, path, headers, body: bytes):
        with self._lock:
            self.requests.append(path)
            fault = self.script.pop(0) if self.script and self.script[0].path == path else Fault()
            status, answer, extra = self._answer(path, headers, body, fault)
            return status, answer, extra, fault.delay

    def _answer(self, path, headers, body, fault):
        if fault.status == 429:
            limits = {
                "x-rate-limit-limit": "100",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(int(time.time()) + fault.reset_in),
            }
            return (
                429,
                {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
                limits,
            )
        if fault.status >= 400:
            return (
                fault.status,
                {"title": "Service Unavailable", "detail": "stand-in fault", "status": fault.status},
                {},
            )
        if path == "/2/oauth2/token":
            form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
            token = form.get("refresh_token", "")
            if form.get("grant_type") != "refresh_token" or form.get("client_id") != self.client_id:
                return 400, {"error": "invalid_request", "error_description": "Missing required parameter"}, {}
            if token not in self.refresh_tokens:
                return (
                    400,
                    {"error": "invalid_request", "error_description": "Value passed for the token was invalid."},
                    {},
                )
            self.refresh_tokens.discard(token)
            self.refreshes += 1
            self._counter += 1
            access, refresh = f"access-{self._counter}", f"refresh-{self._counter}"
            self.access_tokens.add(access)
            self.refresh_tokens.add(refresh)
            answer = {"token_type": "bearer", "expires_in": 7200, "access_token": access, "refresh_token": refresh}
            return 200, answer, {}
        token = headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if token not in self.access_tokens or self.revoked_app:
            return 401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}, {}
        if path == "/2/users/me":
            return 200, {"data": {"id": "42", "name": "Brand", "username": self.username}}, {}
        if path == "/2/tweets":
            text = json.loads(body).get("text", "")
            if any(post["text"] == text for post in self.posts):
                detail = "You are not allowed to create a Tweet with duplicate content."
                return 403, {"detail": detail, "type": "about:blank", "title": "Forbidden", "status": 403}, {}
            post_id = str(1_800_000_000_000_000_000 + len(self.posts) + 1)
            self.posts.append({"id": post_id, "text": text})
            return 201, {"data": {"id": post_id, "text": text}}, {}
        return 404, {"title": "Not Found Error", "status": 404}, {}
