"""A stand-in Graph API for one Facebook page on 127.0.0.1, following /work/shared/channels.md.

POST /{version}/{page-id}/feed (form: message, access_token) -> 200 {"id": "{page-id}_{post-id}"}; errors
as {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}: 190 for a bad token, 506 for a
duplicate status. GET /{version}/{page-id} and /{version}/{page-id}/feed (Authorization: OAuth <token>).
A script of faults on the POST: a Graph error code with its HTTP status (rate limits carry
X-Business-Use-Case-Usage with estimated_time_to_regain_access in minutes), `commit` to store the post
before failing, or a slow answer (the post is stored before the delay).
"""

import json
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from tests.standins.server import Reply, StandInServer


@dataclass
class Fault:
    status: int = 200
    code: int | None = None
    message: str = "stand-in fault"
    regain_minutes: int | None = None
    delay: float = 0.0
    commit: bool = False


@dataclass
class FacebookStandIn(StandInServer):
    page_id: str = "1029384756"
    page_name: str = "Brand Page"
    token: str = "page-token"
    posts: list[dict] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    script: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        return Reply(*self._handle(method, path, headers, body))

    def start(self) -> str:
        return self.start_server()

    @staticmethod
    def _error(status, code, message, subcode=None, headers=None, kind="OAuthException"):
        error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfStandIn"}
        if subcode:
            error["error_subcode"] = subcode
        return status, {"error": error}, headers or {}

    def _handle(self, verb, raw_path, headers, body):
        parsed = urlparse(raw_path)
        with self._lock:
            self.requests.append((verb, parsed.path))
            fault = self.script.pop(0) if self.script and verb == "POST" else Fault()
            status, answer, extra = self._answer(verb, parsed, headers, body, fault)
            return status, answer, extra, fault.delay

    def _answer(self, verb, parsed, headers, body, fault):
        parts = parsed.path.strip("/").split("/")
        form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        token = form.get("access_token") or headers.get("Authorization", "").removeprefix("OAuth ").strip()
        if token != self.token:
            return self._error(400, 190, "Error validating access token: Session has expired.", subcode=463)
        if len(parts) < 2 or parts[1] != self.page_id:
            return self._error(400, 100, "Unsupported request: object does not exist", kind="GraphMethodException")
        if verb == "GET" and len(parts) == 2:
            return 200, {"id": self.page_id, "name": self.page_name}, {}
        if verb == "GET" and parts[2:] == ["feed"]:
            feed = [{"id": p["id"], "message": p["message"]} for p in reversed(self.posts)]
            return 200, {"data": feed[:25]}, {}
        if verb != "POST" or parts[2:] != ["feed"]:
            return self._error(400, 100, "Unknown path components")
        if fault.code is not None and fault.regain_minutes is not None:
            usage = {
                self.page_id: [
                    {
                        "type": "pages",
                        "call_count": 100,
                        "total_cputime": 30,
                        "total_time": 40,
                        "estimated_time_to_regain_access": fault.regain_minutes,
                    }
                ]
            }
            return self._error(
                fault.status, fault.code, fault.message, headers={"X-Business-Use-Case-Usage": json.dumps(usage)}
            )  # noqa: E501
        if fault.code is not None and not fault.commit:
            return self._error(fault.status, fault.code, fault.message)
        if not form.get("message"):
            return self._error(400, 100, "(#100) Missing message or attachment")
        if self.posts and self.posts[-1]["message"] == form["message"]:
            return self._error(400, 506, "Duplicate status message")
        post_id = f"{self.page_id}_{100000000000 + len(self.posts) + 1}"
        self.posts.append({"id": post_id, "message": form["message"], "link": form.get("link")})
        if fault.code is not None:
            return self._error(fault.status, fault.code, fault.message)
        return 200, {"id": post_id}, {}
