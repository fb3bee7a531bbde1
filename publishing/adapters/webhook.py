"""Generic webhook: POST the post as JSON, signed with HMAC-SHA256.

Receivers verify it like this: take the `X-Cocreate-Timestamp` header and the raw body, compute
`hex(hmac_sha256(secret, timestamp + "." + body))` and compare it (constant time) with the part after
`sha256=` in `X-Cocreate-Signature`; reject timestamps older than five minutes. The `Idempotency-Key` header
is the same for every attempt of one publication: a receiver that remembers it never posts twice.
"""

import hashlib
import hmac
import json
import time

from publishing.adapters.base import Adapter, AdapterError, Post, PublishResult, call


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class WebhookAdapter(Adapter):
    kind = "webhook"

    @property
    def deduplicates(self) -> bool:
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
            "tags": post.tags,
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
