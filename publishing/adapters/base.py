from dataclasses import dataclass, field

import httpx
from django.conf import settings


@dataclass(frozen=True)
class Post:
    """What a channel receives: the draft's text for that channel, and what identifies the attempt."""

    draft_id: int
    title: str
    text: str
    tags: list[str]
    idempotency_key: str
    board: str
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PublishResult:
    post_id: str = ""
    url: str = ""


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


class Adapter:
    """The interface every platform implements."""

    kind: str = ""
    # True where a resend after an ambiguous failure cannot double-post (the platform deduplicates).
    deduplicates: bool = False

    def __init__(self, channel):
        self.channel = channel

    def validate(self, post: Post) -> list[str]:
        """Problems that would make the platform reject the post (empty when fine)."""
        return []

    def publish(self, post: Post) -> PublishResult:
        raise NotImplementedError

    def test_connection(self) -> str:
        """A short description of what was checked; raises AdapterError when it does not work."""
        raise NotImplementedError


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
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def call(method: str, url: str, *, platform: str, **kwargs) -> httpx.Response:
    """One HTTP call with timeouts; network failures become AdapterErrors (ambiguous once the request was sent)."""
    try:
        timeout = httpx.Timeout(settings.PUBLISHING_HTTP_TIMEOUT, connect=min(5.0, settings.PUBLISHING_HTTP_TIMEOUT))
        response = httpx.request(method, url, timeout=timeout, **kwargs)
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise AdapterError(f"Could not reach {platform}: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise AdapterError(f"{platform} did not answer in time", ambiguous=True) from exc
    except httpx.HTTPError as exc:
        raise AdapterError(f"{platform}: {exc}", ambiguous=True) from exc
    if response.status_code >= 400:
        raise error_from_response(response, platform)
    return response
