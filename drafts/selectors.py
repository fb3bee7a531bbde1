import difflib
from dataclasses import dataclass

from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django_fsm import can_proceed, has_transition_perm

from cocreate.keyset import KeysetPage, keyset_page
from contributors.agreements.gate import gated_board_ids, require_access
from contributors.models import Board
from contributors.permissions import board_permissions, is_site_admin
from contributors.roles import REVIEW, VIEW
from contributors.selectors import board_ids_by_perm, board_ids_with_perm
from drafts import anchoring, rules
from drafts.models import Draft, DraftApproval, DraftComment, DraftEvent, DraftImage, DraftRevision, DraftState
from drafts.planning.pillar_selectors import pillars_attach


def drafts_for_user(user, *, gated: bool = True) -> QuerySet[Draft]:
    """Every draft the user may see: all drafts on boards they review, their own on boards they write for.

    One query reads the user's boards; the drafts are then one query however many boards, with the boards
    as lists of ids (no JOIN + DISTINCT). The outer condition is "on a board the user can see" (PostgreSQL
    drives it through the board indexes); the reviewer/author rule is then checked per draft:
    R or (M and own) == (M or R) and (R or own). As subqueries, the boards were compiled again for the
    COUNT and for the page, which cost Django more than PostgreSQL took to run the whole list.
    Boards the agreement gate keeps the user off are left out; gated=False only to explain a refusal.
    """
    if is_site_admin(user):
        return Draft.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return Draft.objects.none()
    held = board_ids_by_perm(user, VIEW, REVIEW)
    return _drafts_on_boards(user, viewable=held[VIEW], reviewed=held[REVIEW], gated=gated)


def _draft_lookup_for_user(user, *, gated: bool = True) -> QuerySet[Draft]:
    """drafts_for_user's drafts with the boards as subqueries: for looking up one draft, where they are
    compiled once and reading the boards first would be a query more."""
    if is_site_admin(user) or user is None or not user.is_authenticated or not user.is_active:
        return drafts_for_user(user, gated=gated)
    own = Q(author=user) | Q(Exists(Draft.coauthors.through.objects.filter(draft_id=OuterRef("pk"), user_id=user.pk)))
    drafts = Draft.objects.filter(
        Q(board__in=board_ids_with_perm(user, VIEW, REVIEW)), Q(board__in=board_ids_with_perm(user, REVIEW)) | own
    )
    gated_ids = gated_board_ids(user) if gated else set()
    return drafts.exclude(board_id__in=gated_ids) if gated_ids else drafts


def _drafts_on_board(user, board: Board) -> QuerySet[Draft]:
    """drafts_for_user's drafts on one board, from the user's permissions on it (cached on the user: the
    board's page has loaded them already), so the user's other boards need not be read."""
    if is_site_admin(user):
        return Draft.objects.filter(board=board)
    held = board_permissions(user, board)
    viewable = {board.pk} if VIEW in held else set()
    reviewed = {board.pk} if REVIEW in held else set()
    return _drafts_on_boards(user, viewable=viewable, reviewed=reviewed, gated=True).filter(board=board)


def _drafts_on_boards(user, *, viewable: set[int], reviewed: set[int], gated: bool) -> QuerySet[Draft]:
    """drafts_for_user's rule, given the boards the user holds view_board and review_board on."""
    visible = viewable | reviewed
    # Until the user accepts what their role on a board requires, its drafts are not there for them (a few
    # queries, however many drafts).
    if gated and visible:
        visible -= gated_board_ids(user, viewable_board_ids=viewable)
    if not visible:
        return Draft.objects.none()
    reviewed = reviewed & visible
    own = Q(author=user) | Q(Exists(Draft.coauthors.through.objects.filter(draft_id=OuterRef("pk"), user_id=user.pk)))
    reviewed_or_own = Q(board_id__in=sorted(reviewed)) | own if reviewed else own
    return Draft.objects.filter(Q(board_id__in=sorted(visible)), reviewed_or_own)


def _with_list_relations(drafts: QuerySet[Draft], *, images: bool = False) -> QuerySet[Draft]:
    drafts = drafts.select_related("board", "author").prefetch_related("coauthors")
    return drafts.prefetch_related("images") if images else drafts


def draft_list_for_user(user, *, board=None, state: str | None = None, images: bool = False) -> QuerySet[Draft]:
    """images=True prefetches each draft's images (one query per page), for lists that show them."""
    drafts = _drafts_on_board(user, board) if isinstance(board, Board) else drafts_for_user(user)
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


