"""A stand-in Discord webhook on 127.0.0.1, following discord/discord-api-docs (webhook resource, rate limits).

`POST /api/webhooks/{id}/{token}?wait=true` answers 200 with the created message (`id`, `channel_id`,
`guild_id`, `content`); without `wait` 204. `GET` the same URL answers the webhook object. Errors are JSON
`{"code", "message"}`: an unknown (or deleted) webhook 404 code 10015, a wrong token 401 code 50027, content
over 2000 characters 400 code 50035 "Invalid Form Body", an empty message 400 code 50006. A scripted 429
answers `{"message", "retry_after": seconds (float), "global"}` with `Retry-After` and `X-RateLimit-*`
headers. Faults also play 5xx or an answer slower than the client's timeout (the message is posted before
the delay). Discord has no idempotency: every accepted request posts.

Files: a multipart body with `payload_json` and `files[n]` parts. Every entry of `attachments` must name a
`files[n]` part by its id (else 400 code 50035); a file over `max_file_bytes` (10 MiB) gets 413 code 40005
"Request entity too large". A message with files needs no content. The posted message keeps the files
that arrived under "files" (filename, content_type, description, data).

`GET /api/webhooks/{id}/{token}/messages/{message_id}` answers a message the webhook sent (as Discord does,
without `guild_id`); an unknown or deleted one (`delete_message(id)`, as a moderator would) 404 code 10008
"Unknown Message". A fault with `read=True` plays an error on the next such GET.
"""

import json
import math
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from publishing.standins.multipart import parse_multipart
from publishing.standins.server import Reply, StandInServer

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
    read: bool = False  # the fault is for the next GET of a message, not the next POST


@dataclass
class DiscordStandIn(StandInServer):
    token: str
    deleted: bool = False  # the webhook was deleted in Discord: every call gets 404 code 10015
    max_file_bytes: int = 10 * 1024 * 1024
    posts: list[dict] = field(default_factory=list)  # messages really posted
    requests: list[dict] = field(default_factory=list)  # method, path, query of every request
    messages: dict[str, dict] = field(default_factory=dict)  # the created messages by id, until deleted
    script: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        status, answer, extra, delay = self._handle(method, path, body, headers.get("Content-Type", ""))
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

    def _handle(self, method: str, raw_path: str, body: bytes, content_type: str = ""):
        with self._lock:
            parts = urlsplit(raw_path)
            query = parse_qs(parts.query)
            self.requests.append({"method": method, "path": parts.path, "query": query})
            rate = self._rate_headers(4, 2.0)
            segments = parts.path.strip("/").split("/")
            reading = len(segments) == 6 and segments[4] == "messages" and method == "GET"
            if reading:
                segments = segments[:4]
            if len(segments) != 4 or segments[:2] != ["api", "webhooks"]:
                return 404, {"message": "404: Not Found", "code": 0}, rate, 0
            if segments[2] != WEBHOOK_ID or self.deleted:
                return 404, {"message": "Unknown Webhook", "code": 10015}, rate, 0
            if segments[3] != self.token:
                return 401, {"message": "Invalid Webhook Token", "code": 50027}, rate, 0
            if reading:
                fault = self.script.pop(0) if self.script and self.script[0].read else Fault()
                if fault.status >= 400:
                    return fault.status, {"message": fault.message or "Stand-in fault", "code": fault.code}, rate, 0
                found = self.messages.get(parts.path.rstrip("/").rsplit("/", 1)[-1])
                if found is None:
                    return 404, {"message": "Unknown Message", "code": 10008}, rate, 0
                return 200, {k: v for k, v in found.items() if k != "guild_id"}, rate, 0
            if method == "GET":
                webhook = {"id": WEBHOOK_ID, "type": 1, "name": "Cocreate", "channel_id": CHANNEL_ID}
                return 200, {**webhook, "guild_id": GUILD_ID, "token": self.token}, rate, 0
            fault = self.script.pop(0) if self.script and not self.script[0].read else Fault()
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
            parts = parse_multipart(content_type, body)
            try:
                message = json.loads(parts["payload_json"].data if parts else body)
            except (ValueError, KeyError):
                return 400, {"message": "Cannot send an empty message", "code": 50006}, rate, 0
            if parts:
                files, refused = self._files(message, parts)
                if refused:
                    return (*refused, rate, 0)
                message["files"] = files
            content = message.get("content") or ""
            if not content.strip() and not message.get("embeds") and not message.get("files"):
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
                "attachments": [
                    {
                        "id": str(1_400_000_000_000_000_000 + len(self.posts) * 10 + n),
                        "filename": f["filename"],
                        "size": len(f["data"]),
                        "content_type": f["content_type"],
                        "description": f["description"],
                        "url": f"https://cdn.discordapp.com/attachments/{CHANNEL_ID}/{n}/{f['filename']}",
                    }
                    for n, f in enumerate(message.get("files", []))
                ],
            }
            self.messages[created["id"]] = created
            return 200, created, rate, fault.delay

    def delete_message(self, message_id: str) -> None:
        """The message is deleted in Discord (by a moderator, or the webhook's owner)."""
        with self._lock:
            self.messages.pop(message_id, None)

    def _files(self, message: dict, parts: dict):
        """The files the attachments refer to, or an error answer (status, body)."""
        files = []
        for attachment in message.get("attachments") or []:
            part = parts.get(f"files[{attachment.get('id')}]")
            if part is None or part.filename is None:
                errors = {"attachments": {"_errors": [{"code": "ATTACHMENT_NOT_FOUND", "message": "Unknown file."}]}}
                return [], (400, {"message": "Invalid Form Body", "code": 50035, "errors": errors})
            if len(part.data) > self.max_file_bytes:
                return [], (413, {"message": "Request entity too large", "code": 40005})
            files.append(
                {
                    "filename": attachment.get("filename") or part.filename,
                    "content_type": part.content_type,
                    "description": attachment.get("description", ""),
                    "data": part.data,
                }
            )
        return files, None
