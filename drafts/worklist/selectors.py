"""Reads for My work (`/`) and the review queue across boards (`/review/`, `/api/review-queue/`).

Each read starts from the boards the user holds a role on (contributors.selectors.board_ids_by_perm, one query)
minus the boards an unsigned agreement keeps them off, so nothing from another board, or from a board still to
be signed for, can show. Every section is a fixed number of queries, however long the history.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from cocreate.ids import MAX_ID
from cocreate.keyset import KeysetPage, keyset_page
from contributors.agreements.gate import gated_board_ids
from contributors.briefs.models import Brief, BriefClaim
from contributors.models import Board
from contributors.permissions import is_site_admin
from contributors.roles import CONTRIBUTE, MANAGE, REVIEW, VIEW
from contributors.selectors import board_ids_by_perm
from drafts.models import Draft, DraftApproval, DraftComment, DraftEvent, DraftState
from drafts.planning.pillar_selectors import pillars_attach
from publishing.models import Channel, Publication

# --- Due times ------------------------------------------------------------------------------------------------


def approved_due_hours() -> int:
    """How long an approved draft may wait to be scheduled before its managers are reminded."""
    return int(getattr(settings, "WORKLIST_APPROVED_DUE_HOURS", 72))


def review_due_at(draft: Draft, board: Board | None = None) -> datetime:
    """When a draft in review becomes overdue: the board's review_due_hours after it was submitted."""
    board = board or draft.board
    return draft.state_since + timedelta(hours=board.review_due_hours)


def is_overdue(draft: Draft, *, now: datetime, board: Board | None = None) -> bool:
    """In review past the board's due time, or approved and not scheduled for approved_due_hours()."""
    board = board or draft.board
    if draft.state == DraftState.REVIEW:
        return review_due_at(draft, board) <= now
    if draft.state == DraftState.APPROVED:
        return draft.state_since + timedelta(hours=approved_due_hours()) <= now
    return False


# --- Which boards ---------------------------------------------------------------------------------------------


@dataclass
class Boards:
    """The user's boards for these pages, read once per request."""

    viewable: set[int]
    contributed: set[int]
    reviewed: set[int]
    managed: set[int]
    gated: set[int]
    by_id: dict[int, Board] = field(default_factory=dict)

    @property
    def open_reviewed(self) -> list[int]:
        return sorted(self.reviewed - self.gated)


