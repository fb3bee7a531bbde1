"""Reads of content pillars. Access: anyone with a role on the board, unless the agreement gate holds them back."""

from django.db.models import Count, Q
from django.http import Http404

from contributors.agreements import gate
from contributors.models import Board
from contributors.permissions import is_site_admin
from contributors.selectors import board_get_for_user
from drafts.models import Draft, DraftState
from drafts.planning.models import Pillar


def pillar_readable_board(user, *, slug: str | None = None, pk: int | None = None) -> Board:
    """The board whose pillars `user` may read: 404 without a role, 403 (or the way to sign) while an
    agreement is unsigned."""
    board = board_get_for_user(user, slug=slug, pk=pk)
    if not is_site_admin(user):
        gate.require_access(user, board, action="see the content pillars of")
    return board


def board_pillars(board: Board, *, with_counts: bool = False) -> list[Pillar]:
    """The board's pillars in their order; with_counts adds `draft_count` (drafts not archived), one query."""
    pillars = Pillar.objects.filter(board=board)
    if with_counts:
        pillars = pillars.annotate(
            draft_count=Count("drafts", filter=~Q(drafts__state=DraftState.ARCHIVED), distinct=True)
        )
    return list(pillars.order_by("position", "name", "id"))


def pillar_get(board: Board, pillar_id: int) -> Pillar:
    """One pillar of this board, or 404."""
    pillar = Pillar.objects.filter(board=board, pk=pillar_id).first()
    if pillar is None:
        raise Http404("No such pillar on this board.")
    return pillar


def targets_total(pillars: list[Pillar]) -> int:
    return sum(p.target_percent for p in pillars)


def pillars_attach(drafts) -> list[Draft]:
    """Give each draft a `pillar_list` (its pillars in board order), one query for the whole list."""
    drafts = list(drafts)
    by_id: dict[int, list[Draft]] = {}
    for draft in drafts:
        draft.pillar_list = []
        by_id.setdefault(draft.pk, []).append(draft)  # a draft may be listed twice on one page (My work)
    if not by_id:
        return drafts
    through = Pillar.drafts.through.objects.filter(draft_id__in=by_id).select_related("pillar")
    for row in sorted(through, key=lambda r: (r.pillar.position, r.pillar.name, r.pillar_id)):
        for draft in by_id[row.draft_id]:
            draft.pillar_list.append(row.pillar)
    return drafts


def draft_pillars(draft: Draft) -> list[Pillar]:
    """The pillars of one draft, in board order (one query)."""
    listed = getattr(draft, "pillar_list", None)
    if listed is not None:
        return listed
    return list(draft.pillars.order_by("position", "name", "id"))


def pillar_from_query(board: Board, raw) -> Pillar | None:
    """The board's pillar a list is filtered by (?pillar=<id>); None for no filter or an id not on the board."""
    raw = str(raw or "")
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        return None
    return Pillar.objects.filter(board=board, pk=int(raw)).first()


def draft_pillar_choices(user, draft: Draft) -> dict:
    """Template context for the draft page: its pillars, and (for whoever may change them) the board's pillars
    to tick. Two queries at most."""
    from drafts.rules import can_set_pillars

    chosen = draft_pillars(draft)
    context: dict = {"draft_pillar_list": chosen, "pillar_choices": []}
    if can_set_pillars(draft, user):
        ticked = {p.pk for p in chosen}
        context["pillar_choices"] = [{"pillar": p, "checked": p.pk in ticked} for p in board_pillars(draft.board)]
    return context
