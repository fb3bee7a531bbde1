"""A stand-in Mastodon instance on 127.0.0.1, following the documented API (mastodon/documentation).

`POST /api/v1/statuses` (Bearer token, JSON or form body) answers 200 with a Status; a missing or wrong token
401 `{"error": "The access token is invalid"}`; a blank status 422 "Validation failed: Text can't be blank";
over 500 characters (grapheme clusters, every URL 23) 422. A repeated Idempotency-Key for the same token gets
the original status and posts nothing new. `GET /api/v1/accounts/verify_credentials` answers the account.
Every answer carries `X-RateLimit-Limit/Remaining/Reset` (the reset an ISO-8601 timestamp); a scripted 429
answers `{"error": "Too many requests"}`. Faults: a status with a body, or an answer slower than the client's
timeout (the post is recorded before the delay), for the next request or the next one to a given path.

Media (methods/media.md): `POST /api/v2/media` takes multipart `file` (an image/* MIME type, at most
`image_size_limit` bytes, else 422) and `description` (at most 1500 characters, else 422) and answers 200 with
a MediaAttachment, or 202 with `url` null while `processing_polls` > 0; `GET /api/v1/media/:id` then answers
206 (empty) that many times, and 200 once processed. A status's `media_ids` must name this account's media
(422 otherwise), processed (422 "not finished processing"), at most 4. Uploads are kept in `media`.

Reading back (methods/statuses.md, "View a single status"): `GET /api/v1/statuses/:id` answers 200 with the
Status, 404 `{"error": "Record not found"}` for an unknown or deleted one (`delete(id)` deletes one, as its
author would). A token without a read scope (`read_scope=False`) gets 403 "This action is outside the
authorized scopes"; without any token a public or unlisted status is still answered.
"""

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import regex

from publishing.standins.multipart import parse_multipart
from publishing.standins.server import Reply, StandInServer

LIMIT = 500
URL_WEIGHT = 23
MAX_MEDIA = 4
DESCRIPTION_LIMIT = 1500
IMAGE_SIZE_LIMIT = 16 * 1024 * 1024