def user_boards(user) -> Boards:
    """The user's boards by permission, the gated ones, and the Board rows (three queries at most)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Boards(set(), set(), set(), set(), set())
    if is_site_admin(user):
        by_id = {board.pk: board for board in Board.objects.all()}
        every = set(by_id)
        return Boards(every, every, every, every, set(), by_id)
    held = board_ids_by_perm(user, VIEW, CONTRIBUTE, REVIEW, MANAGE)
    visible = held[VIEW] | held[REVIEW]
    gated = gated_board_ids(user, viewable_board_ids=held[VIEW]) if visible else set()
    by_id = Board.objects.in_bulk(sorted(visible)) if visible else {}
    return Boards(held[VIEW], held[CONTRIBUTE], held[REVIEW], held[MANAGE], gated & visible, by_id)


def _own(user) -> Q:
    return Q(author=user) | Q(Exists(Draft.coauthors.through.objects.filter(draft_id=OuterRef("pk"), user_id=user.pk)))


# --- The review queue -----------------------------------------------------------------------------------------

QUEUE_STATES = {
    # name: (label, the rows)
    "review": ("In review", Q(state=DraftState.REVIEW)),
    "approved": ("Approved, not scheduled", Q(state=DraftState.APPROVED)),
    "changes": ("Changes requested", Q(state=DraftState.DRAFT, changes_requested=True)),
}
QUEUE_SORTS = {
    # name: (label, keyset key, descending, key is a time)
    "oldest": ("Oldest first", "state_since", False, True),
    "newest": ("Newest first", "state_since", True, True),
    "title": ("Title", "title", False, False),
}
QUEUE_WAITING = {
    "": "Any time",
    "1d": "More than a day",
    "2d": "More than 2 days",
    "7d": "More than a week",
    "overdue": "Overdue",
}
QUEUE_PAGE_SIZE = 25


@dataclass(frozen=True)
class QueueFilters:
    state: str = "review"
    board: int | None = None
    author: int | None = None
    tag: str = ""
    channel: str = ""  # a channel kind (mastodon, linkedin...): drafts on boards that publish there
    waiting: str = ""
    sort: str = "oldest"


def _id_or_none(raw, name: str) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: f"{name} must be a number (an id)."}) from None
    if not 0 < value <= MAX_ID:
        raise ValidationError({name: f"{name} is not a valid id."})
    return value


def queue_filters_parse(params) -> QueueFilters:
    """The queue's filters from a query string (page and API alike); a ValidationError naming a bad one."""
    state = params.get("state") or "review"
    if state not in QUEUE_STATES:
        raise ValidationError({"state": f"state must be one of {', '.join(QUEUE_STATES)}."})
    sort = params.get("sort") or "oldest"
    if sort not in QUEUE_SORTS:
        raise ValidationError({"sort": f"sort must be one of {', '.join(QUEUE_SORTS)}."})
    waiting = params.get("waiting") or ""
    if waiting not in QUEUE_WAITING:
        raise ValidationError({"waiting": f"waiting must be one of {', '.join(k for k in QUEUE_WAITING if k)}."})
    tag = (params.get("tag") or "").strip()
    channel = (params.get("channel") or "").strip()
    if len(tag) > 100 or len(channel) > 20:
        raise ValidationError({"tag" if len(tag) > 100 else "channel": "Too long."})
    return QueueFilters(
        state=state,
        board=_id_or_none(params.get("board"), "board"),
        author=_id_or_none(params.get("author"), "author"),
        tag=tag,
        channel=channel,
        waiting=waiting,
        sort=sort,
    )


def _queue_base(user, boards: Boards, filters: QueueFilters, *, now: datetime) -> QuerySet[Draft]:
    """Drafts in the filters' state on the boards the user reviews (not gated), with the other filters."""
    board_ids = boards.open_reviewed
    if filters.board is not None:
        board_ids = [pk for pk in board_ids if pk == filters.board]
    if filters.channel:
        board_ids = sorted(
            set(
                Channel.objects.filter(board_id__in=board_ids, kind=filters.channel, is_active=True).values_list(
                    "board_id", flat=True
                )
            )
        )
    if not board_ids:
        return Draft.objects.none()
    drafts = Draft.objects.filter(QUEUE_STATES[filters.state][1], board_id__in=board_ids)
    if filters.state == "review":
        drafts = drafts.exclude(_own(user))  # nobody reviews their own draft: it is not waiting for them
    if filters.author is not None:
        drafts = drafts.filter(author_id=filters.author)
    if filters.tag:
        # The JSON list's text holds the tag in quotes: the same on SQLite and PostgreSQL.
        drafts = drafts.filter(tags__icontains=json.dumps(filters.tag))
    if filters.waiting == "overdue":
        if filters.state == "review":
            due = Q()
            for pk in board_ids:
                due |= Q(board_id=pk, state_since__lte=now - timedelta(hours=boards.by_id[pk].review_due_hours))
            drafts = drafts.filter(due)
        elif filters.state == "approved":
            drafts = drafts.filter(state_since__lte=now - timedelta(hours=approved_due_hours()))
        else:
            drafts = drafts.none()
    elif filters.waiting:
        days = {"1d": 1, "2d": 2, "7d": 7}[filters.waiting]
        drafts = drafts.filter(state_since__lte=now - timedelta(days=days))
    return drafts


@dataclass
class QueueRow:
    draft: Draft
    board: Board
    approvals: int
    required: int
    approved_by_me: bool
    overdue: bool
    due_at: datetime | None
    reason: str = ""

    @property
    def approval_label(self) -> str:
        return f"approved by {self.approvals} of {self.required}"


@dataclass
class QueuePage:
    rows: list[QueueRow]
    page: KeysetPage
    filters: QueueFilters
    state_counts: dict[str, int]
    board_counts: list[tuple[Board, int]]
    reviews_any_board: bool
    gated_boards: list[Board]


