"""The pillars page (/boards/<slug>/pillars/: everyone on the board reads it, managers change it) and the mix
panel fragment (/boards/<slug>/calendar/mix/), which the calendar page loads with htmx and the pillars page
shows for this week and the next.

Every form works as a plain POST that redirects back to the page; a refused one shows the page again with
the reason at the field.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contributors.permissions import has_board_perm, require_manager
from contributors.roles import MANAGE
from contributors.templatetags.zoned import zone_of
from drafts import services as draft_services
from drafts.planning import pillar_selectors, pillar_services
from drafts.planning.mix import MAX_DAYS, board_mix, check_range
from drafts.planning.pillar_forms import PillarForm, PillarMoveForm, add_service_errors


def board_today(board) -> date:
    return timezone.now().astimezone(zone_of(board)).date()


def this_and_next_week(board) -> tuple[date, date]:
    today = board_today(board)
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=13)


def _page_context(request, board, *, form: PillarForm | None = None) -> dict:
    can_manage = has_board_perm(request.user, board, MANAGE)
    pillars = pillar_selectors.board_pillars(board, with_counts=True)
    start, end = this_and_next_week(board)
    total = pillar_selectors.targets_total(pillars)
    moved = request.GET.get("moved", "")
    return {
        "board": board,
        "moved": int(moved) if moved.isascii() and moved.isdigit() and len(moved) < 10 else None,
        "moved_direction": request.GET.get("dir", ""),
        "pillars": pillars,
        "targets_total": total,
        "targets_left": max(0, 100 - total),
        "can_manage": can_manage,
        "form": (form or PillarForm(initial={"target_percent": min(max(0, 100 - total), 30)})) if can_manage else None,
        "mix": board_mix(board, start, end),
    }


def _pillars_url(board, pillar=None) -> str:
    url = reverse("board-pillars", args=[board.slug])
    return f"{url}#pillar-{pillar.pk}" if pillar is not None else url


@login_required
@require_http_methods(["GET", "POST"])
def board_pillars(request, slug: str):
    """GET: the board's pillars and their mix. POST (managers): add a pillar."""
    board = pillar_selectors.pillar_readable_board(request.user, slug=slug)
    if request.method == "GET":
        return render(request, "planning/pillars.html", _page_context(request, board))
    require_manager(request.user, board)
    form = PillarForm(request.POST)
    if form.is_valid():
        try:
            pillar = pillar_services.pillar_create(board=board, actor=request.user, **form.cleaned_data)
        except ValidationError as refused:
            add_service_errors(form, refused.message_dict)
        else:
            joined = pillar.migrated_drafts
            moved = f" {joined} draft{'s' if joined != 1 else ''} tagged “{pillar.name}” joined it." if joined else ""
            messages.success(request, f"Pillar added: {pillar.name}.{moved}")
            return redirect(_pillars_url(board, pillar))
    return render(request, "planning/pillars.html", _page_context(request, board, form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def board_pillar_edit(request, slug: str, pillar_id: int):
    board = pillar_selectors.pillar_readable_board(request.user, slug=slug)
    require_manager(request.user, board)
    pillar = pillar_selectors.pillar_get(board, pillar_id)
    status = 200
    if request.method == "POST":
        form = PillarForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                pillar = pillar_services.pillar_update(
                    board=board, actor=request.user, pillar_id=pillar.pk, **form.cleaned_data
                )
            except ValidationError as refused:
                add_service_errors(form, refused.message_dict)
            else:
                messages.success(request, f"Pillar saved: {pillar.name}.")
                return redirect(_pillars_url(board, pillar))
    else:
        form = PillarForm(initial=PillarForm.initial_for(pillar))
    others = sum(p.target_percent for p in pillar_selectors.board_pillars(board) if p.pk != pillar.pk)
    context = {
        "board": board,
        "pillar": pillar,
        "form": form,
        "targets_others": others,
        "targets_left": max(0, 100 - others),
    }
    return render(request, "planning/pillar_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def board_pillar_delete(request, slug: str, pillar_id: int):
    """GET asks first (a page that names the pillar and its drafts); POST removes it."""
    board = pillar_selectors.pillar_readable_board(request.user, slug=slug)
    require_manager(request.user, board)
    pillar = pillar_selectors.pillar_get(board, pillar_id)
    if request.method == "GET":
        count = pillar.drafts.count()
        return render(request, "planning/pillar_delete.html", {"board": board, "pillar": pillar, "draft_count": count})
    pillar_services.pillar_delete(board=board, actor=request.user, pillar_id=pillar.pk)
    messages.success(request, f"Pillar removed: {pillar.name}. Its drafts keep their other pillars.")
    return redirect(_pillars_url(board))


@login_required
@require_POST
def board_pillar_move(request, slug: str, pillar_id: int):
    board = pillar_selectors.pillar_readable_board(request.user, slug=slug)
    require_manager(request.user, board)
    form = PillarMoveForm(request.POST)
    if not form.is_valid():
        raise ValidationError({"direction": ["Move a pillar up or down."]})
    pillar = pillar_services.pillar_move(
        board=board, actor=request.user, pillar_id=pillar_id, direction=form.cleaned_data["direction"]
    )
    messages.success(request, f"{pillar.name} moved {form.cleaned_data['direction']}.")
    # Back at the same button (autofocus; a #fragment would switch autofocus off), so a keyboard user can press
    # it again.
    url = reverse("board-pillars", args=[board.slug])
    return redirect(f"{url}?moved={pillar.pk}&dir={form.cleaned_data['direction']}")


@login_required
@require_POST
def draft_pillars(request, draft_id: int):
    """The draft page's "Change pillars" form: the ticked boxes replace the draft's pillars."""
    ids = [int(v) for v in request.POST.getlist("pillars") if v.isascii() and v.isdigit() and len(v) < 10]
    version = request.POST.get("version", "")
    draft = draft_services.draft_pillars_set(
        draft_id=draft_id,
        actor=request.user,
        pillar_ids=ids,
        version=int(version) if version.isascii() and version.isdigit() and len(version) < 10 else None,
    )
    names = ", ".join(p.name for p in pillar_selectors.draft_pillars(draft)) or "none"
    messages.success(request, f"Pillars saved: {names}.")
    return redirect(reverse("draft-detail", args=[draft.pk]) + "#pillars")


def parse_range(params, board) -> tuple[date, date]:
    """?from=YYYY-MM-DD&to=YYYY-MM-DD (both included, in the board's zone); by default this week and the next.
    A ValidationError naming the parameter for anything else."""
    default_start, default_end = this_and_next_week(board)
    found = {}
    for name, default in (("from", default_start), ("to", default_end)):
        raw = (params.get(name) or "").strip()
        if not raw:
            found[name] = default
            continue
        try:
            found[name] = date.fromisoformat(raw)
        except ValueError:
            raise ValidationError({name: [f"Give “{name}” as a date like 2026-12-07 (it was “{raw[:20]}”)."]}) from None
    if not params.get("to") and params.get("from"):
        found["to"] = found["from"] + timedelta(days=6)
    check_range(found["from"], found["to"])
    return found["from"], found["to"]


@login_required
@require_GET
def board_calendar_mix(request, slug: str):
    """The mix panel alone (htmx fragment; a plain GET gets the same HTML)."""
    board = pillar_selectors.pillar_readable_board(request.user, slug=slug)
    try:
        start, end = parse_range(request.GET, board)
    except ValidationError as bad:
        problems = [message for messages_ in bad.message_dict.values() for message in messages_]
        context = {"board": board, "problems": problems, "max_days": MAX_DAYS, "fragment": True}
        return render(request, "planning/_mix_panel.html", context, status=400)
    # ?compact=1 (the calendar's side column): the weeks' tables without their days, which the calendar shows.
    context = {
        "board": board,
        "mix": board_mix(board, start, end),
        "fragment": True,
        "compact": "compact" in request.GET,
    }
    return render(request, "planning/_mix_panel.html", context)