@dataclass
class Fault:
    status: int = 200
    delay: float = 0.0  # seconds before answering; the post is recorded before the delay
    error: str = ""
    reset_in: int = 300  # seconds until the rate-limit window resets (for 429)
    path: str = ""  # only a request whose path starts with this takes the fault ("": the next request)


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
    media: dict[str, dict] = field(default_factory=dict)  # media id -> data, content_type, description, ...
    processing_polls: int = 0  # uploads answer 202 and need this many 206 polls before they are processed
    image_size_limit: int = IMAGE_SIZE_LIMIT
    statuses: dict[str, dict] = field(default_factory=dict)  # id -> Status, while not deleted
    read_scope: bool = True  # False: the token has write scopes only (GET of a status: 403)
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
            fault = Fault()
            if self.script and path.startswith(self.script[0].path):
                fault = self.script.pop(0)
            rate = self._rate_headers(299, 300)
            if method == "GET" and path.startswith("/api/v1/statuses/") and not headers.get("Authorization"):
                status = self.statuses.get(path.removeprefix("/api/v1/statuses/"))
                if fault.status >= 400:
                    return fault.status, {"error": fault.error or "Stand-in fault"}, rate, fault.delay
                if status is None or status["visibility"] not in ("public", "unlisted"):
                    return 404, {"error": "Record not found"}, rate, 0
                return 200, status, rate, fault.delay
            if headers.get("Authorization", "") != f"Bearer {self.token}":
                return 401, {"error": "The access token is invalid"}, rate, 0
            if fault.status == 429:
                return 429, {"error": "Too many requests"}, self._rate_headers(0, fault.reset_in), fault.delay
            if fault.status >= 400:
                return fault.status, {"error": fault.error or "Stand-in fault"}, rate, fault.delay
            if method == "GET" and path == "/api/v1/accounts/verify_credentials":
                return 200, {"id": "1", "username": self.account, "acct": self.account}, rate, fault.delay
            if method == "POST" and path == "/api/v2/media":
                status, answer = self._upload(headers, body)
                return status, answer, rate, fault.delay
            if method == "GET" and path.startswith("/api/v1/statuses/"):
                if not self.read_scope:
                    return 403, {"error": "This action is outside the authorized scopes"}, rate, 0
                status = self.statuses.get(path.removeprefix("/api/v1/statuses/"))
                if status is None:
                    return 404, {"error": "Record not found"}, rate, 0
                return 200, status, rate, fault.delay
            if method == "GET" and path.startswith("/api/v1/media/"):
                status, answer = self._poll(path.removeprefix("/api/v1/media/"))
                return status, answer, rate, fault.delay
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
                problem = self._media_problem(params)
                if problem:
                    return 422, {"error": problem}, rate, 0
                attachments = [self._attachment(self.media[str(i)]) for i in params.get("media_ids") or []]
                for media_id in params.get("media_ids") or []:
                    self.media[str(media_id)]["attached"] = True
                self.posts.append(params)
                number = len(self.posts)
                status = {
                    "id": str(100000 + number),
                    "url": f"{self.base}/@{self.account}/{100000 + number}",
                    "uri": f"{self.base}/users/{self.account}/statuses/{100000 + number}",
                    "created_at": datetime.now(UTC).isoformat(),
                    "content": f"<p>{text}</p>",
                    "visibility": params.get("visibility", "public"),
                    "media_attachments": attachments,
                }
                self.statuses[status["id"]] = status
                if not key[1]:
                    return 200, status, rate, fault.delay
                self._answers[key] = status
            return 200, self._answers[key], rate, fault.delay

    def delete(self, status_id: str) -> None:
        """The author deletes the status: from now on it is 404."""
        with self._lock:
            del self.statuses[str(status_id)]

    # --- Media ----------------------------------------------------------------------------------------

    def _upload(self, headers, body: bytes):
        parts = parse_multipart(headers.get("Content-Type", ""), body)
        upload = parts.get("file")
        if upload is None or not upload.data:
            return 422, {"error": "Validation failed: File can't be blank"}
        if not (upload.content_type or "").startswith("image/"):
            return 422, {"error": "Validation failed: File content type is invalid, File is invalid"}
        if len(upload.data) > self.image_size_limit:
            limit = self.image_size_limit // (1024 * 1024)
            return 422, {"error": f"Validation failed: File file size must be less than {limit} MB"}
        description = parts["description"].text if "description" in parts else ""
        if len(description) > DESCRIPTION_LIMIT:
            return 422, {"error": f"Validation failed: Description is too long (maximum is {DESCRIPTION_LIMIT})"}
        media_id = str(200000 + len(self.media) + 1)
        self.media[media_id] = {
            "id": media_id,
            "data": upload.data,
            "content_type": upload.content_type,
            "filename": upload.filename,
            "description": description,
            "polls_left": self.processing_polls,
            "attached": False,
        }
        item = self.media[media_id]
        return (202 if item["polls_left"] else 200), self._attachment(item)

    def _poll(self, media_id: str):
        item = self.media.get(media_id)
        if item is None:
            return 404, {"error": "Record not found"}
        if item["polls_left"]:
            item["polls_left"] -= 1
            return 206, None
        return 200, self._attachment(item)

    def _attachment(self, item: dict) -> dict:
        processed = not item["polls_left"]
        return {
            "id": item["id"],
            "type": "image",
            "url": f"{self.base}/system/media/{item['id']}/original" if processed else None,
            "preview_url": f"{self.base}/system/media/{item['id']}/small",
            "description": item["description"] or None,
        }

    def _media_problem(self, params: dict) -> str:
        media_ids = [str(media_id) for media_id in params.get("media_ids") or []]
        if len(media_ids) > MAX_MEDIA:
            return f"Validation failed: Cannot attach more than {MAX_MEDIA} files"
        for media_id in media_ids:
            item = self.media.get(media_id)
            if item is None or item["attached"]:
                return f"Validation failed: media {media_id} not found"
            if item["polls_left"]:
                return "Cannot attach files that have not finished processing. Try again in a moment!"
        return ""
