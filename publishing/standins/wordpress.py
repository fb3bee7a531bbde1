"""A stand-in WordPress REST API on 127.0.0.1 that follows docs/channels.md.

/wp-json/wp/v2/posts (or ?rest_route=/wp/v2/posts): HTTP Basic with an application password (spaces
ignored); a wrong one gets 401 rest_cannot_create. POST -> 201 with Location and {id, link, status, slug,
date_gmt}; 400 empty_content / rest_invalid_param; no idempotency: a taken slug gets "-2", "-3".
GET ?slug= lists matching posts; GET users/me answers the user. A request with neither a /wp-json/ path
nor a rest_route parameter gets the site's home page (200, HTML), as from WordPress itself. Post ids start
after the three that an install creates. A script of faults on POST: a status (with Retry-After), `commit`
to store the post before failing, or a slow answer (the post is stored before the delay); a fault's `route`
says which POST it is for (posts by default, "/wp/v2/media" for uploads and alt-text updates).

POST /wp/v2/media takes the raw bytes with an image Content-Type and `Content-Disposition: attachment;
filename="..."` (400 rest_upload_no_data / rest_upload_no_content_disposition / rest_upload_sideload_error
otherwise) -> 201 {id, source_url, mime_type, alt_text, media_type}; POST /wp/v2/media/<id> with JSON
{"alt_text"} updates it (404 rest_post_invalid_id for an unknown id). Attachments share the posts' id
sequence, as in WordPress. A post whose `featured_media` is not an attachment, or whose content shows an
image that is not in the media library, is refused (400 rest_invalid_featured_media / rest_invalid_param).

GET /wp/v2/posts/<id> (`context=edit`, authenticated) answers the post in any status, the trash included;
an unknown id 404 rest_post_invalid_id. Tests change a post as someone on the site would: `trash(id)` (what
DELETE without `force` does: status "trash"), `delete(id)` (gone for good). A fault with `method="GET"`
plays an error on the next read of a post (e.g. a 503).
"""

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from publishing.standins.server import Reply, StandInServer

HOME_PAGE = "<!DOCTYPE html><html><head><title>Blog</title></head><body>Just another WordPress site</body></html>"
STATUSES = {"publish", "future", "draft", "pending", "private"}


@dataclass
class Fault:
    status: int = 201
    retry_after: int | None = None
    delay: float = 0.0
    commit: bool = False
    route: str = "/wp/v2/posts"  # which POST the fault is for; "/wp/v2/media" covers every media call
    method: str = "POST"  # "GET": the fault is for the next read of a post (/wp/v2/posts/<id>)


