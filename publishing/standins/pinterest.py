"""A stand-in Pinterest API v5 on 127.0.0.1 that follows the contract in docs/channels.md
(pinterest/api-description v5/openapi.yaml).

`POST /v5/pins` (Bearer token) with `board_id`, `title` (<= 100), `description` (<= 800), `link` (<= 2048),
`alt_text` (<= 500), `note` (<= 500) and `media_source` (`image_base64` with an image/jpeg or image/png
`content_type` and base64 `data` that decodes to such an image, or `image_url`) answers 201 with the Pin;
every problem 400 `{"code": 1, "message"}`; an unknown board 404; a missing or wrong token 401. No
idempotency: every accepted request makes a pin. `GET /v5/boards/{id}/pins` lists a board's pins, newest
first, `page_size` at a time with a `bookmark` for the next page; `GET /v5/boards/{id}` and
`GET /v5/user_account` answer the board and the account; `GET /v5/pins/{id}` answers the pin, 404
`{"code": 50, "message": "Pin not found."}` for an unknown or deleted one (`delete(id)` deletes a pin, as its
owner would). Every answer carries `X-RateLimit-Limit` and
`X-RateLimit-Remaining`; a scripted 429 also `X-RateLimit-Reset` (seconds to wait; Pinterest's exact
headers are not documented in the contract, so the adapter reads Retry-After or a reset header) and,
when `retry_after` is set, `Retry-After`. Faults: a status, or an answer slower than the client's timeout
(a pin is made before the delay), for the next request to a path.
"""

import base64
import binascii
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

from publishing.standins.server import Reply, StandInServer

LIMITS = {"title": 100, "description": 800, "link": 2048, "alt_text": 500, "note": 500}
MAGIC = {"image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8"}


@dataclass
class Fault:
    status: int = 200
    delay: float = 0.0  # seconds before answering; a pin is made before the delay
    path: str = "/v5/pins"
    method: str = "POST"
    reset_in: int = 60  # for 429: X-RateLimit-Reset
    retry_after: int | None = None  # for 429: also send Retry-After
    message: str = "stand-in fault"


@dataclass
class PinterestStandIn(StandInServer):
    token: str = "pinterest-token"
    username: str = "brand"
    boards: dict[str, str] = field(default_factory=lambda: {"1122334455": "Spring ideas"})
    pins: list[dict] = field(default_factory=list)  # every pin made, oldest first (with the decoded image)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every request
    script: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        parsed = urlparse(path)
        with self._lock:
            self.requests.append((method, parsed.path))
            fault = Fault()
            if self.script and (self.script[0].method, self.script[0].path) == (method, parsed.path):
                fault = self.script.pop(0)
            status, answer, extra = self._answer(method, parsed, headers, body, fault)
        rate = {"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "0" if status == 429 else "999"}
        return Reply(status, answer, {**rate, **extra}, fault.delay)

    def start(self) -> str:
        return self.start_server()

    def delete(self, pin_id: str) -> None:
        """The owner deletes the pin: GET /v5/pins/{id} answers 404 from now on, and the board no longer lists it."""
        with self._lock:
            self.pins = [pin for pin in self.pins if pin["id"] != str(pin_id)]

    def _answer(self, method, parsed, headers, body, fault):
        if headers.get("Authorization", "") != f"Bearer {self.token}":
            return 401, {"code": 2, "message": "Authentication failed."}, {}
        if fault.status == 429:
            extra = {"X-RateLimit-Reset": str(fault.reset_in)}
            if fault.retry_after is not None:
                extra["Retry-After"] = str(fault.retry_after)
            return 429, {"code": 8, "message": "You have exceeded your rate limit. Try again later."}, extra
        if fault.status >= 400:
            return fault.status, {"code": 0, "message": fault.message}, {}
        path = parsed.path
        if method == "GET" and path == "/v5/user_account":
            return 200, {"username": self.username, "account_type": "BUSINESS"}, {}
        if method == "POST" and path == "/v5/pins":
            return self._create(body)
        if method == "GET" and path.startswith("/v5/pins/"):
            pin_id = path.removeprefix("/v5/pins/").rstrip("/")
            pin = next((pin for pin in self.pins if pin["id"] == pin_id), None)
            if pin is None:
                return 404, {"code": 50, "message": "Pin not found."}, {}
            return 200, {k: v for k, v in pin.items() if k not in ("image", "content_type")}, {}
        if method == "GET" and path.startswith("/v5/boards/"):
            board_id, _, rest = path.removeprefix("/v5/boards/").partition("/")
            if board_id not in self.boards:
                return 404, {"code": 40, "message": "Board not found."}, {}
            if rest == "":
                return 200, {"id": board_id, "name": self.boards[board_id], "privacy": "PUBLIC"}, {}
            if rest == "pins":
                return self._list(board_id, {k: v[0] for k, v in parse_qs(parsed.query).items()})
        return 404, {"code": 404, "message": "Not found."}, {}

    def _create(self, body: bytes):
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return 400, {"code": 1, "message": "Invalid JSON."}, {}
        board_id = str(request.get("board_id") or "")
        if not board_id:
            return 400, {"code": 1, "message": "Invalid parameters: board_id is required."}, {}
        if board_id not in self.boards:
            return 404, {"code": 40, "message": "Board not found."}, {}
        for name, limit in LIMITS.items():
            value = request.get(name)
            if value is not None and len(str(value)) > limit:
                return (
                    400,
                    {"code": 1, "message": f"Invalid parameters: {name} must be at most {limit} characters."},
                    {},
                )
        media = request.get("media_source") or {}
        image = b""
        if media.get("source_type") == "image_base64":
            content_type = media.get("content_type")
            try:
                image = base64.b64decode(media.get("data") or "", validate=True)
            except (binascii.Error, ValueError):
                return 400, {"code": 1, "message": "Invalid parameters: media_source.data is not base64."}, {}
            if content_type not in MAGIC or not image.startswith(MAGIC[content_type]):
                return 400, {"code": 1, "message": "Invalid parameters: media_source is not a JPEG or PNG image."}, {}
        elif media.get("source_type") != "image_url" or not media.get("url"):
            return 400, {"code": 1, "message": "Invalid parameters: a pin needs a media_source."}, {}
        pin_id = str(987_654_321_000 + len(self.pins) + 1)
        pin = {
            "id": pin_id,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", ""),
            "board_id": board_id,
            "title": request.get("title"),
            "description": request.get("description"),
            "link": request.get("link"),
            "alt_text": request.get("alt_text"),
            "note": request.get("note"),
            "media": {"media_type": "image"},
        }
        self.pins.append({**pin, "image": image, "content_type": media.get("content_type")})
        return 201, pin, {}

    def _list(self, board_id: str, query: dict):
        size = max(1, min(250, int(query.get("page_size") or 25)))
        start = int(query.get("bookmark") or 0)
        newest_first = [
            {k: v for k, v in pin.items() if k not in ("image", "content_type")}
            for pin in reversed(self.pins)
            if pin["board_id"] == board_id
        ]
        page = newest_first[start : start + size]
        bookmark = str(start + size) if start + size < len(newest_first) else None
        return 200, {"items": page, "bookmark": bookmark}, {}
