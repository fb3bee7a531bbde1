"""A stand-in Bluesky PDS on 127.0.0.1 that follows the contract in docs/channels.md.

createSession (401 AuthenticationRequired on a wrong app password), refreshSession (the old refresh token
is spent), getSession, createRecord (300 graphemes, link facets checked as UTF-8 byte ranges, a client
rkey; a repeated rkey is refused or ignored per `collision`), getRecord (400 RecordNotFound; `delete(rkey)`
deletes a record as its author would). An expired
access token gets 400 ExpiredToken. A script of faults plays on createRecord: a status (429 carries the
RateLimit-* headers, RateLimit-Reset in epoch seconds) or an answer slower than the client's timeout
(the record is written before the delay).

Images: uploadBlob takes the raw bytes with their Content-Type (an image/* type, at most 1,000,000 bytes,
else 400) and answers `{"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType", "size"}}`, the cid a real
CIDv1 (raw, sha2-256) of the bytes; uploads are kept in `blobs` (cid -> data, mimeType). A record's
`app.bsky.embed.images` must hold 1 to 4 images, each with a string `alt` and a blob this PDS holds, of
the same mimeType and size (400 InvalidRequest otherwise).
"""

import base64
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import regex

from publishing.standins.server import Reply, StandInServer

MAX_BLOB_BYTES = 1_000_000


def cid_for(data: bytes) -> str:
    """CIDv1, raw codec, sha2-256, base32 multibase: what a PDS answers for a blob."""
    raw = bytes([0x01, 0x55, 0x12, 0x20]) + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


@dataclass
class Fault:
    status: int = 200
    error: str = "InternalServerError"
    message: str = "stand-in fault"
    reset_in: int = 60  # for 429: RateLimit-Reset is now + reset_in (epoch seconds)
    delay: float = 0.0  # seconds before answering; a successful write happens before the delay
    method: str = "com.atproto.repo.createRecord"