def _queue_rows(user, drafts: list[Draft], boards: Boards, *, now: datetime) -> list[QueueRow]:
    """The page's drafts with their approvals this round and whether the user gave one (one query)."""
    approvals: dict[int, int] = {}
    mine: set[int] = set()
    if drafts:
        rounds = Q()
        for draft in drafts:
            rounds |= Q(draft_id=draft.pk, review_round=draft.review_round)
        for draft_id, reviewer_id in DraftApproval.objects.filter(rounds).values_list("draft_id", "reviewer_id"):
            approvals[draft_id] = approvals.get(draft_id, 0) + 1
            if reviewer_id == user.pk:
                mine.add(draft_id)
    rows = []
    for draft in drafts:
        board = boards.by_id.get(draft.board_id) or draft.board
        draft.board = board
        rows.append(
            QueueRow(
                draft=draft,
                board=board,
                approvals=approvals.get(draft.pk, 0),
                required=board.required_approvals,
                approved_by_me=draft.pk in mine,
                overdue=is_overdue(draft, now=now, board=board),
                due_at=review_due_at(draft, board) if draft.state == DraftState.REVIEW else None,
                reason=getattr(draft, "reason", "") or "",
            )
        )
    return rows


def _with_reason(drafts: QuerySet[Draft]) -> QuerySet[Draft]:
    """Each draft with why it was last sent back (the request_changes event's comment)."""
    latest = DraftEvent.objects.filter(draft=OuterRef("pk"), transition="request_changes").order_by(
        "-created_at", "-id"
    )
    return drafts.annotate(reason=Subquery(latest.values("comment")[:1]))


