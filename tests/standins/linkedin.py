"""A stand-in LinkedIn Posts API on 127.0.0.1 that follows the contract in /work/shared/channels.md.

POST /rest/posts: 201 with an empty body and the URN in `x-restli-id`; 401 INVALID_ACCESS_TOKEN; 426 without
a LinkedIn-Version header; 422 DUPLICATE_POST for a commentary it already has. GET /rest/posts?q=author
lists the author's posts, newest first. A script of faults: a status (429 has no rate-limit headers, as
documented), `commit` to store the post before failing (a 5xx after the write), or a slow answer (the
post is stored before the delay).
"""

import json
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from tests.standins.server import Reply, StandInServer


@dataclass
class Fault:
    status: int = 201
    delay: float = 0.0
    commit: bool = False  # store the post even though the answer is an error


@dataclass
class LinkedInStandIn(StandInServer):
    token: str = "li-token"
    author: str = "urn:li:organization:2414183"
    posts: list[dict] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    headers_seen: list[dict] = field(default_factory=list)
    script: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        status, answer, extra, delay = self._handle(method, path, headers, body)
        return Reply(status, answer, extra, delay, None if answer is None else "application/json")

    def start(self) -> str:
        return self.start_server()

    def _handle(self, verb, raw_path, headers, body):
        parsed = urlparse(raw_path)
        with self._lock:
            self.requests.append((verb, parsed.path))
            self.headers_seen.append(dict(headers))
            fault = self.script.pop(0) if self.script and verb == "POST" else Fault()
            status, answer, extra = self._answer(verb, parsed, headers, body, fault)
            return status, answer, extra, fault.delay

    def _answer(self, verb, parsed, headers, body, fault):
        if headers.get("Authorization", "") != f"Bearer {self.token}":
            answer = {
                "status": 401,
                "serviceErrorCode": 65600,
                "code": "INVALID_ACCESS_TOKEN",
                "message": "Invalid access token",
            }
            return 401, answer, {}
        if not headers.get("LinkedIn-Version"):
            return (
                426,
                {"status": 426, "code": "NONEXISTENT_VERSION", "message": "Requested version  is not active"},
                {},
            )
        if parsed.path != "/rest/posts":
            return 404, {"status": 404, "message": "Not found"}, {}
        if verb == "GET":
            query = {key: values[0] for key, values in parse_qs(parsed.query).items()}
            if query.get("q") != "author" or headers.get("X-RestLi-Method") != "FINDER":
                return 400, {"status": 400, "message": "Invalid finder"}, {}
            mine = [p for p in reversed(self.posts) if p["author"] == query.get("author")]
            return 200, {"elements": mine[: int(query.get("count", 10))], "paging": {"start": 0}}, {}
        if headers.get("X-Restli-Protocol-Version") != "2.0.0":
            return 400, {"status": 400, "message": "Restli protocol version 2.0.0 is required"}, {}
        data = json.loads(body)
        if fault.status == 429:
            message = "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."
            return 429, {"status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS", "message": message}, {}
        if fault.status >= 400 and not fault.commit:
            return fault.status, {"status": fault.status, "message": "stand-in fault"}, {}
        if data.get("author") != self.author:
            return 403, {"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED", "message": "Not allowed"}, {}
        if any(p["commentary"] == data.get("commentary") for p in self.posts):
            answer = {
                "errorDetailType": "com.linkedin.common.error.BadRequest",
                "message": "Multiple errors occurred during the input validation. Please see errorDetails.",
                "errorDetails": {
                    "inputErrors": [
                        {
                            "description": "Duplicate post is detected",
                            "input": {"inputPath": {"fieldPath": "/commentary"}},
                            "code": "DUPLICATE_POST",
                        }
                    ]
                },
                "status": 422,
            }
            return 422, answer, {}
        urn = f"urn:li:share:{7000000000000000000 + len(self.posts) + 1}"
        self.posts.append({"id": urn, **data})
        if fault.status >= 400:
            return fault.status, {"status": fault.status, "message": "stand-in fault after the write"}, {}
        return 201, None, {"x-restli-id": urn, "Location": f"/rest/posts/{urn}"}
