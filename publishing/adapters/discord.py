"""Discord webhook: `POST /api/webhooks/{id}/{token}?wait=true` with JSON `{"content", "username"?}`.

The webhook URL holds its token, so it lives in the encrypted credentials ({"url": "https://discord.com/api/
webhooks/<id>/<token>"}) and is never written to messages. Settings: {"username": "..."} (optional: the name
shown on the message). `?wait=true` makes Discord answer 200 with the created message (its `id`) instead of
204. Content is at most 2000 characters; mentions are not parsed (`allowed_mentions`), so a draft cannot ping
@everyone.

Errors are `{"code", "message"}`: 404 code 10015 "Unknown Webhook" (deleted: stop using it, permanent),
401 code 50027 "Invalid Webhook Token", 400 code 50035 "Invalid Form Body"; 429 `{"retry_after": seconds,
"global"}` with `Retry-After`. Discord has no idempotency key, so a timed-out post is never resent.

Images go with the message itself as files: a multipart body with `payload_json` (the JSON above plus
`attachments: [{"id": n, "filename", "description": alt text}]`) and one `files[n]` part per image. At most
10 files, each within Discord's default upload limit of 10 MiB (and all of them within 25 MiB, the request
limit; settings "max_file_bytes" / "max_request_bytes" for a boosted server), re-encoded when larger; a
description is at most 1,024 characters. There is no separate upload step, so a failed request (503, 401)
posted nothing and is classified like any other, and a timed-out one is ambiguous like a text message.

Read-back (`fetch`): `GET /webhooks/{id}/{token}/messages/{message_id}` (a webhook can read the messages it
sent, with its own token; a `thread_id` in the webhook URL is kept). 200 is live, with the message's link;
404 code 10008 "Unknown Message" means it was deleted. A deleted webhook (404 code 10015) or any other error
raises as for a post: the message may still be there, we just cannot see it.
"""

import contextlib
import json
from urllib.parse import urlsplit, urlunsplit

from publishing.adapters.base import (
    Adapter,
    AdapterError,
    ConfigField,
    Post,
    PostStatus,
    PublishResult,
    error_from_response,
    send,
)
from publishing.adapters.images import alt_text_problems, fit_image, image_count_problems

MAX_CONTENT = 2000
UNKNOWN_WEBHOOK = 10015
UNKNOWN_MESSAGE = 10008
MAX_FILES = 10
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_REQUEST_BYTES = 25 * 1024 * 1024
REQUEST_OVERHEAD = 64 * 1024  # room for payload_json and the multipart framing
MAX_DESCRIPTION = 1024


