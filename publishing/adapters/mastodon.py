"""Mastodon: `POST {instance}/api/v1/statuses` with a Bearer token (scope `write:statuses`).

Settings: {"url": "https://instance.example", "visibility": "public|unlisted|private|direct" (optional),
"language": "en" (optional), "max_characters": 500 and "characters_reserved_per_url": 23, "max_media_attachments": 4,
"image_size_limit": 16777216 and "description_limit": 1500 (optional: the instance's figures from
GET /api/v2/instance, `configuration.statuses` and `configuration.media_attachments`)}.
Credentials: {"token": "..."} (scopes `write:statuses` and `write:media`; `read:statuses` to check a post).

Every attempt of one publication sends the same `Idempotency-Key`; Mastodon answers a repeat (same account,
same key, within about an hour) with the original status, so a resend after a timeout cannot double-post.
The length is counted as Mastodon does: grapheme clusters, every URL as 23, a remote mention `@user@domain`
as `@user`. Rate limits: 429 with `X-RateLimit-Reset` (ISO 8601) becomes the retry delay.

Images: each is uploaded first with `POST /api/v2/media` (multipart `file` + `description`, the alt text),
re-encoded when it is over the instance's image size limit. 200 means processed; 202 means still processing,
so the adapter polls `GET /api/v1/media/:id` (206 while processing, 200 when done) a few times with short
sleeps, then gives up with a temporary error. Only then is the status created with `media_ids`. A failed
upload therefore never leaves a status behind, and a retry uploads again: an upload no status refers to is
harmless (Mastodon deletes unattached media). A resend of the status after a timeout carries new media ids
but the same Idempotency-Key, and Mastodon answers it with the original status.

Checking a post (fetch): `GET /api/v1/statuses/:id` answers 200 with the status while it exists and 404 once
it is deleted. A token without a read scope gets 403 ("outside the authorized scopes"); a public status is then
read without the token.
"""

import time
from urllib.parse import quote

import regex

from publishing.adapters.base import (
    Adapter,
    AdapterError,
    ConfigField,
    Post,
    PostStatus,
    PublishResult,
    call,
    error_from_response,
    grapheme_count,
    send,
)
from publishing.adapters.images import alt_text_problems, fit_image, image_count_problems, uploading_media

DEFAULT_MAX_CHARACTERS = 500
DEFAULT_URL_LENGTH = 23
DEFAULT_MAX_MEDIA = 4
DEFAULT_IMAGE_SIZE_LIMIT = 16 * 1024 * 1024  # configuration.media_attachments.image_size_limit
DEFAULT_DESCRIPTION_LIMIT = 1500
# Seconds to wait before each poll of an image Mastodon is still processing (202); then a temporary error.
MEDIA_POLL_DELAYS = (0.5, 1.0, 1.5, 2.0)
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


