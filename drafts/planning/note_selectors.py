"""Reads of a board's calendar notes: members read them, reviewers and managers also write them.

Every read goes through the board the person may open now (role and agreement gate), so a note on a
board someone cannot see does not exist for them (404)."""

import zoneinfo
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from contributors.agreements.gate import require_access
from contributors.models import Board
from contributors.permissions import has_board_perm
from contributors.roles import REVIEW
from contributors.selectors import board_get_for_user
from drafts.planning.models import CalendarNote

# The longest window a list may ask for at once, and the most notes it answers: a board's calendar is read
# a month or a year at a time, never its whole history.
NOTE_WINDOW_MAX_DAYS = 400
NOTE_LIST_MAX_ROWS = 500
# Without dates, a list shows the month behind and the year ahead.
NOTE_DEFAULT_BACK_DAYS = 31
NOTE_DEFAULT_AHEAD_DAYS = 365


def notes_board_get(user, *, slug: str | None = None, pk: int | None = None) -> Board:
    """The board, for reading its notes: 404 without a role on it, the agreement gate's 403 while unsigned."""
    board = board_get_for_user(user, slug=slug, pk=pk)
    require_access(user, board)
    return board


def may_edit_notes(user, board: Board) -> bool:
    """Reviewers and managers (and site admins) plan the board's calendar."""
    return has_board_perm(user, board, REVIEW)


def note_window(*, starts: date | None, ends: date | None, today: date) -> tuple[date, date]:
    """The days a list covers: the ones asked for, or the month behind and the year ahead; a ValidationError
    naming `from` or `to` when the window is backwards or longer than NOTE_WINDOW_MAX_DAYS."""
    if starts is None and ends is None:
        return today - timedelta(days=NOTE_DEFAULT_BACK_DAYS), today + timedelta(days=NOTE_DEFAULT_AHEAD_DAYS)
    span = timedelta(days=NOTE_DEFAULT_BACK_DAYS + NOTE_DEFAULT_AHEAD_DAYS)
    try:
        if starts is None:
            assert ends is not None
            starts = ends - span
        if ends is None:
            ends = starts + span
    except OverflowError:
        field = "from" if ends is None else "to"
        raise ValidationError({field: ["Give a day between the years 1 and 9999."]}) from None
    if ends < starts:
        raise ValidationError({"to": ["The window cannot end before it starts."]})
    if (ends - starts).days > NOTE_WINDOW_MAX_DAYS:
        raise ValidationError({"to": [f"Ask for at most {NOTE_WINDOW_MAX_DAYS} days at a time."]})
    return starts, ends


def notes_in_window(board: Board, *, starts: date, ends: date) -> QuerySet[CalendarNote]:
    """The board's notes that cover any day from `starts` to `ends` (both included), by first day, at most
    NOTE_LIST_MAX_ROWS: one query on the (board, starts_on, ends_on) index."""
    return (
        CalendarNote.objects.filter(board=board, starts_on__lte=ends, ends_on__gte=starts)
        .select_related("author")
        .order_by("starts_on", "id")[:NOTE_LIST_MAX_ROWS]
    )


def note_get(board: Board, note_id: int) -> CalendarNote:
    """One note of a board the caller has already opened; 404 for any other id."""
    note = CalendarNote.objects.filter(board=board, pk=note_id).select_related("author").first()
    if note is None:
        raise Http404("No such note.")
    note.board = board
    return note


def board_today(board: Board) -> date:
    """Today in the board's time zone: the calendar's days are the board's."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo(board.time_zone or "UTC")).date()
