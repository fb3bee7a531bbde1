import difflib

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django_fsm import can_proceed, has_transition_perm

from contributors.permissions import is_site_admin
from contributors.roles import REVIEW, VIEW
from contributors.selectors import boards_with_perm
from drafts.models import Draft, DraftRevision


def drafts_for_user(user) -> QuerySet[Draft]:
    """Every draft the user may see: all drafts on boards they review, their own on boards they write for.

    Built from subqueries (no JOIN + DISTINCT), so it stays one cheap query however many boards.
    """
    if is_site_admin(user):
        return Draft.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return Draft.objects.none()
    own = Q(author=user) | Q(Exists(Draft.coauthors.through.objects.filter(draft_id=OuterRef("pk"), user_id=user.pk)))
    reviewed_boards = boards_with_perm(user, REVIEW).values("pk")
    member_boards = boards_with_perm(user, VIEW).values("pk")
    return Draft.objects.filter(Q(board__in=reviewed_boards) | (Q(board__in=member_boards) & own))


def draft_list_for_user(user, *, board=None, state: str | None = None) -> QuerySet[Draft]:
    drafts = drafts_for_user(user)
    if board is not None:
        drafts = drafts.filter(board=board)
    if state:
        drafts = drafts.filter(state=state)
    return drafts.select_related("board", "author").prefetch_related("coauthors")


def draft_get_for_user(user, pk: int, *, for_update: bool = False) -> Draft:
    """The draft, or 404 for anyone who may not see it (they cannot tell it exists)."""
    drafts = drafts_for_user(user).select_related("board", "author")
    if for_update:
        drafts = drafts.select_for_update(of=("self",))
    draft = drafts.filter(pk=pk).first()
    if draft is None:
        raise Http404("No such draft.")
    return draft


def transition_names() -> list[str]:
    return [t.name for t in Draft._meta.get_field("state").get_all_transitions(Draft)]


def human_transition_names() -> list[str]:
    """Transitions a person can take (publishing outcomes are reported by workers only)."""
    names = []
    for t in Draft._meta.get_field("state").get_all_transitions(Draft):
        if not t.custom.get("system") and t.name not in names:
            names.append(t.name)
    return names


def draft_available_transitions(draft: Draft, user) -> list[str]:
    """Exactly the transitions this user may take on this draft now (drives the buttons)."""
    return [
        name
        for name in human_transition_names()
        if can_proceed(getattr(draft, name)) and has_transition_perm(getattr(draft, name), user)
    ]


def revision_get(draft: Draft, number: int) -> DraftRevision:
    revision = draft.revisions.filter(number=number).first()
    if revision is None:
        raise Http404(f"Draft {draft.pk} has no revision {number}.")
    return revision


def revision_pair(draft: Draft, *, from_number: int | None, to_number: int | None):
    """The two revisions to compare; by default the latest one and the one before it."""
    if to_number is None:
        to_number = draft.revisions.order_by("-number").values_list("number", flat=True).first() or 1
    if from_number is None:
        from_number = max(1, to_number - 1)
    return revision_get(draft, from_number), revision_get(draft, to_number)


def _revision_lines(revision: DraftRevision) -> list[str]:
    lines = [f"# {revision.title}", ""]
    lines += revision.body.splitlines()
    if revision.tags:
        lines += ["", "Tags: " + ", ".join(revision.tags)]
    for channel, text in sorted(revision.variants.items()):
        lines += ["", f"[{channel}]"] + text.splitlines()
    return lines


def revision_diff(old: DraftRevision, new: DraftRevision) -> list[str]:
    """Unified diff of title, body, tags and variants between two revisions."""
    return list(
        difflib.unified_diff(
            _revision_lines(old),
            _revision_lines(new),
            fromfile=f"revision {old.number}",
            tofile=f"revision {new.number}",
            lineterm="",
        )
    )
