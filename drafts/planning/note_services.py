"""Writes of a board's calendar notes (a launch, a holiday, a campaign): its reviewers and managers add,
change and remove them; the calendar shows them on their days."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from contributors.agreements.gate import require_access
from contributors.models import Board, User
from drafts.planning.models import CalendarNote
from drafts.planning.note_selectors import may_edit_notes, note_get

NOTE_TITLE_MAX = 200
NOTE_BODY_MAX = 5_000
# A note is about days: a campaign may run for a season, not forever.
NOTE_SPAN_MAX_DAYS = 366
NOT_ALLOWED = "Only the board's reviewers and managers can change its calendar notes."


def _require_editor(actor: User | None, board: Board) -> None:
    """actor=None is the system itself (demo data, management commands), which may."""
    if actor is None:
        return
    if not may_edit_notes(actor, board):
        raise PermissionDenied(NOT_ALLOWED)
    require_access(actor, board)


def _clean(*, title: str, body: str, starts_on: date | None, ends_on: date | None) -> tuple[str, str, date, date]:
    """The note's fields, trimmed; a ValidationError naming every field that is wrong, in words."""
    title = (title or "").strip()
    body = (body or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Give the note a title, for example “Spring launch”."]
    elif len(title) > NOTE_TITLE_MAX:
        errors["title"] = [f"Keep the title to {NOTE_TITLE_MAX} characters (it has {len(title)})."]
    if len(body) > NOTE_BODY_MAX:
        errors["body"] = [f"Keep the description to {NOTE_BODY_MAX:,} characters (it has {len(body):,})."]
    if starts_on is None:
        errors["starts_on"] = ["Give the first day the note covers."]
    if ends_on is None:
        ends_on = starts_on  # one day
    if starts_on is not None and ends_on is not None:
        if ends_on < starts_on:
            errors["ends_on"] = ["The last day cannot be before the first day."]
        elif (ends_on - starts_on).days + 1 > NOTE_SPAN_MAX_DAYS:
            errors["ends_on"] = [f"A note covers at most {NOTE_SPAN_MAX_DAYS} days."]
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None
    assert ends_on is not None
    return title, body, starts_on, ends_on


@transaction.atomic
def calendar_note_create(
    *,
    board: Board,
    actor: User | None,
    title: str,
    starts_on: date | None,
    ends_on: date | None = None,
    body: str = "",
) -> CalendarNote:
    _require_editor(actor, board)
    title, body, starts_on, ends_on = _clean(title=title, body=body, starts_on=starts_on, ends_on=ends_on)
    return CalendarNote.objects.create(
        board=board, title=title, body=body, starts_on=starts_on, ends_on=ends_on, author=actor
    )


_UNCHANGED = object()


@transaction.atomic
def calendar_note_update(
    *,
    board: Board,
    note_id: int,
    actor: User | None,
    title=_UNCHANGED,
    body=_UNCHANGED,
    starts_on=_UNCHANGED,
    ends_on=_UNCHANGED,
) -> CalendarNote:
    """Change what is given, keep the rest (PATCH and the edit form alike)."""
    _require_editor(actor, board)
    note = note_get(board, note_id)
    new_title: str = note.title if title is _UNCHANGED else title
    new_body: str = note.body if body is _UNCHANGED else body
    new_start: date | None = note.starts_on if starts_on is _UNCHANGED else starts_on
    new_end: date | None = note.ends_on if ends_on is _UNCHANGED else ends_on
    if starts_on is not _UNCHANGED and ends_on is _UNCHANGED and new_start is not None:
        # Moving a note moves its last day with it, keeping its length.
        try:
            new_end = new_start + (note.ends_on - note.starts_on)
        except OverflowError:
            raise ValidationError({"starts_on": ["The note would end after the year 9999."]}) from None
    note.title, note.body, note.starts_on, note.ends_on = _clean(
        title=new_title, body=new_body, starts_on=new_start, ends_on=new_end
    )
    note.save(update_fields=["title", "body", "starts_on", "ends_on", "updated_at"])
    return note


@transaction.atomic
def calendar_note_delete(*, board: Board, note_id: int, actor: User | None) -> str:
    """Remove the note; returns its title (for the page's message)."""
    _require_editor(actor, board)
    note = note_get(board, note_id)
    title = note.title
    note.delete()
    return title
