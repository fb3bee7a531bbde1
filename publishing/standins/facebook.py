"""A stand-in Graph API for one Facebook page on 127.0.0.1, following docs/channels.md.

POST /{version}/{page-id}/feed (form: message, access_token) -> 200 {"id": "{page-id}_{post-id}"}; errors
as {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}: 190 for a bad token, 506 for a
duplicate status. GET /{version}/{page-id} and /{version}/{page-id}/feed (Authorization: OAuth <token>).
A script of faults on the POST: a Graph error code with its HTTP status (rate limits carry
X-Business-Use-Case-Usage with estimated_time_to_regain_access in minutes), `commit` to store the post
before failing, or a slow answer (the post is stored before the delay). A fault's `edge` says which POST it
is for: "feed" (the default) or "photos".

POST /{version}/{page-id}/photos (multipart: `source` file, `published`, `alt_text_custom`, `access_token`)
stores a photo and answers {"id"}; without a file 400 code 324 "(#324) Requires upload file". A feed post's
`attached_media[i]` ({"media_fbid": id}) must name an unpublished photo of the page (else 400 code 100), and
a post with attachments needs no message.

GET /{version}/{page-id}_{post-id}?fields=permalink_url,is_published (Authorization: OAuth <token>) answers
{"id", "permalink_url", "is_published"}; a post that is not there (never was, or `delete(id)`, as someone on
the page would) gets 400 code 100 subcode 33 "Unsupported get request. Object ... does not exist". A fault
with edge "read" plays an error (e.g. status 503, code 2) on the next such GET.
"""

import json
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from publishing.standins.multipart import parse_multipart
from publishing.standins.server import Reply, StandInServer


@dataclass
class Fault:
    status: int = 200
    code: int | None = None
    message: str = "stand-in fault"
    regain_minutes: int | None = None
    delay: float = 0.0
    commit: bool = False
    edge: str = "feed"  # which POST the fault is for: "feed" or "photos"; "read" for the GET of a post


@dataclass
class FacebookStandIn(StandInServer):
    page_id: str = "1029384756"
    page_name: str = "Brand Page"
    token: str = "page-token"
    posts: list[dict] = field(default_factory=list)
    photos: list[dict] = field(default_factory=list)  # uploaded photos, with the bytes that arrived in "data"
    requests: list[tuple[str, str]] = field(default_factory=list)
    script: list[Fault] = field(default_factory=list)
    made: int = 0  # posts ever made: a deleted post's id is not given again
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
            edge = parsed.path.strip("/").split("/")[2:3]
            if verb == "GET":
                scripted = self.script and self.script[0].edge == "read" and "_" in parsed.path
            else:
                scripted = self.script and verb == "POST" and edge == [self.script[0].edge]
            fault = self.script.pop(0) if scripted else Fault()
            status, answer, extra = self._answer(verb, parsed, headers, body, fault)
            return status, answer, extra, fault.delay

    def _answer(self, verb, parsed, headers, body, fault):
        parts = parsed.path.strip("/").split("/")
        files = parse_multipart(headers.get("Content-Type", ""), body)
        if files:
            form = {name: part.text for name, part in files.items() if part.filename is None}
        else:
            form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        token = form.get("access_token") or headers.get("Authorization", "").removeprefix("OAuth ").strip()
        if token != self.token:
            return self._error(400, 190, "Error validating access token: Session has expired.", subcode=463)
        if verb == "GET" and len(parts) == 2 and parts[1].startswith(f"{self.page_id}_"):
            return self._read(parts[1], fault)
        if len(parts) < 2 or parts[1] != self.page_id:
            return self._error(400, 100, "Unsupported request: object does not exist", kind="GraphMethodException")
        if verb == "GET" and len(parts) == 2:
            return 200, {"id": self.page_id, "name": self.page_name}, {}
        if verb == "GET" and parts[2:] == ["feed"]:
            feed = [{"id": p["id"], "message": p["message"]} for p in reversed(self.posts)]
            return 200, {"data": feed[:25]}, {}
        if verb == "POST" and parts[2:] == ["photos"]:
            return self._photo(form, files, fault)
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
        attached = []
        for number in range(len(form)):
            if f"attached_media[{number}]" not in form:
                break
            try:
                fbid = str(json.loads(form[f"attached_media[{number}]"])["media_fbid"])
            except (ValueError, KeyError, TypeError):
                fbid = ""
            photo = next((p for p in self.photos if p["id"] == fbid), None)
            if photo is None or photo["published"]:
                return self._error(400, 100, f"(#100) param attached_media[{number}] must be a valid unpublished photo")
            attached.append(fbid)
        if not form.get("message") and not attached:
            return self._error(400, 100, "(#100) Missing message or attachment")
        if self.posts and form.get("message") and self.posts[-1]["message"] == form["message"]:
            return self._error(400, 506, "Duplicate status message")
        self.made += 1
        post_id = f"{self.page_id}_{100000000000 + self.made}"
        self.posts.append(
            {"id": post_id, "message": form.get("message", ""), "link": form.get("link"), "attached_media": attached}
        )
        if fault.code is not None:
            return self._error(fault.status, fault.code, fault.message)
        return 200, {"id": post_id}, {}

    def _read(self, post_id, fault):
        if fault.status >= 400:
            return self._error(fault.status, fault.code if fault.code is not None else 2, fault.message)
        post = next((p for p in self.posts if p["id"] == post_id), None)
        if post is None:
            message = (
                f"Unsupported get request. Object with ID '{post_id}' does not exist, cannot be loaded due to "
                "missing permissions, or does not support this operation."
            )
            return self._error(400, 100, message, subcode=33, kind="GraphMethodException")
        page, _, number = post_id.partition("_")
        url = f"https://www.facebook.com/{page}/posts/{number}"
        return 200, {"id": post_id, "permalink_url": url, "is_published": True}, {}

    def delete(self, post_id: str) -> None:
        """The post is deleted on the page (by someone there, or removed by Facebook)."""
        with self._lock:
            self.posts = [p for p in self.posts if p["id"] != post_id]

    def _photo(self, form, files, fault):
        if fault.code is not None or fault.status >= 400:
            return self._error(fault.status, fault.code if fault.code is not None else 2, fault.message)
        source = files.get("source")
        if source is None or source.filename is None or not source.data:
            return self._error(400, 324, "(#324) Requires upload file")
        photo_id = str(200000000000 + len(self.photos) + 1)
        self.photos.append(
            {
                "id": photo_id,
                "data": source.data,
                "filename": source.filename,
                "content_type": source.content_type,
                "alt_text": form.get("alt_text_custom", ""),
                "published": form.get("published", "true") != "false",
            }
        )
        return 200, {"id": photo_id}, {}
