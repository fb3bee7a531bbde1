import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from django.conf import settings

from publishing.adapters.credentials import CredentialStore, MemoryCredentials
from publishing.egress import AddressRefused, guarded_transport


@dataclass(frozen=True)
class PostImage:
    """A picture of the post, as stored (JPEG or PNG, metadata stripped). read() returns its bytes."""

    name: str  # the storage name
    content_type: str
    alt_text: str
    width: int
    height: int
    size: int
    sha256: str

    @property
    def filename(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    def read(self) -> bytes:
        from django.core.files.storage import default_storage

        with default_storage.open(self.name, "rb") as handle:
            return handle.read()


@dataclass(frozen=True)
class Post:
    """What a channel receives, rendered for its platform (publishing.rendering): adapters send `text`
    (and `html` where the platform takes HTML) as they are, and never read Markdown."""

    draft_id: int
    title: str
    text: str
    tags: list[str]
    idempotency_key: str
    board: str
    # Platform extras of the rendering (Bluesky's facets).
    extra: dict = field(default_factory=dict)
    images: tuple[PostImage, ...] = ()
    # An earlier attempt of this publication was made (the post may be live): see is_resend.
    resend: bool = False
    # What earlier attempts logged, oldest first (the e-mail adapter reads which recipients got it).
    earlier_messages: tuple[str, ...] = ()
    # When the publication was created (stable across attempts), None outside a publication.
    created_at: datetime | None = None
    # The sanitised HTML, for platforms that take HTML (WordPress, e-mail, the webhook's payload), else "".
    html: str = ""

    @property
    def fingerprint(self) -> str:
        """SHA-256 of what readers will see, as rendered for the platform (title, text, HTML, facets, tags,
        each image and its alt text), not of how it is sent: taken when the draft is scheduled, so a change
        made afterwards, to the draft or to the rendering, is noticed."""
        content: dict[str, object] = {
            "title": self.title,
            "text": self.text,
            "tags": list(self.tags),
            "images": [[image.sha256, image.alt_text] for image in self.images],
        }
        # Only when present, so a post without them keeps the fingerprint it had before they existed.
        if self.html:
            content["html"] = self.html
        if self.extra:
            content["extra"] = self.extra
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class PublishResult:
    post_id: str = ""
    url: str = ""


@dataclass(frozen=True)
class PostStatus:
    """What the platform says about a published post now.

    live: it is there (published, or waiting for its scheduled time on the platform's side);
    False when the platform answers that it is gone (deleted by someone, removed by moderation).
    """

    live: bool
    url: str = ""
    detail: str = ""


class AdapterError(Exception):
    """A platform call that did not publish.

    permanent: retrying cannot help (bad credentials, content rejected): fail now with the platform's message.
    ambiguous: the request may have reached the platform (a timeout after sending); resending is safe only
        where the platform deduplicates (idempotency keys) or the adapter can look the post up.
    retry_after: seconds the platform asked us to wait (Retry-After, rate-limit reset headers).
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        ambiguous: bool = False,
        retry_after: float | None = None,
        status_code: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.ambiguous = ambiguous
        self.retry_after = retry_after
        self.status_code = status_code


@dataclass(frozen=True)
class ConfigField:
    """One key of a channel's settings or credentials: the one definition the channel forms, the API, the
    admin and channel_update read (publishing/kinds.py judges values by it).

    type: text, url (an address the server connects to: https only in production), link (an http(s) link
        put in posts), host (a host name), integer, number, boolean, choice (one of `choices`), list (of
        text), integers or emails (lists).
    locates: where the channel points (its host, API address, port): changing it clears the stored
        credentials unless new ones come with the change, so they never go to a host they were not for.
    """

    name: str
    help: str
    required: bool = False
    type: str = "text"
    choices: tuple[str, ...] = ()
    locates: bool = False


class Adapter:
    """The interface every platform implements."""

    kind: str = ""
    # True where a resend after an ambiguous failure cannot double-post (the platform deduplicates).
    deduplicates: bool = False
    # How long the platform remembers a request for that (seconds; None: for good, e.g. a lookup first).
    deduplication_window: float | None = None
    # What a manager fills in: channel_create refuses a channel that lacks a required key.
    settings_fields: tuple[ConfigField, ...] = ()
    credential_fields: tuple[ConfigField, ...] = ()

    def __init__(self, channel, credential_store: CredentialStore | None = None):
        self.channel = channel
        # Where refreshed tokens and sessions go: publishing.services passes a store that writes them to the
        # channel's row; without one they last as long as this adapter.
        self.credential_store = credential_store or MemoryCredentials(channel)

    def stored_credentials(self) -> dict:
        """The channel's credentials as stored now (another worker may have refreshed them): this adapter's
        from now on."""
        self.channel.credentials = self.credential_store.current()
        return self.channel.credentials

    def keep_credentials(self, *, based_on: dict, changes: dict) -> dict:
        """Hand back what a refresh made from `based_on` changed, to be stored; the credentials as they stand
        afterwards are this adapter's from now on."""
        self.channel.credentials = self.credential_store.save(based_on=based_on, changes=changes)
        return self.channel.credentials

    def validate(self, post: Post) -> list[str]:
        """Problems that would make the platform reject the post (empty when fine)."""
        return []

    def text_length(self, post: Post) -> int:
        """The post's length as the platform counts it (validate() and the previews both use this)."""
        return len(post.text)

    def text_limit(self) -> int | None:
        """The most the platform takes by text_length(); None where it sets no practical limit."""
        return None

    def length_problems(self, post: Post, *, what: str = "posts", note: str = "") -> list[str]:
        """ "{Platform} {what} are at most N characters; this one has M." when over text_limit()."""
        limit, length = self.text_limit(), self.text_length(post)
        if limit is None or length <= limit:
            return []
        return [f"{self.platform_name} {what} are at most {limit:,} characters{note}; this one has {length:,}."]

    @property
    def platform_name(self) -> str:
        return str(getattr(self, "platform", "") or self.kind.title())

    def publish(self, post: Post) -> PublishResult:
        raise NotImplementedError

    def test_connection(self) -> str:
        """A short description of what was checked; raises AdapterError when it does not work."""
        raise NotImplementedError

    def fetch(self, post_id: str) -> PostStatus:
        """The published post's status and URL, where the platform lets us read it back (see can_fetch)."""
        raise NotImplementedError

    @classmethod
    def can_fetch(cls) -> bool:
        return cls.fetch is not Adapter.fetch


def error_from_response(response: httpx.Response, platform: str) -> AdapterError:
    """Classify an HTTP error answer: 429 and 5xx are temporary, other 4xx permanent."""
    retry_after = _retry_after(response)
    text = response.text[:300].strip()
    message = f"{platform} answered {response.status_code}" + (f": {text}" if text else "")
    transient = response.status_code == 429 or response.status_code >= 500
    return AdapterError(message, permanent=not transient, retry_after=retry_after, status_code=response.status_code)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        if response.status_code == 429:
            return rate_limit_reset_seconds(response.headers)
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


RATE_LIMIT_RESET_HEADERS = ("X-RateLimit-Reset", "RateLimit-Reset", "X-Rate-Limit-Reset")


def rate_limit_reset_seconds(headers, now: float | None = None) -> float | None:
    """Seconds until a rate-limit window resets, from the first reset header present.

    Accepts an ISO-8601 timestamp (Mastodon), Unix epoch seconds (Bluesky, X) or, for small numbers,
    seconds from now (the IETF RateLimit draft). None when there is no readable header.
    """
    now = time.time() if now is None else now
    for name in RATE_LIMIT_RESET_HEADERS:
        value = (headers.get(name) or "").strip()
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return max(0.0, moment.timestamp() - now)
        return max(0.0, number - now) if number > 1_000_000_000 else max(0.0, number)
    return None


def grapheme_count(text: str) -> int:
    """User-perceived characters (extended grapheme clusters), as Mastodon and Bluesky count them."""
    import regex

    return len(regex.findall(r"\X", text))


_client: httpx.Client | None = None
_client_pid: int | None = None


def http_client() -> httpx.Client:
    """One pooled client per process: building one loads the CA bundle (hundreds of milliseconds), and
    reused connections save a handshake per post. A forked worker must not share its parent's sockets."""
    global _client, _client_pid
    if _client is None or _client_pid != os.getpid():
        # Redirects are not followed (an answer that moves is an error to read), and every connection,
        # to the channel's host or any URL a platform hands back, goes through the address check.
        _client = httpx.Client(transport=guarded_transport(), follow_redirects=False)
        _client_pid = os.getpid()
    return _client


def send(method: str, url: str, *, platform: str, **kwargs) -> httpx.Response:
    """One HTTP call with timeouts, handing back every answer (errors too) for adapters that read error
    bodies; network failures become AdapterErrors (ambiguous once the request may have been sent)."""
    timeout = httpx.Timeout(settings.PUBLISHING_HTTP_TIMEOUT, connect=min(5.0, settings.PUBLISHING_HTTP_TIMEOUT))
    try:
        return http_client().request(method, url, timeout=timeout, **kwargs)
    except AddressRefused as exc:
        raise AdapterError(f"{platform}: {exc}", permanent=True) from exc
    except httpx.UnsupportedProtocol as exc:
        raise AdapterError(f"{platform}: {exc} (only http and https addresses work)", permanent=True) from exc
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise AdapterError(f"Could not reach {platform}: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise AdapterError(f"{platform} did not answer in time", ambiguous=True) from exc
    except httpx.HTTPError as exc:
        raise AdapterError(f"{platform}: {exc}", ambiguous=True) from exc


def call(method: str, url: str, *, platform: str, **kwargs) -> httpx.Response:
    """Like send(), but an HTTP error answer raises: 429 and 5xx as temporary, other 4xx as permanent."""
    response = send(method, url, platform=platform, **kwargs)
    if response.status_code >= 400:
        raise error_from_response(response, platform)
    return response


def is_resend(post: Post) -> bool:
    """True when an earlier attempt of this publication was made: the post may already be live, so an
    adapter without platform-side deduplication looks it up before sending again. The pipeline works it
    out when it builds the post (publishing.services.post_for); adapters do not read the database."""
    return post.resend
