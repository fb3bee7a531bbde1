"""Who may take which transition: the permission callables the workflow declares.

django-fsm calls them as (draft, user). They must be cheap and free of side effects; board permissions
come from contributors.permissions, which caches them per user.
"""

from contributors.permissions import has_board_perm
from contributors.roles import CONTRIBUTE, MANAGE, REVIEW


def is_author(draft, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if draft.author_id == user.pk:
        return True
    # Use the prefetched co-authors when the caller loaded them.
    return any(coauthor.pk == user.pk for coauthor in draft.coauthors.all())


def can_contribute(draft, user) -> bool:
    return user is not None and has_board_perm(user, draft.board, CONTRIBUTE)


def can_review(draft, user) -> bool:
    return user is not None and has_board_perm(user, draft.board, REVIEW)


def can_manage(draft, user) -> bool:
    return user is not None and has_board_perm(user, draft.board, MANAGE)


def can_submit(draft, user) -> bool:
    return (is_author(draft, user) and can_contribute(draft, user)) or can_manage(draft, user)


def can_request_changes(draft, user) -> bool:
    return can_review(draft, user)


def can_approve(draft, user) -> bool:
    """Reviewers approve, never their own draft, and only once per review round."""
    if not can_review(draft, user) or is_author(draft, user):
        return False
    return not draft.approvals.filter(reviewer=user, review_round=draft.review_round).exists()


def can_archive(draft, user) -> bool:
    return can_manage(draft, user) or (is_author(draft, user) and can_contribute(draft, user))


def can_schedule(draft, user) -> bool:
    return can_manage(draft, user)


def system_only(draft, user) -> bool:
    """Publishing outcomes are reported by the publishing workers (actor None), never by a person."""
    return False


def can_set_coauthors(draft, user) -> bool:
    """The draft's own author invites co-authors (not a co-author); managers may too."""
    if user is None or not user.is_authenticated:
        return False
    return (draft.author_id == user.pk and can_contribute(draft, user)) or can_manage(draft, user)


def can_edit(draft, user) -> bool:
    """Content is frozen once submitted: to change it, a reviewer asks for changes."""
    from drafts.models import DraftState

    if draft.state != DraftState.DRAFT:
        return False
    return (is_author(draft, user) and can_contribute(draft, user)) or can_review(draft, user)


def can_see_all_drafts(draft, user) -> bool:
    return can_review(draft, user)
