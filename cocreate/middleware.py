"""Request body limits, enforced before anything reads the body (CSRF, sessions, forms, DRF parsers).

Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only when a view reads request.body, and never for multipart:
a 300 MB multipart body to /login/ was written to disk before CSRF answered 403. Here every request is
held to a limit: the image and avatar upload endpoints get their file limit plus DATA_UPLOAD_MAX_MEMORY_SIZE
for the other fields and the multipart framing; everything else gets DATA_UPLOAD_MAX_MEMORY_SIZE.
"""

import io

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve


def _draft_image_bytes() -> int:
    from drafts.images import max_bytes

    return max_bytes()


def _avatar_bytes() -> int:
    from contributors.profiles.avatars import max_bytes

    return max_bytes()


# URL name -> the largest file it takes.
UPLOAD_ENDPOINTS = {
    "draft-image-add": _draft_image_bytes,
    "api-draft-images": _draft_image_bytes,
    "profile-edit": _avatar_bytes,
    "api-profile": _avatar_bytes,
}


def body_limit(path_info: str) -> int | None:
    """The most bytes a request body to this path may carry (None: DATA_UPLOAD_MAX_MEMORY_SIZE is None)."""
    base = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if base is None:
        return None
    try:
        name = resolve(path_info).url_name
    except Resolver404:
        return base
    file_limit = UPLOAD_ENDPOINTS.get(name)
    return base + file_limit() if file_limit else base


class RequestBodyLimitMiddleware:
    """413 for a body over the path's limit: on Content-Length before a byte is read; a chunked body
    (no Content-Length) is read up to the limit and refused as soon as it runs past it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request.path_info)
        if limit is None:
            return self.get_response(request)
        declared = request.META.get("CONTENT_LENGTH")
        if declared:
            try:
                length = int(declared)
            except ValueError:
                length = 0  # Django reads no body for a length it cannot parse
            if length > limit:
                return _too_large(request, f"The request body is {length:,} bytes; the limit is {limit:,} bytes.")
        elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            refused = _take_chunked_body(request, limit)
            if refused is not None:
                return refused
        return self.get_response(request)


def _take_chunked_body(request, limit: int) -> HttpResponse | None:
    """Read a body sent without Content-Length, at most `limit` bytes, and hand it to Django as if its
    length had been declared (Django would otherwise read such a body as empty)."""
    if not request.META.get("wsgi.input_terminated"):
        # The server hands over the chunk framing itself (Django's runserver): nothing can read it safely.
        return _answer(request, "Send the request body with a Content-Length header.", status=411)
    stream = request.META["wsgi.input"]
    parts, taken = [], 0
    while taken <= limit:
        part = stream.read(min(64 * 1024, limit + 1 - taken))
        if not part:
            break
        parts.append(part)
        taken += len(part)
    if taken > limit:
        return _too_large(request, f"The request body is over the limit of {limit:,} bytes.")
    body = b"".join(parts)
    request.META["CONTENT_LENGTH"] = str(len(body))
    request._stream = LimitedStream(io.BytesIO(body), len(body))  # what WSGIRequest reads the body from
    return None


def _too_large(request, message: str) -> HttpResponse:
    return _answer(request, message, status=413)


def _answer(request, message: str, *, status: int) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
