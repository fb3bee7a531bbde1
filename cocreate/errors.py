"""Errors that services raise, and the one table that every interface (pages, API, admin) reads to turn
them, and Django's own, into an HTTP status and a message.

Services raise Django's ValidationError (400) and PermissionDenied (403), Http404 (404), and the errors
below. cocreate.api.exception_handler answers them as JSON; cocreate.error_pages.ServiceErrorMiddleware
renders templates/error.html with the same status and message; cocreate.views.report_service_errors
turns them into flash messages for a form that is shown again.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


class ServiceError(Exception):
    """A refusal with a message meant for the person who asked; `status` is its HTTP status."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Conflict(ServiceError):
    """The request was valid but lost a race or no longer fits the object's state (HTTP 409)."""

    status = 409


class RateLimited(ServiceError):
    """Too many of these requests lately; `retry_after` says in how many seconds to try again (HTTP 429)."""

    status = 429

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# The table: the first row whose class the error is an instance of gives its status.
STATUS_BY_ERROR: tuple[tuple[type[Exception], int], ...] = (
    (ValidationError, 400),
    (PermissionDenied, 403),
    (Http404, 404),
    (Conflict, Conflict.status),
    (RateLimited, RateLimited.status),
    (ServiceError, ServiceError.status),
)


@dataclass(frozen=True)
class Refusal:
    """What an interface answers for a service error."""

    status: int
    messages: list[str]
    # A ValidationError about named fields keeps them apart ({"title": [...]}); "__all__" is the form's.
    field_errors: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return " ".join(self.messages)


def status_for(exc: BaseException) -> int | None:
    """The HTTP status for an error the services raise, None for anything else (a bug: a 500)."""
    return next((status for cls, status in STATUS_BY_ERROR if isinstance(exc, cls)), None)


def refusal_for(exc: BaseException) -> Refusal | None:
    status = status_for(exc)
    if status is None:
        return None
    headers = {}
    if isinstance(exc, RateLimited) and exc.retry_after is not None:
        headers["Retry-After"] = str(max(1, int(exc.retry_after)))
    if isinstance(exc, ValidationError):
        field_errors = dict(exc.message_dict) if hasattr(exc, "error_dict") else {}
        messages = [
            message if name == "__all__" else f"{name}: {message}"
            for name, errors in field_errors.items()
            for message in errors
        ] or list(exc.messages)
        return Refusal(status, messages, field_errors, headers)
    message = exc.message if isinstance(exc, ServiceError) else str(exc)
    return Refusal(status, [message] if message else [], headers=headers)
