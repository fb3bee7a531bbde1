"""Reads of a draft's internal deadline ("due for review by Friday")."""

from drafts.models import Draft
from drafts.planning.models import Deadline
from drafts.rules import can_review


def deadline_of(draft: Draft) -> Deadline | None:
    """The draft's deadline, or None: one query (or none, when the caller loaded it with the draft)."""
    try:
        return draft.deadline
    except Deadline.DoesNotExist:
        return None


def may_set_deadline(draft: Draft, user) -> bool:
    """The board's reviewers and managers (and site admins) set and clear deadlines."""
    return can_review(draft, user)
