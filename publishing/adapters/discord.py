"""Discord webhook: `POST /api/webhooks/{id}/{token}?wait=true` with JSON `{"content", "username"?}`.

The webhook URL holds its token, so it lives in the encrypted credentials ({"url": "https://discord.com/api/
webhooks/<id>/<token>"}) and is never written to messages. Settings: {"username": "..."} (optional: the name
shown on the message). `?wait=true` makes Discord answer 200 with the created message (its `id`) instead of
204. Content is at most 2000 characters; mentions are not parsed (`allowed_mentions`), so a draft cannot ping
@everyone.

Errors are `{"code", "message"}`: 404 code 10015 "Unknown Webhook" (deleted: stop using it, permanent),
401 code 50027 "Invalid Webhook Token", 400 code 50035 "Invalid Form Body"; 429 `{"retry_after": seconds,
"global"}` with `Retry-After`. Discord has no idempotency key, so a timed-out post is never resent.
"""

import contextlib
from urllib.parse import urlsplit, urlunsplit

from publishing.adapters.base import Adapter, AdapterError, Post, PublishResult, error_from_response, send

MAX_CONTENT = 2000
UNKNOWN_WEBHOOK = 10015


class DiscordAdapter(Adapter):
    kind = "discord"
    deduplicates = False

    platform = "Discord"

    @property
    def url(self) -> str:
        return str(self.channel.credentials.get("url", ""))

    def _endpoint(self, **query) -> str:
        parts = urlsplit(self.url)
        extra = "&".join(f"{key}={value}" for key, value in query.items())
        return urlunsplit(parts._replace(query="&".join(filter(None, [parts.query, extra]))))

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.url.startswith(("https://", "http://")):
            problems.append("The Discord channel has no webhook URL.")
        if not post.text.strip():
            problems.append("There is no text to send.")
        elif len(post.text) > MAX_CONTENT:
            problems.append(f"The text is {len(post.text)} characters; Discord takes at most {MAX_CONTENT}.")
        return problems

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
        payload = {"content": post.text, "allowed_mentions": {"parse": []}}
        if self.channel.settings.get("username"):
            payload["username"] = self.channel.settings["username"]
        response = send("POST", self._endpoint(wait="true"), platform=self.platform, json=payload)
        if response.status_code >= 400:
            self._raise(response)
        try:
            message = response.json()
        except ValueError:
            message = {}
        if not isinstance(message, dict) or not message.get("id"):
            raise AdapterError(f"Discord answered {response.status_code} without a message.", ambiguous=True)
        url = ""
        if message.get("guild_id") and message.get("channel_id"):
            url = f"https://discord.com/channels/{message['guild_id']}/{message['channel_id']}/{message['id']}"
        return PublishResult(post_id=str(message["id"]), url=url)

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
