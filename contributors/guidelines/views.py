"""Guideline pages and the live check the draft editor calls as the contributor types (htmx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cocreate.views import ServiceRefused, report_service_errors
from contributors.guidelines import selectors, services
from contributors.guidelines.forms import GuidelineForm, RuleForm
from contributors.permissions import has_board_perm, require_manager
from contributors.roles import MANAGE
from drafts.forms import variants_from_post
from drafts.selectors import draft_get_for_user


def _whole_number(value: str) -> int | None:
    """A version or id from a form or query string; None unless it is plain digits within a database integer."""
    if value.isascii() and value.isdigit() and int(value) <= 2**31 - 1:
        return int(value)
    return None


def _page(request, board, *, status: int = 200, **extra):
    guideline = selectors.guideline_for_board(board)
    can_manage = has_board_perm(request.user, board, MANAGE)
    context = {
        "board": board,
        "guideline": guideline,
        "rules": guideline.rules.all() if guideline.pk else [],
        "versions": selectors.guideline_versions(guideline),
        "can_manage": can_manage,
        "rule_form": RuleForm(initial={"version": guideline.version}) if can_manage else None,
        **extra,
    }
    return render(request, "guidelines/guidelines.html", context, status=status)


@login_required
def guidelines(request, slug: str):
    return _page(request, selectors.guideline_readable_board(request.user, slug=slug))


@login_required
@require_http_methods(["GET", "POST"])
def guidelines_edit(request, slug: str):
    board = selectors.guideline_readable_board(request.user, slug=slug)
    require_manager(request.user, board)
    guideline = selectors.guideline_for_board(board)
    status = 200
    if request.method == "POST":
        form = GuidelineForm(request.POST)
        if form.is_valid():
            try:
                with report_service_errors(request):
                    services.guideline_update(board=board, actor=request.user, **form.cleaned_data)
                return redirect("guidelines", slug=board.slug)
            except ServiceRefused as refused:
                status = refused.status
        else:
            status = 400
    else:
        form = GuidelineForm(initial={"brand": guideline.brand, "tone": guideline.tone, "version": guideline.version})
    context = {"board": board, "guideline": guideline, "form": form}
    return render(request, "guidelines/guidelines_form.html", context, status=status)


@login_required
@require_POST
def guidelines_rule_create(request, slug: str):
    board = selectors.guideline_readable_board(request.user, slug=slug)
    require_manager(request.user, board)
    form = RuleForm(request.POST)
    if not form.is_valid():
        return _page(request, board, status=400, rule_form=form)
    try:
        with report_service_errors(request):
            services.guideline_rule_create(board=board, actor=request.user, **form.cleaned_data)
    except ServiceRefused as refused:
        return _page(request, board, status=refused.status, rule_form=form)
    messages.success(request, "Rule added.")
    return redirect("guidelines", slug=board.slug)


@login_required
@require_POST
def guidelines_rule_delete(request, slug: str, rule_id: int):
    board = selectors.guideline_readable_board(request.user, slug=slug)
    try:
        with report_service_errors(request):
            services.guideline_rule_delete(
                board=board, actor=request.user, rule_id=rule_id, version=_whole_number(request.POST.get("version", ""))
            )
    except ServiceRefused as refused:
        return _page(request, board, status=refused.status)
    messages.success(request, "Rule removed.")
    return redirect("guidelines", slug=board.slug)


@login_required
@require_POST
def guidelines_check(request, slug: str):
    """The problems fragment for the draft form's current content; nothing is saved."""
    guideline = selectors.guideline_get_for_user(request.user, slug=slug)
    author = request.user
    draft_id = _whole_number(request.GET.get("draft", ""))
    if draft_id is not None:
        draft = draft_get_for_user(request.user, draft_id)
        if draft.board_id == guideline.board.pk:
            author = draft.author
    try:
        report = selectors.guideline_check(
            guideline,
            title=" ".join(request.POST.get("title", "").split()),
            body=request.POST.get("body", ""),
            variants=variants_from_post(request.POST),
            author_role=selectors.role_for_checks(author, guideline.board),
        )
    except ValidationError as too_long:
        context = {
            "guideline": guideline,
            "refused": [f"{k}: {m}" for k, ms in too_long.message_dict.items() for m in ms],
        }
        return render(request, "guidelines/_problems.html", context, status=400)
    context = {"guideline": guideline, "problems": report.problems, "hidden": report.hidden, "checked": True}
    return render(request, "guidelines/_problems.html", context)
