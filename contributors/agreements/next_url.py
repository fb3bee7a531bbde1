"""Where a person goes after signing: the page the gate turned them away from, if it is ours."""

from urllib.parse import urlencode, urlsplit

from django.utils.http import url_has_allowed_host_and_scheme

NEXT = "next"
MAX_NEXT_LENGTH = 2000


def safe_next(request, url: str | None) -> str | None:
    """`url` when it is a page of this site (a path, or an absolute URL on this host), else None.

    Anything else (another host, `//evil.example`, `javascript:`, a backslash trick) is dropped: the
    address comes from the query string, so it must not make the sign-in flow an open redirect.
    """
    if not url or len(url) > MAX_NEXT_LENGTH:
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return None
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({NEXT: next_url})}" if next_url else url


def next_from(request) -> str | None:
    """The safe `next` of a request, from the form or the query string."""
    return safe_next(request, request.POST.get(NEXT) or request.GET.get(NEXT))
