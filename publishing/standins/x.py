"""A stand-in X API v2 on 127.0.0.1 that follows the contract in docs/channels.md.

POST /2/tweets answers 201 {"data": {"id", "text"}}; 401 problem+json for an unknown or expired token;
403 for duplicate content (the same text as an earlier post); a script of faults: a status (429 carries
x-rate-limit-limit/-remaining/-reset, the reset in epoch seconds) or an answer slower than the client's
timeout (the post is made before the delay). POST /2/oauth2/token rotates tokens (the refresh token is
single use). GET /2/users/me answers the account.

Media: POST /2/media/upload (multipart `media`, raw image bytes, `media_category` tweet_image) answers 200
{"data": {"id", "media_key", "size", "expires_after_secs", "image"}}; over 5 MB or not an image: 400.
POST /2/media/metadata {"id", "metadata": {"alt_text": {"text"}}} sets the alt text (at most 1000
characters; an unknown id 400). A post's `media.media_ids` must name uploaded media, at most 4 (400
otherwise). Uploads are kept in `media` (id -> data, content_type, alt_text).

Reading back: GET /2/tweets/:id answers 200 {"data": {"id", "text", "edit_history_tweet_ids"}}; an unknown or
deleted post (`delete(id)`) 200 with only {"errors": [{"type": ".../problems/resource-not-found", ...}]}, as X
answers a lookup of a post that is gone (or 404 Not Found Error with `missing_status=404`).
"""

import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from publishing.standins.multipart import parse_multipart
from publishing.standins.server import Reply, StandInServer

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_ALT_TEXT = 1000
TITLES = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found Error", 503: "Service Unavailable"}


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
    deleted: set[str] = field(default_factory=set)  # ids of posts deleted since
    missing_status: int = 200  # how a lookup of a gone post answers: 200 with errors (X's way) or 404
    revoked_app: bool = False  # every access token is refused (401), even fresh ones
    script: list[Fault] = field(default_factory=list)
    media: dict[str, dict] = field(default_factory=dict)
    _counter: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        status, answer, extra, delay = self._handle(urlparse(path).path, headers, body, method)
        return Reply(status, answer, extra, delay, "application/problem+json" if status >= 400 else "application/json")

    def start(self) -> str:
        return self.start_server()

    def expire_access_tokens(self) -> None:
        with self._lock:
            self.access_tokens.clear()

    def delete(self, post_id: str) -> None:
        """The account deletes the post: a lookup finds nothing from now on."""
        with self._lock:
            self.deleted.add(str(post_id))

    def _handle(self, path, headers, body: bytes, method: str = "POST"):
        with self._lock:
            self.requests.append(path)
            fault = self.script.pop(0) if self.script and self.script[0].path == path else Fault()
            status, answer, extra = self._answer(path, headers, body, fault, method)
            return status, answer, extra, fault.delay

    def _answer(self, path, headers, body, fault, method="POST"):
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
            title = TITLES.get(fault.status, "Error")
            return fault.status, {"title": title, "detail": f"stand-in fault: {title}", "status": fault.status}, {}
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
        if method == "GET" and path.startswith("/2/tweets/"):
            return self._lookup(path.removeprefix("/2/tweets/"))
        if path == "/2/media/upload":
            return self._upload(headers, body)
        if path == "/2/media/metadata":
            return self._metadata(json.loads(body or b"{}"))
        if path == "/2/tweets":
            request = json.loads(body)
            text = request.get("text", "")
            media_ids = [str(i) for i in (request.get("media") or {}).get("media_ids") or []]
            if len(media_ids) > 4 or any(media_id not in self.media for media_id in media_ids):
                return 400, _invalid("Your media IDs are invalid."), {}
            if any(post["text"] == text for post in self.posts):
                detail = "You are not allowed to create a Tweet with duplicate content."
                return 403, {"detail": detail, "type": "about:blank", "title": "Forbidden", "status": 403}, {}
            post_id = str(1_800_000_000_000_000_000 + len(self.posts) + 1)
            self.posts.append({"id": post_id, "text": text, "media_ids": media_ids})
            return 201, {"data": {"id": post_id, "text": text}}, {}
        return 404, {"title": "Not Found Error", "status": 404}, {}

    def _lookup(self, post_id: str):
        post = next((p for p in self.posts if p["id"] == post_id and post_id not in self.deleted), None)
        if post is not None:
            data = {"id": post_id, "text": post["text"], "edit_history_tweet_ids": [post_id]}
            return 200, {"data": data}, {}
        error = {
            "value": post_id,
            "detail": f"Could not find tweet with id: [{post_id}].",
            "title": "Not Found Error",
            "resource_type": "tweet",
            "parameter": "id",
            "resource_id": post_id,
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }
        if self.missing_status == 404:
            return 404, {**error, "status": 404}, {}
        return 200, {"errors": [error]}, {}

    def _upload(self, headers, body: bytes):
        parts = parse_multipart(headers.get("Content-Type", ""), body)
        upload = parts.get("media")
        if upload is None or not upload.data:
            return 400, _invalid("The media field is required."), {}
        if not upload.data.startswith((b"\x89PNG", b"\xff\xd8")):  # PNG or JPEG bytes
            return 400, _invalid("Unsupported media type."), {}
        if len(upload.data) > MAX_IMAGE_BYTES:
            return 400, _invalid("File size exceeds 5242880 bytes."), {}
        category = parts["media_category"].text if "media_category" in parts else "tweet_image"
        media_id = str(1_900_000_000_000_000_000 + len(self.media) + 1)
        self.media[media_id] = {
            "data": upload.data,
            "content_type": upload.content_type,
            "category": category,
            "alt_text": None,
        }
        answer = {
            "id": media_id,
            "media_key": f"3_{media_id}",
            "size": len(upload.data),
            "expires_after_secs": 86400,
            "image": {"image_type": upload.content_type},
        }
        return 200, {"data": answer}, {}

    def _metadata(self, request: dict):
        media_id = str(request.get("id", ""))
        text = ((request.get("metadata") or {}).get("alt_text") or {}).get("text", "")
        if media_id not in self.media:
            return 400, _invalid(f"The media id {media_id} was not found."), {}
        if len(text) > MAX_ALT_TEXT:
            return 400, _invalid(f"Alt text must be at most {MAX_ALT_TEXT} characters."), {}
        self.media[media_id]["alt_text"] = text
        return 200, {"data": {"id": media_id, "associated_metadata": {"alt_text": {"text": text}}}}, {}


def _invalid(message: str) -> dict:
    return {
        "errors": [{"message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
