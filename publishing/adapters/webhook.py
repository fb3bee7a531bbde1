"""Generic webhook: POST the post as JSON, signed with HMAC-SHA256.

Receivers verify it like this: take the `X-Cocreate-Timestamp` header and the raw body, compute
`hex(hmac_sha256(secret, timestamp + "." + body))` and compare it (constant time) with the part after
`sha256=` in `X-Cocreate-Signature`; reject timestamps older than five minutes. The `Idempotency-Key` header
is the same for every attempt of one publication: a receiver that remembers it never posts twice.

The body (JSON, keys sorted) of a post:

    {"event": "post.published", "draft_id": 12, "board": "Launch", "title": "...", "text": "...",
     "html": "<p>...</p>", "tags": ["..."],
     "images": [{"filename": "3f2a….png", "content_type": "image/png", "alt_text": "...", "width": 1200,
                 "height": 800, "size": 48213, "sha256": "<hex of the bytes>", "data_base64": "<the bytes>"}]}

`text` is the post's Markdown as written (the channel's variant, or the body) and `html` the same rendered
and sanitised, as the blog and newsletter channels get it. `images` is always present (an empty list for a
post without pictures), in the draft's order; `data_base64` is the image itself (standard base64), and
`size` and `sha256` describe the decoded bytes, so a receiver can check them. The signature covers the
whole body, images included. Images are JPEG or PNG, stored without metadata; receivers should allow for
bodies of several megabytes. A connection test sends {"event": "ping"}.

Settings: {"url": "https://receiver.example/hook", "receiver_deduplicates": true}. Credentials: {"secret"}.

No read-back (`can_fetch` is False): the contract is one signed POST, and a receiver offers no standard way
to ask about a post afterwards. The `id` and `url` a receiver answers are stored, but nothing can say
whether that post is still there.
"""

import base64
import hashlib
import hmac
import json
import time

from publishing.adapters.base import Adapter, AdapterError, ConfigField, Post, PublishResult, call


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _image(image) -> dict:
    data = image.read()
    return {
        "filename": image.filename,
        "content_type": image.content_type,
        "alt_text": image.alt_text,
        "width": image.width,
        "height": image.height,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "data_base64": base64.b64encode(data).decode("ascii"),
    }


class WebhookAdapter(Adapter):
    kind = "webhook"
    settings_fields = (
        ConfigField(
            "url",
            "Where the signed JSON is POSTed, e.g. https://example.com/hooks/cocreate.",
            required=True,
            type="url",
            locates=True,
        ),
        ConfigField(
            "receiver_deduplicates",
            "false if the receiver ignores Idempotency-Key: then a timed-out post is never resent (default true).",
            type="boolean",
        ),
    )
    credential_fields = (
        ConfigField(
            "secret",
            "The HMAC-SHA256 signing secret the receiver checks X-Cocreate-Signature with; any long random "
            "string, e.g. from `openssl rand -hex 32`.",
            required=True,
        ),
    )

    @property
    def deduplicates(self) -> bool:  # type: ignore[override]  # per channel; nothing assigns it
        """Receivers are asked to honour Idempotency-Key; a channel whose receiver does not says so in its
        settings ({"receiver_deduplicates": false}), and then a timed-out post is never sent again."""
        return bool(self.channel.settings.get("receiver_deduplicates", True))

    @property
    def url(self) -> str:
        return self.channel.settings.get("url", "")

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.url.startswith(("https://", "http://")):
            problems.append("The webhook channel has no http(s) URL.")
        if not post.text.strip():
            problems.append("There is no text to send.")
        return problems

    def _send(self, payload: dict, idempotency_key: str):
        secret = self.channel.credentials.get("secret", "")
        if not secret:
            raise AdapterError("The webhook channel has no signing secret.", permanent=True)
        body = json.dumps(payload, sort_keys=True).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": idempotency_key,
            "X-Cocreate-Timestamp": timestamp,
            "X-Cocreate-Signature": f"sha256={sign(secret, timestamp, body)}",
        }
        return call("POST", self.url, platform="The webhook", content=body, headers=headers)

    def publish(self, post: Post) -> PublishResult:
        payload = {
            "event": "post.published",
            "draft_id": post.draft_id,
            "board": post.board,
            "title": post.title,
            "text": post.text,
            "html": post.html,
            "tags": post.tags,
            "images": [_image(image) for image in post.images],
        }
        response = self._send(payload, post.idempotency_key)
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        return PublishResult(post_id=str(answer.get("id", "")), url=str(answer.get("url", "")))

    def test_connection(self) -> str:
        self._send({"event": "ping"}, idempotency_key="ping")
        return f"The webhook at {self.url} accepted a signed ping."
