"""Where a notification may send its reader: only to a page of this site.

A notification's `url` is written by our own code, but it is stored text: if a bug or a hand-edited row ever
held `https://evil.example/` or `//evil.example`, following it from the centre would make Cocreate an open
redirect. Every way out of the centre goes through safe_path()."""

from urllib.parse import urlsplit

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

MAX_PATH_LENGTH = 500


def safe_path(url: str | None) -> str:
    """`url` when it is a path on this site (`/drafts/12/#comment-3`), else the notification centre."""
    fallback = reverse("notification-centre")
    if not url or len(url) > MAX_PATH_LENGTH or not url.startswith("/") or url.startswith(("//", "/\\")):
        return fallback
    if any(ord(ch) < 0x21 or ch == "\\" for ch in url):  # control characters, spaces, backslash tricks
        return fallback
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return fallback
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return fallback
    return url