@dataclass
class WordPressStandIn(StandInServer):
    username: str = "editor"
    application_password: str = "abcd EFGH 1234 ijkl MNOP 5678"
    categories: set[int] = field(default_factory=lambda: {1})  # "Uncategorized"
    posts: list[dict] = field(default_factory=list)
    media: list[dict] = field(default_factory=list)  # attachments, with the bytes that arrived in "data"
    requests: list[tuple[str, str]] = field(default_factory=list)
    script: list[Fault] = field(default_factory=list)
    removed: int = 0  # posts deleted for good: their ids are not given again
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        status, answer, extra, delay = self._handle(method, path, headers, body)
        kind = "text/html; charset=UTF-8" if isinstance(answer, str) else "application/json; charset=UTF-8"
        return Reply(status, answer, extra, delay, content_type=kind)

    def start(self) -> str:
        self.url = self.start_server()
        return self.url

    def _authenticated(self, headers) -> bool:
        value = headers.get("Authorization", "")
        if not value.startswith("Basic "):
            return False
        user, _, password = base64.b64decode(value[6:]).decode().partition(":")
        expected = self.application_password.replace(" ", "")
        return user == self.username and password.replace(" ", "") == expected

    def _handle(self, verb, raw_path, headers, body):
        parsed = urlparse(raw_path)
        query = {key: values[0] for key, values in parse_qs(parsed.query).items()}
        route = query.pop("rest_route", None)
        if route is None and not parsed.path.startswith("/wp-json/"):
            with self._lock:
                self.requests.append((verb, parsed.path))
            return 200, HOME_PAGE, {}, 0.0  # what WordPress serves without a REST route: its home page
        route = route or parsed.path.removeprefix("/wp-json")
        with self._lock:
            self.requests.append((verb, route))
            scripted = self.script and verb == self.script[0].method and route.startswith(self.script[0].route)
            fault = self.script.pop(0) if scripted else Fault()
            status, answer, extra = self._answer(verb, route, query, headers, body, fault)
            return status, answer, extra, fault.delay

    @staticmethod
    def _error(status, code, message, **data):
        return status, {"code": code, "message": message, "data": {"status": status, **data}}, {}

    def _answer(self, verb, route, query, headers, body, fault):
        if not self._authenticated(headers):
            if verb == "POST":
                return self._error(
                    401, "rest_cannot_create", "Sorry, you are not allowed to create posts as this user."
                )
            return self._error(401, "rest_not_logged_in", "You are not currently logged in.")
        if route == "/wp/v2/users/me" and verb == "GET":
            return 200, {"id": 1, "name": "Editor", "slug": self.username}, {}
        if route.startswith("/wp/v2/media") and verb == "POST":
            return self._media(route, headers, body, fault)
        if route.startswith("/wp/v2/posts/") and verb == "GET":
            return self._read(route.removeprefix("/wp/v2/posts/"), fault)
        if route != "/wp/v2/posts":
            return self._error(404, "rest_no_route", "No route was found matching the URL and request method.")
        if verb == "GET":
            statuses = set(query.get("status", "publish").split(","))
            found = [p for p in self.posts if p["slug"] == query.get("slug") and p["status"] in statuses]
            return 200, found, {}
        if fault.status >= 400 and not fault.commit:
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return (
                fault.status,
                {"code": "stand_in_fault", "message": "stand-in fault", "data": {"status": fault.status}},
                extra,
            )  # noqa: E501
        data = json.loads(body)
        if data.get("status", "draft") not in STATUSES:
            return self._error(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): status",
                params={"status": "status is not one of publish, future, draft, pending, private."},  # noqa: E501
            )
        unknown = [c for c in data.get("categories", []) if c not in self.categories]
        if unknown:
            return self._error(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): categories",
                params={"categories": f"Invalid term ID: {unknown[0]}."},
            )
        if not data.get("title") and not data.get("content"):
            return self._error(400, "empty_content", "Content, title, and excerpt are empty.")
        featured = data.get("featured_media", 0)
        if featured and not any(m["id"] == featured for m in self.media):
            return self._error(400, "rest_invalid_featured_media", "Invalid featured media ID.")
        sources = {m["source_url"] for m in self.media}
        missing = [src for src in re.findall(r'<img src="([^"]*)"', data.get("content", "")) if src not in sources]
        if missing:
            return self._error(
                400, "rest_invalid_param", "Invalid parameter(s): content", params={"content": f"No media {missing[0]}"}
            )
        slug, number = data.get("slug") or f"post-{len(self.posts) + 4}", 2
        base = slug
        while any(p["slug"] == slug for p in self.posts):
            slug, number = f"{base}-{number}", number + 1
        post_id = self._next_id()
        post = {
            "id": post_id,
            "slug": slug,
            "status": data.get("status", "draft"),
            "title": {"raw": data.get("title", "")},
            "content": {"raw": data.get("content", "")},
            "featured_media": featured,
            "link": f"{self.url}/?p={post_id}",
            "date_gmt": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
        }
        self.posts.append(post)
        if fault.status >= 400:
            return fault.status, {"code": "internal_server_error", "message": "There has been a critical error."}, {}
        return 201, post, {"Location": f"{self.url}/wp-json/wp/v2/posts/{post_id}"}

    def _read(self, post_id, fault):
        if fault.status >= 400:
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return fault.status, {"code": "stand_in_fault", "message": "stand-in fault"}, extra
        found = [p for p in self.posts if str(p["id"]) == post_id]
        if not found:
            return self._error(404, "rest_post_invalid_id", "Invalid post ID.")
        return 200, found[0], {}

    def trash(self, post_id) -> None:
        """What DELETE /wp/v2/posts/<id> without force does: the post goes to the trash."""
        with self._lock:
            next(p for p in self.posts if str(p["id"]) == str(post_id))["status"] = "trash"

    def delete(self, post_id) -> None:
        """Deleted for good (DELETE with force=true, or emptied from the trash)."""
        with self._lock:
            kept = [p for p in self.posts if str(p["id"]) != str(post_id)]
            self.removed += len(self.posts) - len(kept)
            self.posts = kept

    def _next_id(self) -> int:
        return (
            len(self.posts) + len(self.media) + self.removed + 4
        )  # an install creates posts 1-3; attachments are posts too

    def _media(self, route, headers, body, fault):
        if fault.status >= 400:
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return (
                fault.status,
                {"code": "stand_in_fault", "message": "stand-in fault", "data": {"status": fault.status}},
                extra,
            )
        if route != "/wp/v2/media":  # /wp/v2/media/<id>: update the alt text
            found = [m for m in self.media if f"/wp/v2/media/{m['id']}" == route]
            if not found:
                return self._error(404, "rest_post_invalid_id", "Invalid post ID.")
            data = json.loads(body or b"{}")
            if "alt_text" in data:
                found[0]["alt_text"] = data["alt_text"]
            return 200, self._public(found[0]), {}
        if not body:
            return self._error(400, "rest_upload_no_data", "No data supplied.")
        disposition = headers.get("Content-Disposition", "")
        filename = re.search(r'filename="?([^";]+)"?', disposition)
        if not filename:
            return self._error(400, "rest_upload_no_content_disposition", "No Content-Disposition supplied.")
        content_type = headers.get("Content-Type", "")
        if content_type not in ("image/jpeg", "image/png", "image/gif", "image/webp"):
            return self._error(
                500, "rest_upload_sideload_error", "Sorry, you are not allowed to upload this file type."
            )
        media_id = self._next_id()
        item = {
            "id": media_id,
            "filename": filename.group(1),
            "mime_type": content_type,
            "alt_text": "",
            "source_url": f"{self.url}/wp-content/uploads/{media_id}-{filename.group(1)}",
            "data": body,
        }
        self.media.append(item)
        return 201, self._public(item), {"Location": f"{self.url}/wp-json/wp/v2/media/{media_id}"}

    @staticmethod
    def _public(item: dict) -> dict:
        return {key: value for key, value in item.items() if key != "data"} | {"media_type": "image"}
