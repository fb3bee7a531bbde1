import difflib

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django_fsm import can_proceed, has_transition_perm

from contributors.agreements.gate import gated_board_ids, require_access
from contributors.models import Board
from contributors.permissions import is_site_admin
from contributors.roles import REVIEW, VIEW
from contributors.selectors import board_ids_with_perm
from drafts.models import Draft, DraftImage, DraftRevision


def drafts_for_user(user, *, gated: bool = True) -> QuerySet[Draft]:
    """Every draft the user may see: all drafts on boards they review, their own on boards they write for.

    Built from subqueries (no JOIN + DISTINCT), so it stays one cheap query however many boards. The outer
    condition is "on a board the user can see" (a semi-join PostgreSQL drives through the board indexes);
    the reviewer/author rule is then checked per draft: R or (M and own) == (M or R) and (R or own).
    Boards the agreement gate keeps the user off are left out; gated=False only to explain a refusal.
    """
    if is_site_admin(user):
        return Draft.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return Draft.objects.none()
    own = Q(author=user) | Q(Exists(Draft.coauthors.through.objects.filter(draft_id=OuterRef("pk"), user_id=user.pk)))
    visible_boards = board_ids_with_perm(user, VIEW, REVIEW)
    reviewed_boards = board_ids_with_perm(user, REVIEW)
    drafts = Draft.objects.filter(Q(board__in=visible_boards), Q(board__in=reviewed_boards) | own)
    # Until the user accepts what their role on a board requires, its drafts are not there for them. The
    # gate is worked out first (a few queries, however many drafts) and excluded as a plain list: as a
    # subquery it made the list's SQL so deep that compiling it doubled the API's time per request.
    gated_ids = gated_board_ids(user) if gated else set()
    return drafts.exclude(board_id__in=gated_ids) if gated_ids else drafts


def _with_list_relations(drafts: QuerySet[Draft], *, images: bool = False) -> QuerySet[Draft]:
    drafts = drafts.select_related("board", "author").prefetch_related("coauthors")
    return drafts.prefetch_related("images") if images else drafts


def draft_list_for_user(user, *, board=None, state: str | None = None, images: bool = False) -> QuerySet[Draft]:
    """images=True prefetches each draft's images (one query per page), for lists that show them."""
    drafts = drafts_for_user(user)
    if board is not None:
        drafts = drafts.filter(board=board)
    if state:
        drafts = drafts.filter(state=state)
    return _with_list_relations(drafts, images=images)


def draft_list_page(page: QuerySet[Draft], *, images: bool = False) -> QuerySet[Draft]:
    """One page of a draft list, loaded as a "deferred join" (still one statement).

    `page` is a sliced draft_list_for_user() queryset. Only the ids are selected under its ORDER BY ... LIMIT
    (an index-only scan of the board indexes, which include author_id), then just those rows are read.
    Reading whole rows for every visible draft before sorting costs one heap page per draft: over 100 ms
    for a reviewer of 20 boards with 10,000 drafts.
    """
    ordering = page.query.order_by or Draft._meta.ordering or ()
    ids = page.prefetch_related(None).values("pk")
    return _with_list_relations(Draft.objects.filter(pk__in=ids), images=images).order_by(*ordering)


def draft_get_for_user(user, pk: int, *, for_update: bool = False) -> Draft:
    """The draft, or 404 for anyone who may not see it (they cannot tell it exists)."""
    drafts = drafts_for_user(user).select_related("board", "author")
    if for_update:
        drafts = drafts.select_for_update(of=("self",))
    draft = drafts.filter(pk=pk).first()
    if draft is None:
        _refuse_if_gated(user, pk)
        raise Http404("No such draft.")
    return draft


def draft_image_get(draft: Draft, image_id: int) -> DraftImage:
    """One image of a draft the caller already loaded through draft_get_for_user; 404 otherwise."""
    image = DraftImage.objects.filter(draft=draft, pk=image_id).first()
    if image is None:
        raise Http404("No such image.")
    image.draft = draft
    return image


def _refuse_if_gated(user, pk: int) -> None:
    """A draft hidden only by an unsigned agreement: 403 naming the agreement (the board is no secret)."""
    board_id = drafts_for_user(user, gated=False).filter(pk=pk).values_list("board_id", flat=True).first()
    if board_id is not None and board_id in gated_board_ids(user):
        require_access(user, Board.objects.get(pk=board_id))


def transition_names() -> list[str]:
    """Each transition once (django-fsm lists a transition once per source state)."""
    return list(dict.fromkeys(t.name for t in Draft._meta.get_field("state").get_all_transitions(Draft)))


def human_transition_names() -> list[str]:
    """Transitions a person can take (publishing outcomes are reported by workers only)."""
    transitions = Draft._meta.get_field("state").get_all_transitions(Draft)
    return list(dict.fromkeys(t.name for t in transitions if not t.custom.get("system")))


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
    if revision.images:
        lines += ["", "Images:"]
        lines += [
            f"{n}. {image['sha256'][:12]} alt: {image['alt_text'] or '(none)'}"
            for n, image in enumerate(revision.images, start=1)
        ]
    return lines


def revision_diff(old: DraftRevision, new: DraftRevision) -> list[str]:
    """Unified diff of title, body, tags, variants and images between two revisions."""
    return list(
        difflib.unified_diff(
            _revision_lines(old),
            _revision_lines(new),
            fromfile=f"revision {old.number}",
            tofile=f"revision {new.number}",
            lineterm="",
        )
    )
