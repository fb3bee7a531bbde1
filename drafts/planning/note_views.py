"""Pages of a board's calendar notes: every member reads them, reviewers and managers add, edit and remove
them. Reads go through note_selectors, writes through note_services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from drafts.planning import note_selectors, note_services
from drafts.planning.note_forms import NoteForm
from drafts.planning.note_selectors import board_today


def field_errors_of(exc: ValidationError) -> dict:
    return dict(exc.message_dict) if hasattr(exc, "error_dict") else {"__all__": list(exc.messages)}


def _require_editor(user, board) -> None:
    if not note_selectors.may_edit_notes(user, board):
        raise PermissionDenied(note_services.NOT_ALLOWED)


@login_required
@require_http_methods(["GET", "POST"])
def board_calendar_notes(request, slug: str):
    board = note_selectors.notes_board_get(request.user, slug=slug)
    can_edit = note_selectors.may_edit_notes(request.user, board)
    form = NoteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _require_editor(request.user, board)
        status = 400
        if form.is_valid():
            try:
                note = note_services.calendar_note_create(board=board, actor=request.user, **form.values())
            except ValidationError as exc:
                form.add_service_errors(field_errors_of(exc))
            else:
                messages.success(request, f"Note “{note.title}” added to the calendar.")
                return redirect("board-calendar-notes", slug=board.slug)
    today = board_today(board)
    starts, ends = note_selectors.note_window(starts=None, ends=None, today=today)
    notes = list(note_selectors.notes_in_window(board, starts=starts, ends=ends))
    context = {
        "board": board,
        "notes": notes,
        "form": form if can_edit else None,
        "can_edit": can_edit,
        "today": today,
        "window_starts": starts,
        "window_ends": ends,
        "truncated": len(notes) >= note_selectors.NOTE_LIST_MAX_ROWS,
    }
    return render(request, "planning/notes.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def board_calendar_note_edit(request, slug: str, note_id: int):
    board = note_selectors.notes_board_get(request.user, slug=slug)
    note = note_selectors.note_get(board, note_id)
    _require_editor(request.user, board)
    status = 200
    if request.method == "POST":
        form = NoteForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                note = note_services.calendar_note_update(
                    board=board, note_id=note.pk, actor=request.user, **form.values()
                )
            except ValidationError as exc:
                form.add_service_errors(field_errors_of(exc))
            else:
                messages.success(request, f"Note “{note.title}” saved.")
                return redirect("board-calendar-notes", slug=board.slug)
    else:
        form = NoteForm(initial=NoteForm.initial_for(note))
    return render(request, "planning/notes_edit.html", {"board": board, "note": note, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def board_calendar_note_delete(request, slug: str, note_id: int):
    board = note_selectors.notes_board_get(request.user, slug=slug)
    note = note_selectors.note_get(board, note_id)
    _require_editor(request.user, board)
    if request.method == "POST":
        title = note_services.calendar_note_delete(board=board, note_id=note.pk, actor=request.user)
        messages.success(request, f"Note “{title}” removed from the calendar.")
        return redirect("board-calendar-notes", slug=board.slug)
    return render(request, "planning/notes_delete.html", {"board": board, "note": note})