def review_queue_page(
    user,
    filters: QueueFilters,
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = QUEUE_PAGE_SIZE,
    now: datetime | None = None,
    boards: Boards | None = None,
    counts: bool = True,
) -> QueuePage:
    """One page of the queue in the filters' order (keyset on the (state, state_since, id) index), with the
    counts per state and per board (one GROUP BY). A fixed number of queries, whatever the number of drafts."""
    now = now or timezone.now()
    boards = boards or user_boards(user)
    drafts = _queue_base(user, boards, filters, now=now).select_related("author")
    if filters.state == "changes":
        drafts = _with_reason(drafts)
    _label, key, descending, key_is_time = QUEUE_SORTS[filters.sort]
    page = keyset_page(
        drafts, key=key, descending=descending, size=size, after=after, before=before, key_is_time=key_is_time
    )
    rows = _queue_rows(user, page.rows, boards, now=now)
    state_counts: dict[str, int] = {name: 0 for name in QUEUE_STATES}
    board_counts: list[tuple[Board, int]] = []
    if counts and boards.open_reviewed:
        per_board: dict[int, int] = {}
        every_state = Q()
        for _name, (_label2, rows_q) in QUEUE_STATES.items():
            every_state |= rows_q
        grouped = (
            Draft.objects.filter(every_state, board_id__in=boards.open_reviewed)
            .exclude(Q(state=DraftState.REVIEW) & _own(user))
            .values("board_id", "state", "changes_requested")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in grouped:
            name = "changes" if row["state"] == DraftState.DRAFT else str(row["state"])
            if filters.board is None or row["board_id"] == filters.board:
                state_counts[name] += row["n"]
            if name == filters.state:
                per_board[row["board_id"]] = per_board.get(row["board_id"], 0) + row["n"]
        board_counts = sorted(
            ((boards.by_id[pk], per_board.get(pk, 0)) for pk in boards.open_reviewed),
            key=lambda item: (item[0].name.casefold(), item[0].pk),
        )
    return QueuePage(
        rows=rows,
        page=page,
        filters=filters,
        state_counts=state_counts,
        board_counts=board_counts,
        reviews_any_board=bool(boards.reviewed),
        gated_boards=sorted(
            (boards.by_id[pk] for pk in boards.gated & boards.reviewed if pk in boards.by_id), key=lambda b: b.name
        ),
    )


def queue_authors(boards: Boards, *, limit: int = 200) -> list:
    """People who wrote drafts waiting on the user's reviewed boards, for the author filter (one query)."""
    from contributors.models import User

    if not boards.open_reviewed:
        return []
    waiting = Q()
    for _label, rows in QUEUE_STATES.values():
        waiting |= rows
    # Only the queue's states (each a range of the (state, state_since, ...) index), not every draft written.
    authors = Draft.objects.filter(waiting, board_id__in=boards.open_reviewed).values("author_id").distinct()
    return list(User.objects.filter(pk__in=authors).order_by("username")[:limit])


def queue_channel_kinds(boards: Boards) -> list[str]:
    if not boards.open_reviewed:
        return []
    kinds = Channel.objects.filter(board_id__in=boards.open_reviewed, is_active=True).values_list("kind", flat=True)
    return sorted(set(kinds))


# --- My work --------------------------------------------------------------------------------------------------

LATEST_PER_STATE = 3
ATTENTION_LIMIT = 8
MY_STATE_ORDER = ["changes", "draft", "review", "approved", "scheduled", "failed", "published", "archived"]
MY_STATE_LABELS = {
    "changes": "Changes requested",
    "draft": "Draft",
    "review": "In review",
    "approved": "Approved",
    "scheduled": "Scheduled",
    "failed": "Failed",
    "published": "Published",
    "archived": "Archived",
}


@dataclass
class StateGroup:
    name: str
    label: str
    count: int
    latest: list[Draft]
    by_board: list[tuple[Board, int]]  # where they are, for the links to each board's filtered list

    @property
    def more(self) -> bool:
        """More drafts in this state than the latest shown: the card links to the boards' lists."""
        return self.count > len(self.latest)


@dataclass
class MyWork:
    boards: Boards
    sent_back: list[Draft]
    commented: list[Draft]  # each with `open_comments` and `last_comment_at`
    to_review: QueuePage | None
    to_schedule: list[QueueRow]
    states: list[StateGroup]
    briefs: list[Brief]
    scheduled: list[Draft]  # each with `channel_publications`
    published: list[Draft]  # each with `channel_publications`
    gated_boards: list[Board]
    now: datetime

    @property
    def attention_count(self) -> int:
        waiting = len(self.to_review.rows) if self.to_review else 0
        return len(self.sent_back) + len(self.commented) + waiting + len(self.to_schedule)

    @property
    def draft_total(self) -> int:
        return sum(group.count for group in self.states)


def _state_name(state: str, changes_requested: bool) -> str:
    return "changes" if state == DraftState.DRAFT and changes_requested else str(state)


def my_work(user, *, now: datetime | None = None) -> MyWork:
    """Everything on My work, in a fixed number of queries (about fifteen) whatever the user's history."""
    now = now or timezone.now()
    boards = user_boards(user)
    open_boards = sorted((boards.viewable | boards.reviewed) - boards.gated)
    mine = Draft.objects.filter(_own(user), board_id__in=open_boards) if open_boards else Draft.objects.none()

    def attach_boards(drafts):
        for draft in drafts:
            draft.board = boards.by_id[draft.board_id]
        return drafts

    sent_back = attach_boards(
        list(
            _with_reason(mine.filter(state=DraftState.DRAFT, changes_requested=True))
            .annotate(
                sent_back_by=Subquery(
                    DraftEvent.objects.filter(draft=OuterRef("pk"), transition="request_changes")
                    .order_by("-created_at", "-id")
                    .values("actor__username")[:1]
                ),
                sent_back_by_name=Subquery(
                    DraftEvent.objects.filter(draft=OuterRef("pk"), transition="request_changes")
                    .order_by("-created_at", "-id")
                    .values("actor__display_name")[:1]
                ),
            )
            .order_by("-state_since", "-id")[:ATTENTION_LIMIT]
        )
    )
    others_open = DraftComment.objects.filter(draft=OuterRef("pk"), resolved_at=None).exclude(author=user)
    commented = attach_boards(
        list(
            mine.filter(state__in=[DraftState.DRAFT, DraftState.REVIEW])
            .filter(Exists(others_open))
            .annotate(
                open_comments=Count(
                    "comments", filter=Q(comments__resolved_at=None) & ~Q(comments__author=user), distinct=True
                ),
                last_comment_at=Subquery(others_open.order_by("-created_at").values("created_at")[:1]),
            )
            .order_by("-last_comment_at", "-id")[:ATTENTION_LIMIT]
        )
    )
    to_review = None
    if boards.open_reviewed:
        to_review = review_queue_page(user, QueueFilters(), size=5, now=now, boards=boards, counts=False)
        to_review.rows = [row for row in to_review.rows if not row.approved_by_me]
    to_schedule: list[QueueRow] = []
    managed = sorted(boards.managed - boards.gated)
    if managed:
        approved = list(
            Draft.objects.filter(state=DraftState.APPROVED, board_id__in=managed)
            .select_related("author")
            .order_by("state_since", "id")[:5]
        )
        to_schedule = _queue_rows(user, approved, boards, now=now)

    # My drafts by state: the counts per (board, state), and the latest few per state (one window query).
    counts = (
        mine.values("board_id", "state", "changes_requested").annotate(n=Count("pk")).order_by() if open_boards else []
    )
    by_state: dict[str, dict[int, int]] = {}
    for row in counts:
        name = _state_name(row["state"], row["changes_requested"])
        by_state.setdefault(name, {})
        by_state[name][row["board_id"]] = by_state[name].get(row["board_id"], 0) + row["n"]
    latest: dict[str, list[Draft]] = {}
    if by_state:
        ranked = mine.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("state"), F("changes_requested")],
                order_by=[F("updated_at").desc(), F("id").desc()],
            )
        ).order_by("-updated_at", "-id")
        for draft in ranked.filter(rank__lte=LATEST_PER_STATE):
            draft.board = boards.by_id[draft.board_id]
            latest.setdefault(_state_name(draft.state, draft.changes_requested), []).append(draft)
    states = [
        StateGroup(
            name=name,
            label=MY_STATE_LABELS[name],
            count=sum(by_state[name].values()),
            latest=latest.get(name, []),
            by_board=sorted(
                ((boards.by_id[pk], n) for pk, n in by_state[name].items()), key=lambda item: item[0].name.casefold()
            ),
        )
        for name in MY_STATE_ORDER
        if name in by_state
    ]

    # Open briefs on boards I write for that I could still take.
    briefs: list[Brief] = []
    writable = sorted(boards.contributed - boards.gated)
    if writable:
        briefs = list(
            Brief.objects.filter(board_id__in=writable, closed_at=None, deadline__gt=now)
            .exclude(Exists(BriefClaim.objects.filter(brief=OuterRef("pk"), contributor=user)))
            .annotate(claim_count=Count("claims"))
            .filter(claim_count__lt=F("max_claims"))
            .order_by("deadline", "id")[:5]
        )
        for brief in briefs:
            brief.board = boards.by_id[brief.board_id]

    scheduled = attach_boards(
        list(
            mine.filter(state=DraftState.SCHEDULED, publish_at__lte=now + timedelta(days=7)).order_by(
                "publish_at", "id"
            )[:10]
        )
    )
    published = attach_boards(list(mine.filter(state=DraftState.PUBLISHED).order_by("-state_since", "-id")[:5]))
    shown = {draft.pk: draft for draft in scheduled + published}
    for draft in shown.values():
        draft.channel_publications = []
    if shown:
        for publication in (
            Publication.objects.filter(draft_id__in=shown).select_related("channel").order_by("due_at", "id")
        ):
            shown[publication.draft_id].channel_publications.append(publication)
        # What goes out and went out, with its content pillars: one query for both lists.
        pillars_attach(shown.values())
    return MyWork(
        boards=boards,
        sent_back=sent_back,
        commented=commented,
        to_review=to_review,
        to_schedule=to_schedule,
        states=states,
        briefs=briefs,
        scheduled=scheduled,
        published=published,
        gated_boards=sorted((boards.by_id[pk] for pk in boards.gated if pk in boards.by_id), key=lambda b: b.name),
        now=now,
    )
