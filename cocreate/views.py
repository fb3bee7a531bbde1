"""Helpers shared by the web views: one translation of service errors into messages and status codes."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from cocreate.errors import Conflict


class ServiceRefused(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


@contextmanager
def report_service_errors(request):
    """Turn a refused service call into a flash message and a status code the view can render with.

    Http404 passes through untouched: a user must not learn that an invisible object exists.
    """
    try:
        yield
    except ValidationError as exc:
        for message in _messages(exc):
            messages.error(request, message)
        raise ServiceRefused(400) from exc
    except Conflict as exc:
        messages.error(request, exc.message)
        raise ServiceRefused(409) from exc
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "You are not allowed to do that.")
        raise ServiceRefused(403) from exc


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {m}" if field != "__all__" else m for field, msgs in exc.message_dict.items() for m in msgs]
    return list(exc.messages)
