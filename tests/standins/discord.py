"""A stand-in Discord webhook on 127.0.0.1, following discord/discord-api-docs (webhook resource, rate limits).

`POST /api/webhooks/{id}/{token}?wait=true` answers 200 with the created message (`id`, `channel_id`,
`guild_id`, `content`); without `wait` 204. `GET` the same URL answers the webhook object. Errors are JSON
`{"code", "message"}`: an unknown (or deleted) webhook 404 code 10015, a wrong token 401 code 50027, content
over 2000 characters 400 code 50035 "Invalid Form Body", an empty message 400 code 50006. A scripted 429
answers `{"message", "retry_after": seconds (float), "global"}` with `Retry-After` and `X-RateLimit-*`
headers. Faults also play 5xx or an answer slower than the client's timeout (the message is posted before
the delay). Discord has no idempotency: every accepted request posts.
"""

import json
import math
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from tests.standins.server import Reply, StandInServer

WEBHOOK_ID = "112233445566778899"
CHANNEL_ID = "998877665544332211"
GUILD_ID = "555555555555555555"


@dataclass
class Fault:
    status: int = 200
    retry_after: float | None = None  # for 429: the JSON retry_after (seconds, float)
    code: int = 0
    message: str = ""
    delay: float = 0.0  # seconds before answering; the message is posted before the delay


@dataclass
class DiscordStandIn(StandInServer):
    token: str
    deleted: bool = False  # the webhook was deleted in Discord: every call gets 404 code 10015
    posts: list[dict] = field(default_factory=list)  # messages really posted
    requests: list[dict] = field(default_factory=list)  # method, path, query of every request
    script: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        status, answer, extra, delay = self._handle(method, path, body)
        if status == 204:
            return Reply(status, None, extra, delay, content_type=None)
        return Reply(status, answer, extra, delay)

    def start(self) -> str:
        self.start_server()
        return self.hook_url(self.token)

    def hook_url(self, token: str, webhook_id: str = WEBHOOK_ID) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/api/webhooks/{webhook_id}/{token}"

    @staticmethod
    def _rate_headers(remaining: int, reset_after: float) -> dict:
        return {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": "stand-in-webhook-bucket",
        }

    def _handle(self, method: str, raw_path: str, body: bytes):
        with self._lock:
            parts = urlsplit(raw_path)
            query = parse_qs(parts.query)
            self.requests.append({"method": method, "path": parts.path, "query": query})
            rate = self._rate_headers(4, 2.0)
            segments = parts.path.strip("/").split("/")
            if len(segments) != 4 or segments[:2] != ["api", "webhooks"]:
                return 404, {"message": "404: Not Found", "code": 0}, rate, 0
            if segments[2] != WEBHOOK_ID or self.deleted:
                return 404, {"message": "Unknown Webhook", "code": 10015}, rate, 0
            if segments[3] != self.token:
                return 401, {"message": "Invalid Webhook Token", "code": 50027}, rate, 0
            if method == "GET":
                webhook = {"id": WEBHOOK_ID, "type": 1, "name": "Cocreate", "channel_id": CHANNEL_ID}
                return 200, {**webhook, "guild_id": GUILD_ID, "token": self.token}, rate, 0
            fault = self.script.pop(0) if self.script else Fault()
            if fault.status == 429:
                retry_after = 1.0 if fault.retry_after is None else fault.retry_after
                headers = {**self._rate_headers(0, retry_after), "Retry-After": str(math.ceil(retry_after))}
                answer = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
                return 429, answer, headers, fault.delay
            if fault.status >= 400:
                return (
                    fault.status,
                    {"message": fault.message or "Stand-in fault", "code": fault.code},
                    rate,
                    fault.delay,
                )
            try:
                message = json.loads(body)
            except ValueError:
                return 400, {"message": "Cannot send an empty message", "code": 50006}, rate, 0
            content = message.get("content") or ""
            if not content.strip() and not message.get("embeds"):
                return 400, {"message": "Cannot send an empty message", "code": 50006}, rate, 0
            if len(content) > 2000:
                errors = {
                    "content": {
                        "_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]
                    }
                }
                return 400, {"message": "Invalid Form Body", "code": 50035, "errors": errors}, rate, 0
            self.posts.append(message)
            if query.get("wait") != ["true"]:
                return 204, None, rate, fault.delay
            created = {
                "id": str(1_300_000_000_000_000_000 + len(self.posts)),
                "type": 0,
                "channel_id": CHANNEL_ID,
                "guild_id": GUILD_ID,
                "webhook_id": WEBHOOK_ID,
                "content": content,
                "author": {"id": WEBHOOK_ID, "username": message.get("username") or "Cocreate", "bot": True},
            }
            return 200, created, rate, fault.delay
