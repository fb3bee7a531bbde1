"""Reads for notifications."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, Q, QuerySet, Subquery
from django.db.models.query import EmptyQuerySet as EmptyQS
from django.http import Http404

from cocreate.ids import MAX_ID
from cocreate.keyset import BROKEN_CURSOR, KeysetPage
from contributors.agreements.gate import is_gated
from contributors.agreements.models import AgreementRequirement
from contributors.models import Board, BoardUserObjectPermission
from contributors.notifications.kinds import DEFAULTS, Kind
from contributors.notifications.models import DigestSchedule, Notification, NotificationPreference
from contributors.roles import REVIEW, VIEW
from contributors.selectors import board_ids_with_perm
from drafts.models import Draft


@dataclass(frozen=True)
class Choice:
    kind: str
    delivery: str
    timing: str
    is_default: bool


def preferences_for(user_ids: list[int], kind: str) -> dict[int, Choice]:
    """Each person's choice for `kind` (their own, else the default), in one query for all of them."""
    default = DEFAULTS[kind]
    chosen = {
        user_id: Choice(kind, delivery, timing, False)
        for user_id, delivery, timing in NotificationPreference.objects.filter(
            user_id__in=user_ids, kind=kind
        ).values_list("user_id", "delivery", "timing")
    }
    return {pk: chosen.get(pk) or Choice(kind, default.delivery, default.timing, True) for pk in user_ids}


def preferences_table(user) -> list[Choice]:
    """Every kind with the person's choice for it, in the order the kinds are declared."""
    chosen = {
        kind: (delivery, timing)
        for kind, delivery, timing in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "delivery", "timing"
        )
    }
    table = []
    for kind in Kind:
        if kind in chosen:
            table.append(Choice(kind, *chosen[kind], False))
        else:
            table.append(Choice(kind, DEFAULTS[kind].delivery, DEFAULTS[kind].timing, True))
    return table


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, in_app=True, read_at=None).count()


# --- The notification centre, the bell, preferences and @mentions (pages and API) ------------------------------

INBOX_PAGE_SIZE = 20
BELL_LATEST = 5
# The bell counts up to this many and then says "99+": a count that stops early costs the same however many wait.
BELL_COUNT_CAP = 100
MENTION_LIMIT = 8
DEFAULT_DIGEST_HOUR = 8


def _inbox(user) -> QuerySet[Notification]:
    """The person's own notifications shown in the app; nobody, not even a site admin, sees another's."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, in_app=True)


def _encode_inbox_cursor(row: Notification) -> str:
    raw = json.dumps([row.read_at is None, row.created_at.isoformat(), row.pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_inbox_cursor(cursor: str) -> tuple[bool, datetime, int]:
    try:
        unread, created, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        created = datetime.fromisoformat(created)
        if not isinstance(unread, bool) or created.tzinfo is None:
            raise ValueError
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk <= MAX_ID:
            raise ValueError
    except (ValueError, TypeError, AttributeError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(BROKEN_CURSOR, code="cursor") from None
    return unread, created, pk


def _sort_key(row: Notification) -> tuple:
    # The centre's order: unread first, then newest first within each.
    return (row.read_at is not None, -row.created_at.timestamp(), -row.pk)


def inbox_page(
    user,
    *,
    unread_only: bool = False,
    after: str | None = None,
    before: str | None = None,
    size: int = INBOX_PAGE_SIZE,
) -> KeysetPage:
    """One page of the person's notifications: unread first, then read, each newest first, by keyset.

    One query: the unread and the read rows are two ranges of the (recipient, read_at, -created_at, -id) index,
    each read for at most a page (`pk IN (… ORDER BY … LIMIT n)` twice), merged in that order. A cursor is
    (unread?, created_at, id) of the row next to the page; a made-up one only moves the position."""
    backwards = before is not None and after is None
    cursor = _decode_inbox_cursor(before if backwards else after) if (after or before) else None  # type: ignore[arg-type]
    rows_of = _inbox(user)
    unread, read = rows_of.filter(read_at=None), rows_of.exclude(read_at=None)
    # Walking back reads the rows just before the cursor, in reverse order, then turns them round.
    newest, oldest = ("-created_at", "-pk"), ("created_at", "pk")
    order = oldest if backwards else newest
    if cursor is not None:
        c_unread, c_created, c_pk = cursor
        past = "gt" if backwards else "lt"
        beyond = Q(**{f"created_at__{past}": c_created}) | Q(created_at=c_created, **{f"pk__{past}": c_pk})
        if c_unread:
            unread = unread.filter(beyond)
            read = read.none() if backwards else read
        else:
            read = read.filter(beyond)
            unread = unread if backwards else unread.none()
    if unread_only:
        read = read.none()
    ranges = [qs.order_by(*order).values("pk")[: size + 1] for qs in (unread, read) if not isinstance(qs, EmptyQS)]
    if not ranges:
        return KeysetPage(rows=[], after=None, before=None)
    chosen = Q(pk__in=ranges[0])
    for more_range in ranges[1:]:
        chosen |= Q(pk__in=more_range)
    found = list(Notification.objects.filter(chosen).select_related("actor", "board"))
    found.sort(key=_sort_key, reverse=backwards)
    more = len(found) > size
    rows = found[:size]
    if backwards:
        rows.reverse()
    if not rows:
        return KeysetPage(rows=[], after=None, before=None)
    further = more if not backwards else True
    back = more if backwards else cursor is not None
    return KeysetPage(
        rows=rows,
        after=_encode_inbox_cursor(rows[-1]) if further else None,
        before=_encode_inbox_cursor(rows[0]) if back else None,
    )


def latest_unread(user, *, limit: int = BELL_LATEST) -> list[Notification]:
    """The bell's panel: the newest unread notifications (one query)."""
    return list(
        _inbox(user).filter(read_at=None).select_related("actor", "board").order_by("-created_at", "-pk")[:limit]
    )


