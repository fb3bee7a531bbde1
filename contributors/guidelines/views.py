"""Guideline pages and the live check the draft editor calls as the contributor types (htmx).

Managers edit rules on the guidelines page itself: one small form per rule kind (forms.RULE_FORMS). With
htmx a form swaps the rules section in place; without it the same POST redirects back to the page.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cocreate.views import ServiceRefused, report_service_errors
from contributors.guidelines import selectors, services
from contributors.guidelines.forms import RULE_FORMS, GuidelineForm, RuleKindChoice, RuleKindForm
from contributors.permissions import has_board_perm, require_manager
from contributors.roles import MANAGE
from drafts.forms import variants_from_post
from drafts.selectors import draft_get_for_user


def _whole_number(value: str) -> int | None:
    """A version or id from a form or query string; None unless it is plain digits within a database integer."""
    if value.isascii() and value.isdigit() and int(value) <= 2**31 - 1:
        return int(value)
    return None


def _sections(guideline, *, can_manage: bool, bound: RuleKindForm | None = None) -> list[dict]:
    """One section per rule kind: its rules, and (for managers) its add form, the bound one if it failed."""
    rules = selectors.guideline_rules_by_kind(guideline)
    sections = []
    for kind, form_class in RULE_FORMS.items():
        form = None
        if can_manage:
            form = (
                bound
                if bound is not None and bound.kind == kind
                else form_class(initial={"version": guideline.version})
            )
        sections.append({"kind": kind, "form_class": form_class, "rules": rules.get(kind, []), "form": form})
    return sections


def _context(request, board, *, bound: RuleKindForm | None = None) -> dict:
    guideline = selectors.guideline_for_board(board)
    can_manage = has_board_perm(request.user, board, MANAGE)
    return {
        "board": board,
        "guideline": guideline,
        "sections": _sections(guideline, can_manage=can_manage, bound=bound),
        "can_manage": can_manage,
    }


def _page(request, board, *, status: int = 200, bound: RuleKindForm | None = None):
    context = _context(request, board, bound=bound)
    if request.htmx:
        return _fragment(request, context, status)
    context["versions"] = selectors.guideline_versions(context["guideline"])
    return render(request, "guidelines/guidelines.html", context, status=status)


def _with_current_version(form: RuleKindForm, board) -> RuleKindForm:
    data = form.data.copy()
    data["version"] = str(selectors.guideline_for_board(board).version)
    fresh = type(form)(data, rule=form.rule)
    fresh.is_valid()
    return fresh


def _fragment(request, context: dict, status: int):
    """The rules section alone. The messages of the action travel as a toast (HX-Trigger); a refusal is
    also written above the rules, where the manager is looking."""
    pending = list(messages.get_messages(request))
    refusals = [str(m) for m in pending if m.level >= messages.ERROR]
    context = {**context, "fragment": True, "refusals": refusals}
    response = render(request, "guidelines/_rules.html", context, status=status)
    if pending:
        level = "error" if refusals else pending[-1].level_tag
        response["HX-Trigger"] = json.dumps({"toast": {"message": " ".join(str(m) for m in pending), "level": level}})
    return response


def _back_to_rules(request, board, kind: str):
    """After a change: the rules section again (htmx), or the page at that kind's section."""
    if request.htmx:
        return _page(request, board)
    return redirect(reverse("guidelines", args=[board.slug]) + f"#rules-{kind}")


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
                messages.success(request, "Guidelines saved.")
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
    choice = RuleKindChoice(request.POST)
    if not choice.is_valid():
        messages.error(request, "Choose which kind of rule to add.")
        return _page(request, board, status=400)
    kind = choice.cleaned_data["kind"]
    form = RULE_FORMS[kind](request.POST)
    if not form.is_valid():
        return _page(request, board, status=400, bound=form)
    try:
        with report_service_errors(request):
            rule = services.guideline_rule_create(
                board=board, actor=request.user, kind=kind, **form.service_arguments()
            )
    except ServiceRefused as refused:
        if refused.status == 409:
            # The page now shows the rules as they stand: what was typed stays, ready to send again.
            form = _with_current_version(form, board)
        return _page(request, board, status=refused.status, bound=form)
    messages.success(request, f"Rule added: {rule.as_rule().describe()}")
    return _back_to_rules(request, board, kind)


@login_required
@require_http_methods(["GET", "POST"])
def guidelines_rule_edit(request, slug: str, rule_id: int):
    board = selectors.guideline_readable_board(request.user, slug=slug)
    require_manager(request.user, board)
    guideline = selectors.guideline_for_board(board)
    rule = selectors.guideline_rule_get(guideline, rule_id)
    form_class = RULE_FORMS[rule.kind]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, rule=rule)
        status = 400
        if form.is_valid():
            try:
                with report_service_errors(request):
                    rule = services.guideline_rule_update(
                        board=board, actor=request.user, rule_id=rule.pk, **form.service_arguments()
                    )
                messages.success(request, f"Rule saved: {rule.as_rule().describe()}")
                return redirect(reverse("guidelines", args=[board.slug]) + f"#rules-{rule.kind}")
            except ServiceRefused as refused:
                status = refused.status
    else:
        form = form_class(rule=rule, initial={"version": guideline.version})
    context = {"board": board, "guideline": guideline, "rule": rule, "form": form}
    return render(request, "guidelines/rule_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def guidelines_rule_delete(request, slug: str, rule_id: int):
    """GET asks first (a page that names the rule); POST removes it."""
    board = selectors.guideline_readable_board(request.user, slug=slug)
    require_manager(request.user, board)
    guideline = selectors.guideline_for_board(board)
    if request.method == "GET":
        rule = selectors.guideline_rule_get(guideline, rule_id)
        context = {"board": board, "guideline": guideline, "rule": rule}
        return render(request, "guidelines/rule_delete.html", context)
    rule = selectors.guideline_rule_get(guideline, rule_id)
    try:
        with report_service_errors(request):
            services.guideline_rule_delete(
                board=board, actor=request.user, rule_id=rule_id, version=_whole_number(request.POST.get("version", ""))
            )
    except ServiceRefused as refused:
        return _page(request, board, status=refused.status)
    messages.success(request, f"Rule removed: {rule.as_rule().describe()}")
    return _back_to_rules(request, board, rule.kind)


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
