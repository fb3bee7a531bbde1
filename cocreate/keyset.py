"""Keyset pagination: a page of a list ordered by (key, id), found from the row next to it rather than by
OFFSET, so page 2,000 costs what page 1 costs and no COUNT of the whole history is taken.

A cursor is the (key, id) of the row a page starts after: `?after=` walks further along the order (older
rows in a newest-first list), `?before=` walks back. Cursors are opaque in links but not secret: a made-up
one only moves the position; the caller's queryset still decides what may be seen.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet

BROKEN_CURSOR = "That page link is broken or out of date. Start again from the first page."


@dataclass
class KeysetPage:
    rows: list
    after: str | None  # cursor of the page further along the order, None at its end
    before: str | None  # cursor of the page back towards its start, None on the first page

    @property
    def has_other_pages(self) -> bool:
        return bool(self.after or self.before)

    @property
    def object_list(self) -> list:  # as a Django Page has, for templates that work with either
        return self.rows

    def __iter__(self):
        return iter(self.rows)


def encode_cursor(key, pk: int) -> str:
    value = key.isoformat() if isinstance(key, datetime) else key
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, key_is_time: bool) -> tuple:
    """(key, id) from a cursor; a ValidationError naming the problem for anything else."""
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk < 2**63:
            raise ValueError
        if key_is_time:
            value = datetime.fromisoformat(value)
            if value.tzinfo is None:
                raise ValueError
        elif not isinstance(value, str):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(BROKEN_CURSOR, code="cursor") from None
    return value, pk


def keyset_page(
    queryset: QuerySet,
    *,
    key: str,
    descending: bool,
    size: int,
    after: str | None = None,
    before: str | None = None,
    key_is_time: bool = False,
    split_field: str = "",
    split_values: list | None = None,
) -> KeysetPage:
    """One page of `queryset` in (key, id) order, read in one query of at most `size + 1` rows.

    split_field / split_values: the rows are those of several index ranges (e.g. one per channel, each with
    its own (channel, key, id) index): on PostgreSQL each range is read for at most a page in a UNION ALL
    subquery, so the cost is bounded by the page, never by the history behind it. SQLite cannot slice
    inside a compound query; there (the embedded demo) the ranges are read as one."""
    backwards = before is not None and after is None
    cursor = decode_cursor(before if backwards else after, key_is_time=key_is_time) if (after or before) else None
    # Walking back reads the rows just before the cursor in reverse order, then turns them round.
    reverse = descending != backwards
    sign = "-" if reverse else ""
    order = (f"{sign}{key}", f"{sign}pk")
    if cursor is not None:
        past = "lt" if reverse else "gt"
        queryset = queryset.filter(Q(**{f"{key}__{past}": cursor[0]}) | Q(**{key: cursor[0], f"pk__{past}": cursor[1]}))
    if split_values and len(split_values) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # Each range on its own (an equality only, so the planner picks the index that starts with it).
        ranges = [
            queryset.filter(**{split_field: value}).order_by(*order).values_list("pk", flat=True)[: size + 1]
            for value in split_values
        ]
        queryset = queryset.filter(pk__in=ranges[0].union(*ranges[1:], all=True))
    elif split_values is not None:
        queryset = queryset.filter(**{f"{split_field}__in": split_values})
    rows = list(queryset.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    if not rows:
        return KeysetPage(rows=[], after=None, before=None)
    first, last = rows[0], rows[-1]
    further = more if not backwards else True
    back = more if backwards else cursor is not None
    return KeysetPage(
        rows=rows,
        after=encode_cursor(getattr(last, key), last.pk) if further else None,
        before=encode_cursor(getattr(first, key), first.pk) if back else None,
    )