def unread_count_capped(user, *, cap: int = BELL_COUNT_CAP) -> int:
    """The bell's number, counted up to `cap` (one query: COUNT over at most `cap` index entries)."""
    return _inbox(user).filter(read_at=None).order_by()[:cap].count()


def unread_count_subquery(user_ref) -> Subquery:
    """The unread count as a subquery of a query on users (the app bar reads it with the account's row)."""
    counted = (
        Notification.objects.filter(recipient=user_ref, in_app=True, read_at=None)
        .order_by()
        .values("recipient")
        .annotate(unread=Count("pk"))
        .values("unread")
    )
    return Subquery(counted, output_field=IntegerField())


def notification_get_for_user(user, notification_id: int) -> Notification:
    """One of the person's own notifications, or 404 (another person's does not exist for them)."""
    if not 0 < notification_id <= MAX_ID:
        raise Http404("No such notification.")
    notification = _inbox(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


@dataclass(frozen=True)
class DigestSettings:
    hour: int
    time_zone: str
    is_default: bool


def digest_settings_for(user) -> DigestSettings:
    """When the person's daily digest goes out: their DigestSchedule, else 08:00 in their first board's zone."""
    schedule = DigestSchedule.objects.filter(user=user).values_list("hour", "time_zone").first()
    if schedule is not None:
        return DigestSettings(schedule[0], schedule[1], False)
    boards = board_ids_with_perm(user, VIEW)
    zone = Board.objects.filter(pk__in=boards).order_by("pk").values_list("time_zone", flat=True).first()
    return DigestSettings(DEFAULT_DIGEST_HOUR, zone or "UTC", True)


@dataclass(frozen=True)
class MentionCandidate:
    username: str
    display_name: str


def mention_candidates(draft: Draft, query: str, *, writer=None, limit: int = MENTION_LIMIT) -> list[MentionCandidate]:
    """Who an @mention on `draft` may name: the people who may see it (the board's reviewers and managers, the
    draft's author and co-authors), active and not kept off the board by an unsigned agreement, whose username
    or display name starts with `query` (a word of the display name too). At most `limit`, by username; never
    the `writer` themselves."""
    query = query.strip().lstrip("@")[:150]
    reviewers = BoardUserObjectPermission.objects.filter(
        content_object_id=draft.board_id, permission__codename=REVIEW
    ).values("user_id")
    coauthors = Draft.coauthors.through.objects.filter(draft_id=draft.pk).values("user_id")
    people = get_user_model().objects.filter(
        Q(pk__in=reviewers) | Q(pk__in=coauthors) | Q(pk=draft.author_id), is_active=True
    )
    if writer is not None:
        people = people.exclude(pk=writer.pk)
    if query:
        people = people.filter(
            Q(username__istartswith=query) | Q(display_name__istartswith=query) | Q(display_name__icontains=f" {query}")
        )
    chosen: list[MentionCandidate] = []
    board = draft.board
    # Only a board that requires an agreement can keep a member off: else one query in all.
    may_gate = AgreementRequirement.objects.filter(board_id=board.pk).exists()
    for person in people.order_by("username")[: limit * 3]:
        if may_gate and is_gated(person, board):
            continue
        chosen.append(MentionCandidate(person.username, person.display_name))
        if len(chosen) == limit:
            break
    return chosen
