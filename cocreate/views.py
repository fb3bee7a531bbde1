"""Helpers shared by the web views: service errors as flash messages, with the status cocreate.errors'
table gives them, for a view that shows its form again."""

from contextlib import contextmanager

from django.contrib import messages
from django.http import Http404

from cocreate.errors import refusal_for


class ServiceRefused(Exception):
    def __init__(self, status: int, field_errors: dict | None = None) -> None:
        self.status = status
        self.field_errors = field_errors or {}  # {field: [messages]} of a refused ValidationError


@contextmanager
def report_service_errors(request):
    """Turn a refused service call into a flash message and a status code the view can render with.

    Http404 passes through untouched: a user must not learn that an invisible object exists.
    """
    try:
        yield
    except Http404:
        raise
    except Exception as exc:
        refusal = refusal_for(exc)
        if refusal is None:
            raise
        for message in refusal.messages or ["You are not allowed to do that."]:
            messages.error(request, message)
        raise ServiceRefused(refusal.status, refusal.field_errors) from exc