@dataclass
class BlueskyStandIn(StandInServer):
    identifier: str = "brand.test"
    password: str = "app-pass-word-1234"
    handle: str = "brand.test"
    did: str = "did:plc:standinbrand"
    collision: str = "error"  # "error": 400 InvalidRequest on a repeated rkey; "noop": 200 with the first record
    records: dict[str, dict] = field(default_factory=dict)  # rkey -> record
    posts: list[dict] = field(default_factory=list)  # every record really created
    blobs: dict[str, dict] = field(default_factory=dict)  # cid -> {"data", "mimeType"}
    calls: list[str] = field(default_factory=list)  # xrpc method of every request, in order
    script: list[Fault] = field(default_factory=list)
    sessions_created: int = 0
    _access: dict[str, bool] = field(default_factory=dict)  # token -> expired?
    _refresh: set[str] = field(default_factory=set)
    _counter: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, method: str, path: str, headers, body: bytes) -> Reply:
        return Reply(*self._handle(method, urlparse(path), headers, body))

    def start(self) -> str:
        return self.start_server()

    def expire_access_tokens(self) -> None:
        with self._lock:
            for token in self._access:
                self._access[token] = True

    def delete(self, rkey: str) -> None:
        """The author deletes the post: getRecord answers RecordNotFound from now on."""
        with self._lock:
            del self.records[rkey]

    def _new_session(self) -> dict:
        self._counter += 1
        access, refresh = f"access-{self._counter}", f"refresh-{self._counter}"
        self._access[access] = False
        self._refresh.add(refresh)
        return {"accessJwt": access, "refreshJwt": refresh, "handle": self.handle, "did": self.did}

    def _handle(self, verb, parsed, headers, body: bytes):
        method = parsed.path.removeprefix("/xrpc/")
        with self._lock:
            self.calls.append(method)
            fault = Fault()
            if self.script and self.script[0].method == method:
                fault = self.script.pop(0)
            status, answer, extra = self._answer(verb, method, parsed, headers, body, fault)
            return status, answer, extra, fault.delay

    def _answer(self, verb, method, parsed, headers, body, fault):
        token = headers.get("Authorization", "").removeprefix("Bearer ").strip()
        json_body = headers.get("Content-Type", "").startswith("application/json")
        data = json.loads(body) if body and json_body else {}
        signing_in = method.startswith("com.atproto.server.") and method != "com.atproto.server.getSession"
        if signing_in and fault.status >= 400:
            return self._fault(fault)
        if method == "com.atproto.server.createSession":
            if data.get("identifier") != self.identifier or data.get("password") != self.password:
                return 401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, {}
            self.sessions_created += 1
            return 200, self._new_session(), {}
        if method == "com.atproto.server.refreshSession":
            if token not in self._refresh:
                return 400, {"error": "ExpiredToken", "message": "Token has been revoked"}, {}
            self._refresh.discard(token)
            return 200, self._new_session(), {}
        if not token:
            return 401, {"error": "AuthMissing", "message": "Authentication Required"}, {}
        if token not in self._access:
            return 400, {"error": "InvalidToken", "message": "Token could not be verified"}, {}
        if self._access[token]:
            return 400, {"error": "ExpiredToken", "message": "Token has expired"}, {}
        if fault.status >= 400:
            return self._fault(fault)
        if method == "com.atproto.server.getSession":
            return 200, {"handle": self.handle, "did": self.did}, {}
        if method == "com.atproto.repo.getRecord":
            query = {key: values[0] for key, values in parse_qs(parsed.query).items()}
            record = self.records.get(query.get("rkey", ""))
            if record is None or query.get("repo") != self.did:
                return 400, {"error": "RecordNotFound", "message": "Could not locate record"}, {}
            return 200, {"uri": self._uri(query["rkey"]), "cid": "bafystandin", "value": record}, {}
        if method == "com.atproto.repo.uploadBlob" and verb == "POST":
            return self._upload_blob(headers.get("Content-Type", ""), body)
        if method == "com.atproto.repo.createRecord" and verb == "POST":
            return self._create(data)
        return 501, {"error": "MethodNotImplemented", "message": method}, {}

    def _fault(self, fault: Fault):
        if fault.status == 429:
            headers = {
                "RateLimit-Limit": "5000",
                "RateLimit-Remaining": "0",
                "RateLimit-Reset": str(int(time.time()) + fault.reset_in),
                "RateLimit-Policy": "5000;w=3600",
            }
            return 429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, headers
        return fault.status, {"error": fault.error, "message": fault.message}, {}

    def _uri(self, rkey: str) -> str:
        return f"at://{self.did}/app.bsky.feed.post/{rkey}"

    def _create(self, data: dict):
        record = data.get("record", {})
        text = record.get("text", "")
        if data.get("repo") != self.did or data.get("collection") != "app.bsky.feed.post":
            return 400, {"error": "InvalidRequest", "message": "Invalid repo or collection"}, {}
        if len(regex.findall(r"\X", text)) > 300:
            message = "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"
            return 400, {"error": "InvalidRequest", "message": message}, {}
        if len(text.encode("utf-8")) > 3000:
            message = f"Invalid app.bsky.feed.post record: string too big (maximum 3000, got {len(text.encode())})"
            return 400, {"error": "InvalidRequest", "message": message}, {}
        encoded = text.encode("utf-8")
        for facet in record.get("facets", []):
            start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
            if not 0 <= start < end <= len(encoded):
                return 400, {"error": "InvalidRequest", "message": "Invalid facet byte range"}, {}
        problem = self._embed_problem(record.get("embed"))
        if problem:
            return 400, {"error": "InvalidRequest", "message": f"Invalid app.bsky.feed.post record: {problem}"}, {}
        rkey = data.get("rkey") or f"auto{len(self.posts) + 1}"
        if rkey in self.records:
            if self.collision == "noop":
                return 200, {"uri": self._uri(rkey), "cid": "bafystandin"}, {}
            return 400, {"error": "InvalidRequest", "message": f"Record already exists: {self._uri(rkey)}"}, {}
        self.records[rkey] = record
        self.posts.append(record)
        return 200, {"uri": self._uri(rkey), "cid": "bafystandin"}, {}

    def _upload_blob(self, content_type: str, body: bytes):
        if not content_type.startswith("image/"):
            return 400, {"error": "InvalidRequest", "message": f"Unsupported blob type: {content_type or 'none'}"}, {}
        if len(body) > MAX_BLOB_BYTES:
            message = f"This file is too large. It is {len(body):,} bytes but the maximum size is 1,000,000 bytes."
            return 400, {"error": "BlobTooLarge", "message": message}, {}
        cid = cid_for(body)
        self.blobs[cid] = {"data": body, "mimeType": content_type}
        blob = {"$type": "blob", "ref": {"$link": cid}, "mimeType": content_type, "size": len(body)}
        return 200, {"blob": blob}, {}

    def _embed_problem(self, embed) -> str:
        if embed is None:
            return ""
        if embed.get("$type") != "app.bsky.embed.images":
            return f"Record/embed type {embed.get('$type')!r} is not supported here"
        images = embed.get("images")
        if not isinstance(images, list) or not 1 <= len(images) <= 4:
            return "Record/embed/images must hold 1 to 4 images"
        for number, image in enumerate(images):
            blob = image.get("image") or {}
            held = self.blobs.get((blob.get("ref") or {}).get("$link", ""))
            if not isinstance(image.get("alt"), str):
                return f"Record/embed/images/{number}/alt must be a string"
            if held is None:
                return f"Record/embed/images/{number}/image: blob not found"
            if blob.get("size") != len(held["data"]) or blob.get("mimeType") != held["mimeType"]:
                return f"Record/embed/images/{number}/image does not match the uploaded blob"
            ratio = image.get("aspectRatio")
            if ratio is not None and not (ratio.get("width", 0) >= 1 and ratio.get("height", 0) >= 1):
                return f"Record/embed/images/{number}/aspectRatio must have a positive width and height"
        return ""
