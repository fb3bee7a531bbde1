"""The deadline panel of the draft page. POST /drafts/<id>/deadline/ sets the deadline (or clears it with
action=clear) and answers the panel again for htmx, with the outcome as a toast (HX-Trigger); a plain form
goes back to the draft page. GET answers the panel (htmx) or goes to the draft."""

import json
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from contributors.templatetags.zoned import zoned_words
from drafts.planning import deadline_services
from drafts.planning.deadline_forms import DeadlineForm
from drafts.planning.deadline_selectors import may_set_deadline
from drafts.planning.note_views import field_errors_of
from drafts.selectors import draft_get_for_user

PANEL = "planning/_deadline_panel.html"


def _answer(request, draft, *, message: str = "", form: DeadlineForm | None = None):
    """After a step: the panel (htmx) or the draft page; a refused form shows again with its errors."""
    if form is not None:
        context = {"draft": draft, "board": draft.board, "deadline_form": form}
        template = PANEL if request.htmx else "planning/deadline_page.html"
        return render(request, template, context, status=400)
    if not request.htmx:
        if message:
            messages.success(request, message)
        return redirect(reverse("draft-detail", args=[draft.pk]) + "#deadline-panel")
    response = render(request, PANEL, {"draft": draft, "board": draft.board})
    if message:
        response["HX-Trigger"] = json.dumps({"toast": {"message": message, "level": "success"}})
    return response


@login_required
@require_http_methods(["GET", "POST"])
def draft_deadline(request, draft_id: int):
    draft = draft_get_for_user(request.user, draft_id)
    if request.method == "GET":
        return _answer(request, draft)
    if not may_set_deadline(draft, request.user):
        raise PermissionDenied(deadline_services.NOT_ALLOWED)
    board = draft.board
    if request.POST.get("action") == "clear":
        cleared = deadline_services.deadline_clear(draft_id=draft.pk, actor=request.user)
        return _answer(request, draft, message="Deadline cleared." if cleared else "")
    # The form's time has no offset: it is the board's local time.
    with timezone.override(zoneinfo.ZoneInfo(board.time_zone or "UTC")):
        form = DeadlineForm(request.POST)
        if form.is_valid():
            try:
                deadline = deadline_services.deadline_set(
                    draft_id=draft.pk,
                    actor=request.user,
                    due_at=form.cleaned_data["due_at"],
                    label=form.cleaned_data["label"],
                )
            except ValidationError as exc:
                form.add_service_errors(field_errors_of(exc))
            else:
                return _answer(request, draft, message=f"{deadline.label}: {zoned_words(deadline.due_at, board)}.")
        return _answer(request, draft, form=form)
