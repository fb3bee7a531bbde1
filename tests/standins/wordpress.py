"""A stand-in WordPress REST API on 127.0.0.1 that follows /work/shared/channels.md.

/wp-json/wp/v2/posts (or ?rest_route=/wp/v2/posts): HTTP Basic with an application password (spaces
ignored); a wrong one gets 401 rest_cannot_create. POST -> 201 with Location and {id, link, status, slug,
date_gmt}; 400 empty_content / rest_invalid_param; no idempotency: a taken slug gets "-2", "-3".
GET ?slug= lists matching posts; GET users/me answers the user. Post ids start after the three that an
install creates. A script of faults on POST: a status (with Retry-After), `commit` to store the post
before failing, or a slow answer (the post is stored before the delay).
"""

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from tests.standins.server import Reply, StandInServer

STATUSES = {"publish", "future", "draft", "pending", "private"}


@dataclass
class Fault:
    status: int = 201
    retry_after: int | None = None
    delay: float = 0.0
    commit: bool = False


@dataclass
class WordPressStandIn(StandInServer):
    username: str = "editor"
    application_password: str = "abcd EFGH 1234 ijkl MNOP 5678"
    categories: set[int] = field(default_factory=lambda: {1})  # "Uncategorized"
    posts: list[dict] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    script: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        return Reply(*self._handle(method, path, headers, body), content_type="application/json; charset=UTF-8")

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
        route = query.pop("rest_route", None) or parsed.path.removeprefix("/wp-json")
        with self._lock:
            self.requests.append((verb, route))
            fault = self.script.pop(0) if self.script and verb == "POST" else Fault()
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
        slug, number = data.get("slug") or f"post-{len(self.posts) + 4}", 2
        base = slug
        while any(p["slug"] == slug for p in self.posts):
            slug, number = f"{base}-{number}", number + 1
        post_id = len(self.posts) + 4  # an install creates posts 1-3
        post = {
            "id": post_id,
            "slug": slug,
            "status": data.get("status", "draft"),
            "title": {"raw": data.get("title", "")},
            "content": {"raw": data.get("content", "")},
            "link": f"{self.url}/?p={post_id}",
            "date_gmt": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
        }
        self.posts.append(post)
        if fault.status >= 400:
            return fault.status, {"code": "internal_server_error", "message": "There has been a critical error."}, {}
        return 201, post, {"Location": f"{self.url}/wp-json/wp/v2/posts/{post_id}"}