def draft_list_rows(page: QuerySet[Draft], *, images: bool = False) -> list[Draft]:
    """One page of a draft list for the API: draft_list_page's rows, with what the list shows attached.

    Each draft gets `author_username`, `coauthor_ids` and (images=True) `image_list`, read in one query
    each for the whole page. Django's prefetch_related builds a related manager and a queryset per row,
    which cost more than the rest of the request's Python put together.
    """
    drafts: list[Draft] = list(
        draft_list_page(page)
        .prefetch_related(None)
        .select_related(None)
        .annotate(author_username=F("author__username"))
    )
    by_id = {draft.pk: draft for draft in drafts}
    for draft in drafts:
        draft.coauthor_ids = []
        if images:
            draft.image_list = []
    if not by_id:
        return drafts
    coauthors = Draft.coauthors.through.objects.filter(draft_id__in=by_id).order_by("pk")
    for draft_id, user_id in coauthors.values_list("draft_id", "user_id"):
        by_id[draft_id].coauthor_ids.append(user_id)
    if images:
        for image in DraftImage.objects.filter(draft_id__in=by_id):
            by_id[image.draft_id].image_list.append(image)
    pillars_attach(drafts)
    return drafts


def draft_page_rows(page: QuerySet[Draft]) -> QuerySet[Draft]:
    """One page of a draft list for the pages: draft_list_page's rows with their author loaded and their
    co-authors (people) in `coauthor_list`, one query for the whole page (see draft_list_rows). Returned
    as the evaluated queryset, so the page's object_list still answers count() and the like."""
    drafts = draft_list_page(page).prefetch_related(None).select_related("author")
    by_id = {draft.pk: draft for draft in drafts}  # evaluates `drafts` once; iterating it again reads its cache
    for draft in by_id.values():
        draft.coauthor_list = []
    if by_id:
        coauthors = Draft.coauthors.through.objects.filter(draft_id__in=by_id).select_related("user").order_by("pk")
        for row in coauthors:
            by_id[row.draft_id].coauthor_list.append(row.user)
    pillars_attach(by_id.values())
    return drafts


def draft_get_for_user(user, pk: int, *, for_update: bool = False) -> Draft:
    """The draft, or 404 for anyone who may not see it (they cannot tell it exists)."""
    drafts = _draft_lookup_for_user(user).select_related("board", "author")
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
    board_id = _draft_lookup_for_user(user, gated=False).filter(pk=pk).values_list("board_id", flat=True).first()
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


# --- The review page ----------------------------------------------------------------------------------------


def comment_get(draft: Draft, comment_id: int) -> DraftComment:
    """One comment of a draft the caller already loaded through draft_get_for_user; 404 otherwise."""
    comment = DraftComment.objects.filter(draft=draft, pk=comment_id).select_related("author").first()
    if comment is None:
        raise Http404("No such comment.")
    comment.draft = draft
    return comment


def comment_threads(draft: Draft) -> QuerySet[DraftComment]:
    """The draft's threads (comments that are not replies) with their replies, in three queries however many."""
    replies = DraftComment.objects.select_related("author", "resolved_by").order_by("created_at", "id")
    return (
        draft.comments.filter(parent=None)
        .select_related("author", "resolved_by", "revision")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "id")
    )


def comment_threads_located(draft: Draft, threads=None) -> list[DraftComment]:
    """The threads, each with `.anchor`: where its passage is in the draft's text now (None: whole draft)."""
    text = anchoring.body_text(draft.body)
    located = list(comment_threads(draft) if threads is None else threads)
    for thread in located:
        thread.anchor = (
            anchoring.locate(
                text, quote=thread.quote, prefix=thread.prefix, suffix=thread.suffix, position=thread.position
            )
            if thread.quote
            else None
        )
    return located


# The draft page shows every open thread and only the most recently resolved ones: a draft with years of
# settled discussion costs no more to open than a new one. The rest are on their own page, a page at a time.
RESOLVED_SHOWN = 5
RESOLVED_PAGE_SIZE = 20


def comment_threads_shown(draft: Draft) -> tuple[list[DraftComment], int]:
    """The threads the draft page shows, located in its text: every open thread and the RESOLVED_SHOWN most
    recently resolved ones, in the order they were written; and how many resolved threads are left out."""
    threads = comment_threads(draft)
    open_threads = list(threads.filter(resolved_at=None))
    recent = list(threads.exclude(resolved_at=None).order_by("-resolved_at", "-id")[: RESOLVED_SHOWN + 1])
    left_out = 0
    if len(recent) > RESOLVED_SHOWN:
        recent = recent[:RESOLVED_SHOWN]
        left_out = draft.comments.filter(parent=None, resolved_at__isnull=False).count() - RESOLVED_SHOWN
    shown = sorted([*open_threads, *recent], key=lambda thread: (thread.created_at, thread.pk))
    return comment_threads_located(draft, shown), left_out


