from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocreate.views import ServiceRefused, report_service_errors
from contributors import selectors, services
from contributors.agreements.gate import require_access
from contributors.forms import MemberForm
from contributors.permissions import board_role, has_board_perm, prefetch_board_permissions, require_manager
from contributors.roles import CONTRIBUTE, MANAGE, REVIEW
from drafts.models import DraftState
from drafts.paging import DraftPagePaginator
from drafts.planning.pillar_selectors import pillar_from_query
from drafts.selectors import draft_list_for_user


@login_required
def board_list(request):
    page = selectors.board_list_page(
        request.user, after=request.GET.get("after") or None, before=request.GET.get("before") or None
    )
    prefetch_board_permissions(request.user, page.rows)
    rows = [(board, board_role(request.user, board)) for board in page.rows]
    return render(request, "contributors/board_list.html", {"rows": rows, "page": page})


@login_required
def board_detail(request, slug: str):
    board = selectors.board_get_for_user(request.user, slug=slug)
    require_access(request.user, board)  # gated: to the agreement, and back here once signed
    state = request.GET.get("state") or ""
    if state not in DraftState.values:
        state = ""
    drafts = draft_list_for_user(request.user, board=board, state=state or None)
    pillar = pillar_from_query(board, request.GET.get("pillar"))
    if pillar is not None:
        drafts = drafts.filter(pillars=pillar)
    page = DraftPagePaginator(drafts, 50).get_page(request.GET.get("page"))
    context = {
        "board": board,
        "page": page,
        "state": state,
        "pillar": pillar,
        "states": DraftState.choices,
        "role": board_role(request.user, board),
        "can_create": has_board_perm(request.user, board, CONTRIBUTE),
        "can_review": has_board_perm(request.user, board, REVIEW),
        "can_manage": has_board_perm(request.user, board, MANAGE),
    }
    return render(request, "contributors/board_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def board_members(request, slug: str):
    board = selectors.board_get_for_user(request.user, slug=slug)
    require_manager(request.user, board)
    form = MemberForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            user = get_user_model().objects.filter(username=form.cleaned_data["username"], is_active=True).first()
            if user is None:
                form.add_error("username", "No active user has that username.")
            else:
                try:
                    with report_service_errors(request):
                        if form.cleaned_data["role"]:
                            services.board_role_grant(
                                board=board, user=user, role=form.cleaned_data["role"], actor=request.user
                            )
                            messages.success(request, f"{user} is now a {form.cleaned_data['role']} on {board.name}.")
                        else:
                            services.board_role_revoke(board=board, user=user, actor=request.user)
                            messages.success(request, f"{user} no longer has a role on {board.name}.")
                    return redirect("board-members", slug=board.slug)
                except ServiceRefused as refused:
                    status = refused.status
    context = {
        "board": board,
        "members": selectors.board_members(board),
        "changes": board.role_changes.select_related("user", "actor")[:20],
        "form": form,
    }
    return render(request, "contributors/board_members.html", context, status=status)
