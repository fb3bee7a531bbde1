"""Pages for briefs. Every read goes through a selector, every write through briefs.services."""

import zoneinfo
from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cocreate.views import ServiceRefused, report_service_errors
from contributors.agreements import gate
from contributors.permissions import has_board_perm, require_manager
from contributors.roles import CONTRIBUTE, MANAGE
from contributors.selectors import board_get_for_user

from . import selectors, services
from .forms import BriefForm
from .selectors import STATUS_FILTERS


@contextmanager
def _board_time(board):
    """The deadline field has no offset: it means the board's local time, when read and when shown."""
    with timezone.override(zoneinfo.ZoneInfo(board.time_zone)):
        yield


def _content(form: BriefForm) -> dict:
    data = form.cleaned_data
    return {
        "topic": data["topic"],
        "description": data["description"],
        "channels": list(data["channels"]),
        "deadline": data["deadline"],
        "max_claims": data["max_claims"],
    }


def _version(form: BriefForm) -> dict:
    return {"version": form.cleaned_data["version"]}


@login_required
def brief_list(request, slug: str):
    board = board_get_for_user(request.user, slug=slug)
    gate.require_access(request.user, board)
    status = request.GET.get("status") or "open"
    if status not in STATUS_FILTERS:
        status = "open"
    briefs = [
        (brief, selectors.brief_status(brief))
        for brief in selectors.brief_list_for_user(request.user, board=board, status=status)
    ]
    context = {
        "board": board,
        "briefs": briefs,
        "status": status,
        "statuses": STATUS_FILTERS,
        "can_manage": has_board_perm(request.user, board, MANAGE),
    }
    with _board_time(board):
        return render(request, "briefs/brief_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def brief_create(request, slug: str):
    board = board_get_for_user(request.user, slug=slug)
    require_manager(request.user, board)
    status = 200
    with _board_time(board):
        form = BriefForm(request.POST or None)
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    with report_service_errors(request):
                        brief = services.brief_create(board=board, actor=request.user, **_content(form))
                    messages.success(request, f"Brief “{brief.topic}” posted: contributors can claim it now.")
                    return redirect("brief-detail", brief_id=brief.pk)
                except ServiceRefused as refused:
                    status = refused.status
        return render(request, "briefs/brief_form.html", {"form": form, "board": board}, status=status)


def _render_detail(request, brief_id: int, status: int = 200):
    brief = selectors.brief_get_for_user(request.user, brief_id)
    rows = selectors.brief_claim_rows(request.user, brief)
    context = {
        "brief": brief,
        "board": brief.board,
        "status": selectors.brief_status(brief),
        "rows": rows,
        "my_claim": next((row for row in rows if row.claim.contributor_id == request.user.pk), None),
        "can_claim": has_board_perm(request.user, brief.board, CONTRIBUTE),
        "can_manage": has_board_perm(request.user, brief.board, MANAGE),
    }
    with _board_time(brief.board):
        return render(request, "briefs/brief_detail.html", context, status=status)


@login_required
def brief_detail(request, brief_id: int):
    return _render_detail(request, brief_id)


@login_required
@require_http_methods(["GET", "POST"])
def brief_edit(request, brief_id: int):
    brief = selectors.brief_get_for_user(request.user, brief_id)
    require_manager(request.user, brief.board)
    status = 200
    with _board_time(brief.board):
        if request.method == "POST":
            status = 400
            form = BriefForm(request.POST)
            if form.is_valid():
                try:
                    with report_service_errors(request):
                        services.brief_update(brief_id=brief.pk, actor=request.user, **_content(form), **_version(form))
                    messages.success(request, "Brief saved.")
                    return redirect("brief-detail", brief_id=brief.pk)
                except ServiceRefused as refused:
                    status = refused.status
        else:
            form = BriefForm(initial=BriefForm.initial_for(brief))
        context = {"form": form, "board": brief.board, "brief": brief}
        return render(request, "briefs/brief_form.html", context, status=status)


def _act_then_show_brief(request, brief_id: int, service_call, success):
    try:
        with report_service_errors(request):
            result = service_call()
    except ServiceRefused as refused:
        return _render_detail(request, brief_id, status=refused.status)
    return success(result)


@login_required
@require_POST
def brief_close(request, brief_id: int):
    brief = selectors.brief_get_for_user(request.user, brief_id)

    def closed(_):
        messages.success(request, "The brief is closed: it takes no more claims.")
        return redirect("brief-detail", brief_id=brief.pk)

    return _act_then_show_brief(
        request, brief.pk, lambda: services.brief_close(brief_id=brief.pk, actor=request.user), closed
    )


@login_required
@require_POST
def brief_claim(request, brief_id: int):
    brief = selectors.brief_get_for_user(request.user, brief_id)

    def claimed(claim):
        messages.success(request, f"You claimed “{brief.topic}”. Your draft is ready to write.")
        return redirect("draft-detail", draft_id=claim.draft_id)

    return _act_then_show_brief(
        request, brief.pk, lambda: services.brief_claim(brief_id=brief.pk, actor=request.user), claimed
    )
