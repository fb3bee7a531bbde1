"""Slack incoming webhook: `POST` JSON `{"text": ...}` to the hook URL; Slack answers 200 with plain `ok`.

The hook URL is the secret (anyone holding it can post), so it lives in the encrypted credentials
({"url": "https://hooks.slack.com/services/T.../B.../..."}) and is never written to messages or logs.
Errors come back as plain text: 400 `invalid_payload` / `no_text`, 403 `action_prohibited` / `invalid_token`,
404 `channel_not_found` / `no_service`, 410 `channel_is_archived` (all permanent); 429 with `Retry-After`.

Slack has no idempotency key and no way to look a message up from a webhook, so a post whose answer was
lost (timeout) is never sent again: `deduplicates = False`.

Images are not sent to Slack. An incoming webhook cannot upload files (that needs a bot token and
`files.uploadV2`), and an image block only shows a picture from a public URL, while a draft's images are
private. So a draft with images goes to Slack as its text alone; `validate` does not refuse it (the other
channels of the board still carry the images). Tell teams that want the pictures in Slack to post them by
hand, or to use a Discord or e-mail channel, which do carry them.

No read-back (`can_fetch` is False): an incoming webhook answers only `ok`, with no message timestamp or
channel id, and reading a message (conversations.history) needs a bot token the channel does not have. So
a Slack publication has no post id to look up and "check on the platform" says it cannot.
"""

from urllib.parse import urlsplit

from publishing.adapters.base import (
    Adapter,
    AdapterError,
    ConfigField,
    Post,
    PublishResult,
    call,
    error_from_response,
    send,
)

# Slack truncates longer messages; refuse them instead of posting half a message.
MAX_TEXT = 40_000


class SlackAdapter(Adapter):
    kind = "slack"
    deduplicates = False
    credential_fields = (
        ConfigField(
            "url",
            "The incoming webhook URL, https://hooks.slack.com/services/T…/B…/… (your Slack app > Incoming "
            "Webhooks > Add New Webhook to Workspace). Anyone holding it can post: keep it secret.",
            required=True,
            type="url",
        ),
    )

    platform = "Slack"

    @property
    def url(self) -> str:
        return str(self.channel.credentials.get("url", ""))

    def text_limit(self) -> int:
        return MAX_TEXT

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.url.startswith(("https://", "http://")):
            problems.append("The Slack channel has no webhook URL.")
        if not post.text.strip():
            problems.append("There is no text to send.")
        elif self.text_length(post) > MAX_TEXT:
            problems.append(f"The text is {len(post.text)} characters; Slack takes at most {MAX_TEXT}.")
        return problems

    def _payload(self, post: Post) -> dict:
        return {"text": post.text}

    def publish(self, post: Post) -> PublishResult:
        if not self.url:
            raise AdapterError("The Slack channel has no webhook URL.", permanent=True)
        response = call("POST", self.url, platform=self.platform, json=self._payload(post))
        if response.text.strip() != "ok":
            # 200 means Slack took it; anything else is not Slack's documented answer.
            raise AdapterError(f"Slack answered {response.status_code}: {response.text[:300]}", ambiguous=True)
        return PublishResult()

    def test_connection(self) -> str:
        """Post an empty message: a live hook refuses it (400 `no_text` / `invalid_payload`) and posts nothing."""
        if not self.url:
            raise AdapterError("The Slack channel has no webhook URL.", permanent=True)
        response = send("POST", self.url, platform=self.platform, json={"text": ""})
        reason = response.text.strip()
        if response.status_code == 400 and reason in {"no_text", "invalid_payload", "missing_text_or_fallback"}:
            return f"The Slack webhook on {urlsplit(self.url).hostname} exists and accepts requests."
        if response.status_code < 400:
            raise AdapterError("Slack posted an empty test message instead of refusing it.", status_code=200)
        raise error_from_response(response, self.platform)
