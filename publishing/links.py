"""Links to published posts: whatever a platform answers, only an http(s) URL is kept or shown as a link
(a `javascript:` or `data:` URL in an href would run in the reader's browser)."""

from urllib.parse import urlsplit

MAX_LENGTH = 500  # Publication.platform_url


def http_url(value) -> str:
    """value when it is an absolute http or https URL that fits the column, else ""."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if len(value) > MAX_LENGTH or any(ord(char) < 33 for char in value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    return value if parts.scheme.lower() in ("http", "https") and parts.hostname else ""