def resolved_threads_page(
    draft: Draft, *, after: str | None = None, before: str | None = None, size: int = RESOLVED_PAGE_SIZE
) -> KeysetPage:
    """A page of the draft's resolved threads, the latest resolved first (keyset on (resolved_at, id) in the
    draft's comment_draft_resolved index), each located in the text like the draft page's threads."""
    threads = comment_threads(draft).filter(resolved_at__isnull=False)
    page = keyset_page(
        threads, key="resolved_at", descending=True, size=size, after=after, before=before, key_is_time=True
    )
    page.rows = comment_threads_located(draft, page.rows)
    return page


HISTORY_PAGE_SIZE = 20


def draft_history_page(
    draft: Draft, *, after: str | None = None, before: str | None = None, size: int = HISTORY_PAGE_SIZE
) -> KeysetPage:
    """A page of the draft's events, latest first (keyset on its (draft, created_at) index: as fast for a
    draft with 10,000 events as for one with 3). The caller has loaded the draft for the user."""
    events = draft.events.select_related("actor")
    return keyset_page(
        events, key="created_at", descending=True, size=size, after=after, before=before, key_is_time=True
    )


def changes_request_for(draft: Draft) -> DraftEvent | None:
    """Why the draft was sent back, while it waits for those changes (None once it is submitted again)."""
    if not draft.changes_requested:
        return None
    return (
        draft.events.filter(transition="request_changes").select_related("actor").order_by("-created_at", "-id").first()
    )


def last_reviewed_revision(draft: Draft, user) -> DraftRevision | None:
    """The revision this reviewer last reviewed: the one current when they last approved, asked for changes on
    or commented on the draft. Without such a moment: the revision submitted in the previous review round (what
    the previous reviewers saw). None when there is nothing earlier to compare with."""
    moments = [
        DraftApproval.objects.filter(draft=draft, reviewer=user).aggregate(at=Max("created_at"))["at"],
        DraftEvent.objects.filter(draft=draft, actor=user, transition__in=["approve", "request_changes"]).aggregate(
            at=Max("created_at")
        )["at"],
        DraftComment.objects.filter(draft=draft, author=user).aggregate(at=Max("created_at"))["at"],
    ]
    moments = [moment for moment in moments if moment is not None]
    revisions = draft.revisions.order_by("-number")
    if moments:
        revision = revisions.filter(created_at__lte=max(moments)).first()
        if revision is not None:
            return revision
    if draft.review_round > 1:
        return revisions.filter(review_round__lt=draft.review_round).first()
    return None


@dataclass(frozen=True)
class QueuePlace:
    """Where a draft sits in the user's review queue on its board (1-based position; 0: not in the queue)."""

    position: int
    total: int
    previous_id: int | None
    next_id: int | None


def review_queue(user, board) -> QuerySet[Draft]:
    """Drafts in review on `board` that `user` may review, oldest submission first (a stable order): not their
    own, and not ones they already approved in this round."""
    if user is None or not user.is_authenticated or not rules.can_review(Draft(board=board), user):
        return Draft.objects.none()
    own = Q(author=user) | Q(Exists(Draft.coauthors.through.objects.filter(draft_id=OuterRef("pk"), user_id=user.pk)))
    approved = DraftApproval.objects.filter(draft=OuterRef("pk"), reviewer=user, review_round=OuterRef("review_round"))
    submitted = (
        DraftEvent.objects.filter(draft=OuterRef("pk"), transition="submit")
        .order_by("-created_at")
        .values("created_at")
    )
    return (
        _drafts_on_board(user, board)
        .filter(state=DraftState.REVIEW)
        .exclude(own)
        .exclude(Exists(approved))
        .annotate(submitted_at=Subquery(submitted[:1]))
        .order_by("submitted_at", "id")
    )


def review_queue_place(draft: Draft, user) -> QueuePlace:
    ids = list(review_queue(user, draft.board).values_list("pk", flat=True))
    if draft.pk not in ids:
        return QueuePlace(0, len(ids), None, ids[0] if ids else None)
    at = ids.index(draft.pk)
    return QueuePlace(at + 1, len(ids), ids[at - 1] if at > 0 else None, ids[at + 1] if at + 1 < len(ids) else None)


def revisions_to_compare(draft: Draft, user, *, from_number: int | None, to_number: int | None):
    """(older, newer, the revision this reviewer last reviewed or None). With neither number given, a reviewer
    compares the revision they last reviewed (or the previous round's) with the latest; anyone else, the latest
    with the one before it."""
    since_review = None
    if from_number is None and to_number is None and rules.can_review(draft, user):
        since_review = last_reviewed_revision(draft, user)
        from_number = since_review.number if since_review is not None else None
    old, new = revision_pair(draft, from_number=from_number, to_number=to_number)
    return old, new, since_review