def _json(response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


class MastodonAdapter(Adapter):
    kind = "mastodon"
    deduplicates = True  # Idempotency-Key
    deduplication_window = 3600  # Mastodon keeps a key for about an hour

    platform = "Mastodon"

    settings_fields = (
        ConfigField(
            "url", "The instance's address, e.g. https://mastodon.social.", required=True, type="url", locates=True
        ),
        ConfigField(
            "visibility",
            "public (the default), unlisted, private or direct.",
            type="choice",
            choices=("public", "unlisted", "private", "direct"),
        ),
        ConfigField("language", "ISO 639 code of the posts' language, e.g. en."),
        ConfigField(
            "max_characters",
            "The instance's status length (default 500): configuration.statuses.max_characters "
            "of GET /api/v2/instance.",
            type="integer",
        ),
        ConfigField(
            "characters_reserved_per_url",
            "What a link counts (default 23): configuration.statuses.characters_reserved_per_url.",
            type="integer",
        ),
        ConfigField(
            "max_media_attachments",
            "Images per status (default 4): configuration.statuses.max_media_attachments.",
            type="integer",
        ),
        ConfigField(
            "image_size_limit",
            "Largest image in bytes (default 16777216): configuration.media_attachments.image_size_limit.",
            type="integer",
        ),
        ConfigField(
            "description_limit",
            "Longest alt text (default 1500): configuration.media_attachments.description_limit.",
            type="integer",
        ),
    )
    credential_fields = (
        ConfigField(
            "token",
            "An access token with the scopes write:statuses, write:media and read:statuses: on the instance, "
            "Preferences > Development > New application, then copy 'Your access token'.",
            required=True,
        ),
    )

    @property
    def instance(self) -> str:
        return str(self.channel.settings.get("url", "")).rstrip("/")

    @property
    def max_characters(self) -> int:
        return int(self.channel.settings.get("max_characters") or DEFAULT_MAX_CHARACTERS)

    @property
    def url_length(self) -> int:
        return int(self.channel.settings.get("characters_reserved_per_url") or DEFAULT_URL_LENGTH)

    def _setting(self, name: str, default: int) -> int:
        return int(self.channel.settings.get(name) or default)

    def _headers(self, idempotency_key: str = "") -> dict:
        token = self.channel.credentials.get("token", "")
        if not token:
            raise AdapterError("The Mastodon channel has no access token.", permanent=True)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    def text_length(self, post: Post) -> int:
        return status_length(post.text, self.url_length)

    def text_limit(self) -> int:
        return self.max_characters

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
            length = self.text_length(post)
            if length > self.max_characters:
                problems.append(
                    f"The text is {length} characters on Mastodon (links count {self.url_length}); "
                    f"the limit is {self.max_characters}."
                )
        problems += image_count_problems(
            post, maximum=self._setting("max_media_attachments", DEFAULT_MAX_MEDIA), platform=self.platform
        )
        problems += alt_text_problems(
            post,
            limit=self._setting("description_limit", DEFAULT_DESCRIPTION_LIMIT),
            platform=self.platform,
            name="description (alt text)",
        )
        return problems

    # --- Media ----------------------------------------------------------------------------------------

    def _upload(self, image) -> str:
        """Upload one image and wait until Mastodon has processed it; its media id."""
        upload = fit_image(
            image, max_bytes=self._setting("image_size_limit", DEFAULT_IMAGE_SIZE_LIMIT), platform=self.platform
        )
        response = call(
            "POST",
            f"{self.instance}/api/v2/media",
            platform=self.platform,
            files={"file": (upload.filename, upload.data, upload.content_type)},
            data={"description": upload.alt_text} if upload.alt_text else {},
            headers=self._headers(),
        )
        media_id = str(_json(response).get("id") or "")
        if not media_id:
            raise AdapterError(f"Mastodon answered {response.status_code} to an image upload without a media id.")
        if response.status_code == 200:
            return media_id
        for delay in MEDIA_POLL_DELAYS:  # 202: processing in the background
            time.sleep(delay)
            polled = call(
                "GET", f"{self.instance}/api/v1/media/{media_id}", platform=self.platform, headers=self._headers()
            )
            if polled.status_code == 200:
                return media_id
        raise AdapterError("Mastodon is still processing an image; trying again later.")

    def _upload_images(self, post: Post) -> list[str]:
        with uploading_media(self.platform):
            return [self._upload(image) for image in post.images]

    def publish(self, post: Post) -> PublishResult:
        # Uploads first: if one fails, no status exists yet, so the retry cannot double-post.
        media_ids = self._upload_images(post)
        payload = {"status": post.text, "visibility": self.channel.settings.get("visibility") or "public"}
        if media_ids:
            payload["media_ids"] = media_ids
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

    def fetch(self, post_id: str) -> PostStatus:
        """GET /api/v1/statuses/:id: 200 is the status (live), 404 means it was deleted (or is hidden from us)."""
        url = f"{self.instance}/api/v1/statuses/{quote(str(post_id), safe='')}"
        response = send("GET", url, platform=self.platform, headers=self._headers())
        if response.status_code == 403:
            # A token with write scopes only: a public status can be read without it.
            response = send("GET", url, platform=self.platform, headers={"Accept": "application/json"})
        if response.status_code == 404:
            return PostStatus(live=False, detail="Deleted on Mastodon.")
        if response.status_code >= 400:
            raise error_from_response(response, self.platform)
        status = _json(response)
        if not status.get("id"):
            raise AdapterError(f"Mastodon answered {response.status_code} without a status.")
        return PostStatus(live=True, url=str(status.get("url") or status.get("uri") or ""), detail="Live on Mastodon.")

    def test_connection(self) -> str:
        url = f"{self.instance}/api/v1/accounts/verify_credentials"
        response = call("GET", url, platform=self.platform, headers=self._headers())
        try:
            account = response.json().get("acct", "")
        except (ValueError, AttributeError):
            account = ""
        return f"Mastodon at {self.instance} accepted the token" + (f" of @{account}." if account else ".")
