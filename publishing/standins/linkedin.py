"""A stand-in LinkedIn Posts API on 127.0.0.1 that follows the contract in docs/channels.md.

POST /rest/posts: 201 with an empty body and the URN in `x-restli-id`; 401 INVALID_ACCESS_TOKEN; 426 without
a LinkedIn-Version header; 422 DUPLICATE_POST for a commentary it already has. GET /rest/posts?q=author
lists the author's posts, newest first. A script of faults: a status (429 has no rate-limit headers, as
documented), `commit` to store the post before failing (a 5xx after the write), or a slow answer (the
post is stored before the delay). A fault's `path` says which call it is for (a prefix: "/rest/posts" by
default, "/rest/images", "/dms-uploads" for the PUT of the bytes, "/oauth/v2/accessToken").

Images API: POST /rest/images?action=initializeUpload {"initializeUploadRequest": {"owner"}} (the owner
must be the author) -> 200 {"value": {"uploadUrl", "uploadUrlExpiresAt", "image": "urn:li:image:..."}};
PUT the bytes to uploadUrl with the same Bearer token -> 201. A post's `content.media.id` or
`content.multiImage.images[].id` (2 to 20) must name an image whose bytes arrived (else 400).

OAuth: POST /oauth/v2/accessToken (form: grant_type=refresh_token, refresh_token, client_id, client_secret)
-> 200 {access_token, expires_in, refresh_token, refresh_token_expires_in}; a wrong client 401
invalid_client, an unknown refresh token 400 invalid_request. Access tokens expire (`token_lifetime`), and
`expire_access_tokens()` ends every token issued so far; an expired token gets 401 INVALID_ACCESS_TOKEN.

GET /rest/posts/{url-encoded URN} (versioned) answers the post; an unknown or deleted one (`delete(urn)`,
as someone on LinkedIn would) 404. A fault with path "/rest/posts/" plays an error on the next such GET.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlparse

from publishing.standins.server import Reply, StandInServer


@dataclass
class Fault:
    status: int = 201
    delay: float = 0.0
    commit: bool = False  # store the post even though the answer is an error
    path: str = "/rest/posts"  # which call the fault is for (a path prefix)


TOKEN_PATH = "/oauth/v2/accessToken"
UPLOAD_PATH = "/dms-uploads/"
READ_PATH = "/rest/posts/"  # GET /rest/posts/{urn}


@dataclass
class LinkedInStandIn(StandInServer):
    token: str = "li-token"
    author: str = "urn:li:organization:2414183"
    client_id: str = "li-client"
    client_secret: str = "li-client-secret"
    refresh_tokens: set[str] = field(default_factory=lambda: {"li-refresh"})
    token_lifetime: int = 5_184_000  # 60 days, as LinkedIn's access tokens
    posts: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)  # initialized uploads; "data" holds the bytes that arrived
    requests: list[tuple[str, str]] = field(default_factory=list)
    headers_seen: list[dict] = field(default_factory=list)
    script: list[Fault] = field(default_factory=list)
    refreshes: int = 0
    deleted: int = 0  # posts deleted: their URNs are not given again
    _access_tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (epoch seconds)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    methods = ("GET", "POST", "PUT")

    def __post_init__(self):
        self._access_tokens[self.token] = time.time() + self.token_lifetime

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        status, answer, extra, delay = self._handle(method, path, headers, body)
        return Reply(status, answer, extra, delay, None if answer is None else "application/json")

    def start(self) -> str:
        self.url = self.start_server()
        return self.url

    def expire_access_tokens(self) -> None:
        with self._lock:
            for token in self._access_tokens:
                self._access_tokens[token] = 0.0

    def _handle(self, verb, raw_path, headers, body):
        parsed = urlparse(raw_path)
        with self._lock:
            self.requests.append((verb, parsed.path))
            self.headers_seen.append(dict(headers))
            reads = self.script and self.script[0].path == READ_PATH
            scripted = (
                self.script and (verb in ("POST", "PUT") or reads) and parsed.path.startswith(self.script[0].path)
            )
            fault = self.script.pop(0) if scripted else Fault()
            status, answer, extra = self._answer(verb, parsed, headers, body, fault)
            return status, answer, extra, fault.delay

    def delete(self, urn: str) -> None:
        """The post is deleted on LinkedIn."""
        with self._lock:
            self.posts = [p for p in self.posts if p["id"] != urn]
            self.deleted += 1

    def _token_endpoint(self, body, fault):
        if fault.status >= 400:
            return fault.status, {"error": "server_error", "error_description": "stand-in fault"}, {}
        form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client", "error_description": "Client authentication failed"}, {}
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") not in self.refresh_tokens:
            description = "The provided authorization grant or refresh token is invalid, expired or revoked"
            return 400, {"error": "invalid_request", "error_description": description}, {}
        self.refreshes += 1
        access = f"li-token-{self.refreshes}"
        self._access_tokens[access] = time.time() + self.token_lifetime
        answer = {
            "access_token": access,
            "expires_in": self.token_lifetime,
            "refresh_token": form["refresh_token"],  # LinkedIn keeps the refresh token until it expires
            "refresh_token_expires_in": 31_536_000,
            "scope": "w_organization_social,r_organization_social",
        }
        return 200, answer, {}

    def _answer(self, verb, parsed, headers, body, fault):
        if parsed.path == TOKEN_PATH and verb == "POST":
            return self._token_endpoint(body, fault)
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        if self._access_tokens.get(token, 0.0) <= time.time():
            answer = {
                "status": 401,
                "serviceErrorCode": 65600,
                "code": "INVALID_ACCESS_TOKEN",
                "message": "Invalid access token",
            }
            return 401, answer, {}
        if parsed.path.startswith(UPLOAD_PATH) and verb == "PUT":
            return self._upload(parsed.path.removeprefix(UPLOAD_PATH), body, fault)
        if not headers.get("LinkedIn-Version"):
            return (
                426,
                {"status": 426, "code": "NONEXISTENT_VERSION", "message": "Requested version  is not active"},
                {},
            )
        if parsed.path == "/rest/images" and verb == "POST":
            return self._initialize_upload(parsed, headers, body, fault)
        if parsed.path.startswith(READ_PATH) and verb == "GET":
            if fault.status >= 400:
                return fault.status, {"status": fault.status, "message": "stand-in fault"}, {}
            urn = unquote(parsed.path.removeprefix(READ_PATH))
            found = [p for p in self.posts if p["id"] == urn]
            if not found:
                return 404, {"status": 404, "serviceErrorCode": 0, "message": f"Post {urn} not found"}, {}
            return 200, found[0], {}
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
        media = self._media_of(data)
        missing = [urn for urn in media if not any(i["urn"] == urn and i["data"] for i in self.images)]
        multi = "multiImage" in (data.get("content") or {})
        if missing or len(media) > 20 or (multi and len(media) < 2):
            message = f"Invalid media in content: {missing[0] if missing else 'multiImage takes 2 to 20 images'}"
            return 400, {"status": 400, "code": "INVALID_CONTENT", "message": message}, {}
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
        urn = f"urn:li:share:{7000000000000000000 + len(self.posts) + self.deleted + 1}"
        self.posts.append({"id": urn, **data})
        if fault.status >= 400:
            return fault.status, {"status": fault.status, "message": "stand-in fault after the write"}, {}
        return 201, None, {"x-restli-id": urn, "Location": f"/rest/posts/{urn}"}

    @staticmethod
    def _media_of(data: dict) -> list[str]:
        content = data.get("content") or {}
        if "media" in content:
            return [content["media"].get("id", "")]
        return [image.get("id", "") for image in (content.get("multiImage") or {}).get("images", [])]

    def _initialize_upload(self, parsed, headers, body, fault):
        if parse_qs(parsed.query).get("action") != ["initializeUpload"]:
            return 400, {"status": 400, "message": "Unknown action"}, {}
        if not headers.get("LinkedIn-Version"):
            return (
                426,
                {"status": 426, "code": "NONEXISTENT_VERSION", "message": "Requested version  is not active"},
                {},
            )
        if fault.status >= 400:
            return fault.status, {"status": fault.status, "message": "stand-in fault"}, {}
        owner = (json.loads(body or b"{}").get("initializeUploadRequest") or {}).get("owner")
        if owner != self.author:
            return 403, {"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED", "message": "Not allowed"}, {}
        number = len(self.images) + 1
        image = {"urn": f"urn:li:image:C4E10AQStandIn{number}", "upload_id": f"upload-{number}", "data": b""}
        self.images.append(image)
        value = {
            "uploadUrlExpiresAt": int(time.time() * 1000) + 3_600_000,
            "uploadUrl": f"{self.url}{UPLOAD_PATH}{image['upload_id']}",
            "image": image["urn"],
        }
        return 200, {"value": value}, {}

    def _upload(self, upload_id, body, fault):
        if fault.status >= 400:
            return fault.status, {"status": fault.status, "message": "stand-in fault"}, {}
        found = [i for i in self.images if i["upload_id"] == upload_id]
        if not found:
            return 404, {"status": 404, "message": "Not found"}, {}
        if not body:
            return 400, {"status": 400, "message": "Empty upload"}, {}
        found[0]["data"] = body
        return 201, None, {}
