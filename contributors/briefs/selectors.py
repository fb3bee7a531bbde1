"""Reads for briefs. Each starts from the boards the user holds a role on, so no page or API forgets that filter."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from contributors.agreements import gate
from contributors.roles import VIEW
from contributors.selectors import board_ids_with_perm
from drafts.models import Draft
from drafts.selectors import drafts_for_user

from .models import Brief, BriefClaim, BriefStatus

STATUS_FILTERS = ("open", "closed", "all")


def briefs_for_user(user) -> QuerySet[Brief]:
    """Every brief on a board the user holds a role on, except boards where an agreement is still unsigned."""
    briefs = Brief.objects.filter(board__in=board_ids_with_perm(user, VIEW))
    gated = gate.gated_board_ids(user)
    if gated:
        briefs = briefs.exclude(board_id__in=gated)
    return briefs


def _with_claim_count(briefs: QuerySet[Brief]) -> QuerySet[Brief]:
    # Explicit order: Meta.ordering is not applied to a GROUP BY query.
    return briefs.select_related("board").annotate(claim_count=Count("claims")).order_by("deadline", "id")


def brief_list_for_user(user, *, board=None, status: str = "open") -> QuerySet[Brief]:
    """`status`: "open" (not closed, deadline ahead; full ones included), "closed" (closed or expired) or "all"."""
    briefs = briefs_for_user(user)
    if board is not None:
        briefs = briefs.filter(board=board)
    still_open = Q(closed_at__isnull=True, deadline__gt=timezone.now())
    if status == "open":
        briefs = briefs.filter(still_open)
    elif status == "closed":
        briefs = briefs.exclude(still_open)
    return _with_claim_count(briefs)


def brief_get_for_user(user, pk: int) -> Brief:
    """The brief, or 404 for anyone without a role on its board; 403 while an agreement they need is unsigned."""
    brief = _with_claim_count(Brief.objects.filter(board__in=board_ids_with_perm(user, VIEW))).filter(pk=pk).first()
    if brief is None:
        raise Http404("No such brief.")
    gate.require_access(user, brief.board)  # the board is no secret to a member: 403 naming the agreement
    return brief


@dataclass(frozen=True)
class ClaimRow:
    claim: BriefClaim
    # None when the user may not see the draft (a contributor sees only their own): the claimant only.
    draft: Draft | None


def brief_claim_rows(user, brief: Brief) -> list[ClaimRow]:
    """Who claimed the brief, with each linked draft the user may see. Two queries however many claims."""
    claims = list(brief.claims.select_related("contributor", "draft"))
    visible = set(drafts_for_user(user).filter(pk__in=[c.draft_id for c in claims]).values_list("pk", flat=True))
    return [ClaimRow(claim=c, draft=c.draft if c.draft_id in visible else None) for c in claims]


def brief_status(brief: Brief) -> str:
    count = getattr(brief, "claim_count", None)
    if count is None:
        count = brief.claims.count()
    return BriefStatus(brief.status(count))


def brief_claim_for_draft(draft: Draft) -> BriefClaim | None:
    """The claim a draft was written for (one query), for the draft page's "Written for brief X"."""
    return BriefClaim.objects.select_related("brief").filter(draft=draft).first()