class DiscordAdapter(Adapter):
    kind = "discord"
    deduplicates = False
    settings_fields = (
        ConfigField("username", "The name shown on the messages instead of the webhook's, e.g. Cocreate."),
        ConfigField(
            "max_file_bytes", "Per-image limit for a boosted server, e.g. 52428800 (default 10 MiB).", type="integer"
        ),
        ConfigField("max_request_bytes", "Per-message limit for a boosted server (default 25 MiB).", type="integer"),
    )
    credential_fields = (
        ConfigField(
            "url",
            "The webhook URL, https://discord.com/api/webhooks/<id>/<token> (channel settings > Integrations > "
            "Webhooks > Copy Webhook URL). It holds the webhook's token: keep it secret.",
            required=True,
            type="url",
        ),
    )

    platform = "Discord"

    @property
    def url(self) -> str:
        return str(self.channel.credentials.get("url", ""))

    def _endpoint(self, suffix: str = "", **query) -> str:
        parts = urlsplit(self.url)
        if suffix:
            parts = parts._replace(path=parts.path.rstrip("/") + suffix)
        extra = "&".join(f"{key}={value}" for key, value in query.items())
        return urlunsplit(parts._replace(query="&".join(filter(None, [parts.query, extra]))))

    def text_limit(self) -> int:
        return MAX_CONTENT

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.url.startswith(("https://", "http://")):
            problems.append("The Discord channel has no webhook URL.")
        if not post.text.strip():
            problems.append("There is no text to send.")
        elif self.text_length(post) > MAX_CONTENT:
            problems.append(f"The text is {len(post.text)} characters; Discord takes at most {MAX_CONTENT}.")
        problems += image_count_problems(post, maximum=MAX_FILES, platform=self.platform)
        problems += alt_text_problems(post, limit=MAX_DESCRIPTION, platform=self.platform)
        return problems

    def _files(self, post: Post) -> list[tuple[str, tuple[str, bytes, str]]]:
        """The images as multipart parts `files[n]`, each re-encoded to fit its share of the limits."""
        if not post.images:
            return []
        per_file = int(self.channel.settings.get("max_file_bytes") or MAX_FILE_BYTES)
        per_request = int(self.channel.settings.get("max_request_bytes") or MAX_REQUEST_BYTES)
        budget = min(per_file, (per_request - REQUEST_OVERHEAD) // len(post.images))
        uploads = [fit_image(image, max_bytes=budget, platform=self.platform) for image in post.images]
        return [(f"files[{n}]", (u.filename, u.data, u.content_type)) for n, u in enumerate(uploads)]

    def _raise(self, response):
        """Discord's JSON error as an AdapterError, with its code and message and its precise retry_after."""
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        error = error_from_response(response, self.platform)
        if answer.get("message"):
            code = answer.get("code")
            error.message = f"Discord answered {response.status_code}: {answer['message']}" + (
                f" (code {code})" if code else ""
            )
            error.args = (error.message,)
        if response.status_code == 404 and answer.get("code") == UNKNOWN_WEBHOOK:
            error.message = "Discord: unknown webhook (deleted?); the channel needs a new webhook URL (code 10015)."
            error.args = (error.message,)
            error.permanent = True
        if response.status_code == 429:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                error.retry_after = max(error.retry_after or 0.0, float(answer["retry_after"]))
        raise error

    def publish(self, post: Post) -> PublishResult:
        if not self.url:
            raise AdapterError("The Discord channel has no webhook URL.", permanent=True)
        payload: dict[str, object] = {"content": post.text, "allowed_mentions": {"parse": []}}
        if self.channel.settings.get("username"):
            payload["username"] = self.channel.settings["username"]
        files = self._files(post)
        if files:
            payload["attachments"] = [
                {"id": n, "filename": part[1][0]} | ({"description": image.alt_text} if image.alt_text else {})
                for n, (part, image) in enumerate(zip(files, post.images, strict=True))
            ]
            response = send(
                "POST",
                self._endpoint(wait="true"),
                platform=self.platform,
                data={"payload_json": json.dumps(payload)},
                files=files,
            )
        else:
            response = send("POST", self._endpoint(wait="true"), platform=self.platform, json=payload)
        if response.status_code >= 400:
            self._raise(response)
        try:
            message = response.json()
        except ValueError:
            message = {}
        if not isinstance(message, dict) or not message.get("id"):
            raise AdapterError(f"Discord answered {response.status_code} without a message.", ambiguous=True)
        return PublishResult(post_id=str(message["id"]), url=self._link(message))

    @staticmethod
    def _link(message: dict) -> str:
        if message.get("guild_id") and message.get("channel_id") and message.get("id"):
            return f"https://discord.com/channels/{message['guild_id']}/{message['channel_id']}/{message['id']}"
        return ""

    def fetch(self, post_id: str) -> PostStatus:
        if not self.url:
            raise AdapterError("The Discord channel has no webhook URL.", permanent=True)
        response = send("GET", self._endpoint(f"/messages/{post_id}"), platform=self.platform)
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        answer = answer if isinstance(answer, dict) else {}
        if response.status_code == 404 and answer.get("code") == UNKNOWN_MESSAGE:
            return PostStatus(live=False, detail="Deleted from Discord.")
        if response.status_code >= 400:
            self._raise(response)
        return PostStatus(live=True, url=self._link(answer), detail="Live on Discord.")

    def test_connection(self) -> str:
        """GET the webhook: Discord answers its name and channel without posting anything."""
        if not self.url:
            raise AdapterError("The Discord channel has no webhook URL.", permanent=True)
        response = send("GET", self.url, platform=self.platform)
        if response.status_code >= 400:
            self._raise(response)
        try:
            name = response.json().get("name") or ""
        except (ValueError, AttributeError):
            name = ""
        return "The Discord webhook" + (f" {name!r}" if name else "") + " exists and accepts its token."
