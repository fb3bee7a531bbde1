"""Mastodon: `POST {instance}/api/v1/statuses` with a Bearer token (scope `write:statuses`).

Settings: {"url": "https://instance.example", "visibility": "public|unlisted|private|direct" (optional),
"language": "en" (optional), "max_characters": 500 and "characters_reserved_per_url": 23 (optional: the
instance's figures from GET /api/v2/instance)}. Credentials: {"token": "..."}.

Every attempt of one publication sends the same `Idempotency-Key`; Mastodon answers a repeat (same account,
same key, within about an hour) with the original status, so a resend after a timeout cannot double-post.
The length is counted as Mastodon does: grapheme clusters, every URL as 23, a remote mention `@user@domain`
as `@user`. Rate limits: 429 with `X-RateLimit-Reset` (ISO 8601) becomes the retry delay.
"""

import regex

from publishing.adapters.base import Adapter, AdapterError, Post, PublishResult, call, grapheme_count

DEFAULT_MAX_CHARACTERS = 500
DEFAULT_URL_LENGTH = 23
VISIBILITIES = {"public", "unlisted", "private", "direct"}

# What Mastodon's StatusLengthValidator replaces: links with a scheme, and the domain part of mentions.
URL_PATTERN = regex.compile(r"https?://[^\s<>\"]+", regex.IGNORECASE)
MENTION_PATTERN = regex.compile(r"(?<![\w/])@(\w+(?:[\.\-]+\w+)*)@[\w\-]+(?:\.[\w\-]+)+", regex.UNICODE)


def _url_placeholder(url: str, url_length: int) -> str:
    """A link counts url_length; punctuation right after it ("see https://x.org.") is text, as on Mastodon."""
    stripped = url.rstrip(".,:;!?)'")
    return "x" * url_length + url[len(stripped) :]


def status_length(text: str, url_length: int = DEFAULT_URL_LENGTH) -> int:
    """Characters a status uses on Mastodon."""
    counted = URL_PATTERN.sub(lambda match: _url_placeholder(match.group(0), url_length), text)
    counted = MENTION_PATTERN.sub(lambda match: "@" + match.group(1), counted)
    return grapheme_count(counted)


class MastodonAdapter(Adapter):
    kind = "mastodon"
    deduplicates = True  # Idempotency-Key

    platform = "Mastodon"

    @property
    def instance(self) -> str:
        return str(self.channel.settings.get("url", "")).rstrip("/")

    @property
    def max_characters(self) -> int:
        return int(self.channel.settings.get("max_characters") or DEFAULT_MAX_CHARACTERS)

    @property
    def url_length(self) -> int:
        return int(self.channel.settings.get("characters_reserved_per_url") or DEFAULT_URL_LENGTH)

    def _headers(self, idempotency_key: str = "") -> dict:
        token = self.channel.credentials.get("token", "")
        if not token:
            raise AdapterError("The Mastodon channel has no access token.", permanent=True)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    def validate(self, post: Post) -> list[str]:
        problems = []
        if not self.instance.startswith(("https://", "http://")):
            problems.append("The Mastodon channel has no instance URL.")
        visibility = self.channel.settings.get("visibility")
        if visibility and visibility not in VISIBILITIES:
            problems.append(f"Unknown Mastodon visibility {visibility!r}.")
        if not post.text.strip():
            problems.append("There is no text to send.")
        else:
            length = status_length(post.text, self.url_length)
            if length > self.max_characters:
                problems.append(
                    f"The text is {length} characters on Mastodon (links count {self.url_length}); "
                    f"the limit is {self.max_characters}."
                )
        return problems

    def publish(self, post: Post) -> PublishResult:
        payload = {"status": post.text, "visibility": self.channel.settings.get("visibility") or "public"}
        if self.channel.settings.get("language"):
            payload["language"] = self.channel.settings["language"]
        response = call(
            "POST",
            f"{self.instance}/api/v1/statuses",
            platform=self.platform,
            json=payload,
            headers=self._headers(post.idempotency_key),
        )
        try:
            status = response.json()
        except ValueError:
            raise AdapterError("Mastodon answered 200 without a status.", ambiguous=True) from None
        if not isinstance(status, dict) or not status.get("id"):
            raise AdapterError("Mastodon answered 200 without a status id.", ambiguous=True)
        return PublishResult(post_id=str(status["id"]), url=str(status.get("url") or status.get("uri") or ""))

    def test_connection(self) -> str:
        url = f"{self.instance}/api/v1/accounts/verify_credentials"
        response = call("GET", url, platform=self.platform, headers=self._headers())
        try:
            account = response.json().get("acct", "")
        except (ValueError, AttributeError):
            account = ""
        return f"Mastodon at {self.instance} accepted the token" + (f" of @{account}." if account else ".")
