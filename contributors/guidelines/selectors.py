"""Reads of guidelines. Access: anyone with a role on the board, unless the agreement gate holds them back."""

from django.http import Http404

from cocreate import limits
from contributors.agreements import gate
from contributors.guidelines.checks import TextParts, check_text
from contributors.guidelines.findings import CheckReport
from contributors.guidelines.models import Guideline
from contributors.models import Board
from contributors.permissions import board_role, is_site_admin
from contributors.roles import SITE_ADMIN
from contributors.selectors import board_get_for_user


def guideline_for_board(board: Board) -> Guideline:
    """The board's guidelines; an unsaved, empty one (version 0) when nobody has written any yet."""
    guideline = Guideline.objects.filter(board=board).first()
    return guideline if guideline is not None else Guideline(board=board)


def guideline_readable_board(user, *, slug: str | None = None, pk: int | None = None) -> Board:
    """The board whose guidelines `user` may read: 404 without a role, 403 while an agreement is unsigned."""
    board = board_get_for_user(user, slug=slug, pk=pk)
    if not is_site_admin(user):
        gate.require_access(user, board, action="see the guidelines of")
    return board


def guideline_get_for_user(user, *, slug: str | None = None, pk: int | None = None) -> Guideline:
    return guideline_for_board(guideline_readable_board(user, slug=slug, pk=pk))


def guideline_rules(guideline: Guideline) -> list:
    return [rule.as_rule() for rule in guideline.rules.all()] if guideline.pk else []


def guideline_rules_by_kind(guideline: Guideline) -> dict[str, list]:
    """The board's rules (GuidelineRule rows) per kind, in the order they were added: one query."""
    by_kind: dict[str, list] = {}
    for rule in guideline.rules.all() if guideline.pk else []:
        by_kind.setdefault(rule.kind, []).append(rule)
    return by_kind


def guideline_rule_get(guideline: Guideline, rule_id: int):
    """One rule of these guidelines, or 404."""
    rule = guideline.rules.filter(pk=rule_id).first() if guideline.pk else None
    if rule is None:
        raise Http404("No such rule on this board.")
    return rule


def guideline_versions(guideline: Guideline):
    return guideline.versions.select_related("author") if guideline.pk else []


def role_for_checks(user, board: Board) -> str | None:
    """The author's role as the checks see it; a site admin writes as the brand, like a manager."""
    role = board_role(user, board)
    return "manager" if role == SITE_ADMIN else role


def guideline_check(
    guideline: Guideline, *, title: str = "", body: str = "", variants: dict | None = None, author_role=None
) -> CheckReport:
    """The problems the board's rules find (the first few per rule, with the total): pages, API and submit.

    Text no draft could hold is refused (ValidationError naming the field and its limit), not checked.
    """
    limits.require_draft_text_within(title=title, body=body, variants=variants)
    parts = TextParts(title=title or "", body=body or "", variants=dict(variants or {}), author_role=author_role)
    return check_text(guideline_rules(guideline), parts)


def guideline_panel(user, board: Board) -> dict:
    """Template context for the guidelines beside the draft editor; empty for a user who may not read them."""
    if not is_site_admin(user) and gate.is_gated(user, board):
        return {}
    guideline = guideline_for_board(board)
    return {"guideline": guideline, "guideline_rules": list(guideline.rules.all()) if guideline.pk else []}
