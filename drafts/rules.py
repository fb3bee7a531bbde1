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
    """Reviewers approve, once per review round, only what they did not write: not their own draft, and not a
    round they wrote a revision of (a manager who edits, submits and approves alone is not a second pair of
    eyes; nor is a co-author dropped from the list after editing)."""
    if not can_review(draft, user) or is_author(draft, user):
        return False
    if wrote_round_under_review(draft, user):
        return False
    return not draft.approvals.filter(reviewer=user, review_round=draft.review_round).exists()


def wrote_round_under_review(draft, user) -> bool:
    """Whether `user` saved a revision of the content submitted in the draft's current review round.

    Revisions older than the review_round field have none and count for every round: stricter, never laxer.
    """
    from django.db.models import Q

    return draft.revisions.filter(Q(review_round=draft.review_round) | Q(review_round=None), author=user).exists()


def can_archive(draft, user) -> bool:
    return can_manage(draft, user) or (is_author(draft, user) and can_contribute(draft, user))


def can_schedule(draft, user) -> bool:
    return can_manage(draft, user)


def system_only(draft, user) -> bool:
    """Publishing outcomes are reported by the publishing workers (actor None), never by a person."""
    return False


def can_set_coauthors(draft, user) -> bool:
    """The draft's own author invites co-authors (not a co-author); managers may too. Only while it is a draft:
    who wrote a submitted round is settled, or a writer could be taken off the list to approve it."""
    from drafts.models import DraftState

    if user is None or not user.is_authenticated or draft.state != DraftState.DRAFT:
        return False
    return (draft.author_id == user.pk and can_contribute(draft, user)) or can_manage(draft, user)


def can_edit(draft, user) -> bool:
    """Content is frozen once submitted: to change it, a reviewer asks for changes."""
    from drafts.models import DraftState

    if draft.state != DraftState.DRAFT:
        return False
    return (is_author(draft, user) and can_contribute(draft, user)) or can_review(draft, user)


def can_set_pillars(draft, user) -> bool:
    """Content pillars are planning metadata, not content: whoever may edit the draft chooses them, and the
    board's managers may in any state but archived (the approved text, and what the platforms get, stay)."""
    from drafts.models import DraftState

    if user is None or not user.is_authenticated:
        return False
    if can_edit(draft, user):
        return True
    return draft.state != DraftState.ARCHIVED and has_board_perm(user, draft.board, MANAGE)


def can_see_all_drafts(draft, user) -> bool:
    return can_review(draft, user)


def can_resolve_comment(comment, user) -> bool:
    """Whoever wrote the comment, the draft's authors (they act on it) and the board's reviewers (they run the
    review). Anyone else who may see the draft may still reply."""
    if user is None or not user.is_authenticated:
        return False
    draft = comment.draft
    return comment.author_id == user.pk or is_author(draft, user) or can_review(draft, user)
