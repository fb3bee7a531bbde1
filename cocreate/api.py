"""API plumbing shared by every app: pagination and the translation of service errors to HTTP."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from cocreate.errors import ServiceError, refusal_for
from cocreate.ids import MAX_ID

ID_MESSAGE = f"An id is a whole number from 1 to {MAX_ID}."


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class NameCursorPagination(CursorPagination):
    """Pages by name then id, from the row next to the page (no COUNT, no OFFSET): for lists that grow
    without bound, such as a site admin's boards. `next` and `previous` are the links to follow."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("name", "id")


class LatestDueCursorPagination(NameCursorPagination):
    """The publication log's pages, latest due first, from the row next to the page (no COUNT, no OFFSET):
    a board's history of publications only grows."""

    ordering = ("-due_at", "-id")


def keyset_page_size(request, *, default: int, most: int) -> int:
    """`?page_size=` for a list paged by our own keyset cursors, as DRF's paginations read it: past the most it
    is capped, and anything that is no positive whole number is the default."""
    raw = request.query_params.get("page_size") or ""
    return min(int(raw), most) if raw.isascii() and raw.isdigit() and int(raw) > 0 else default


def keyset_links(request, page) -> tuple[str | None, str | None]:
    """The `next` and `previous` links of a cocreate.keyset page: this request's address and filters, with the
    page's `after` or `before` cursor in place of the one it came with."""

    def link(**cursor) -> str | None:
        if not any(cursor.values()):
            return None
        params = request.query_params.copy()
        params.pop("after", None)
        params.pop("before", None)
        params.update({name: value for name, value in cursor.items() if value})
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return link(after=page.after), link(before=page.before)


class IdField(serializers.IntegerField):
    """A body field holding an object's id."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """A list filter by id: '1.5' or an id past the database's integer range is a 400, not board 1 or a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def query_id(request, name: str) -> int | None:
    """The id in query parameter `name`, None when absent; a 400 naming the parameter when it is no id."""
    value = request.query_params.get(name)
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID)) and 1 <= int(value) <= MAX_ID):
        raise ValidationError({name: [ID_MESSAGE]})
    return int(value)


def exception_handler(exc, context):
    """Service errors get the status cocreate.errors' table gives them (400, 409, 429 with Retry-After...);
    DRF's own (and Django's 403 and 404, which DRF already maps the same way) go to DRF's handler. The
    agreement gate's 403 also says where to sign."""
    from contributors.agreements.gate import AgreementRequired

    if isinstance(exc, AgreementRequired):
        set_rollback()
        return Response(agreement_required_body(exc, context.get("request")), status=403)
    if not isinstance(exc, (DjangoValidationError, ServiceError)):
        return drf_exception_handler(exc, context)
    refusal = refusal_for(exc)
    set_rollback()
    if refusal.field_errors:
        body = refusal.field_errors
    elif isinstance(exc, DjangoValidationError):
        body = {"detail": refusal.messages}
    else:
        body = {"detail": refusal.message}
    return Response(body, status=refusal.status, headers=refusal.headers)


def agreement_required_body(exc, request) -> dict:
    def absolute(url: str) -> str:
        return request.build_absolute_uri(url) if request is not None else url

    return {
        "detail": str(exc),
        "agreement_url": absolute(exc.sign_url),
        "agreements": [
            {
                "id": o.agreement.pk,
                "title": o.agreement.title,
                "version": o.version.number if o.version else None,
                "expired": o.expired,
                "url": absolute(reverse("agreement-detail", args=[o.agreement.pk])),
                "api_url": absolute(reverse("api-agreement-detail", args=[o.agreement.pk])),
            }
            for o in exc.outstanding
        ],
    }
