"""Reads for the calendar: the posts, notes and deadlines of the boards a person may see, in a window of days.

Everything is read in a fixed number of queries however many posts the window holds (the boards and what
the person holds on them, the posts, their pillars, their publications, the notes, the deadlines), and each
time is given both in UTC and as the wall-clock time of its board's zone, with the zone's abbreviation: a
post at 09:00 in Copenhagen is at 09:00 on the calendar in October's summer time and in November's winter
time alike.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from contributors.agreements.gate import gated_board_ids
from contributors.models import Board
from contributors.permissions import is_site_admin
from contributors.roles import MANAGE, VIEW
from contributors.selectors import board_ids_by_perm
from drafts.models import DraftState
from drafts.planning.models import CalendarNote, Deadline, Pillar
from drafts.selectors import drafts_for_user
from publishing.models import ChannelKind, Publication, PublicationState

MAX_DAYS = 62  # a month view with the days of the weeks around it, and some
MAX_POSTS = 5000  # a window holding more is cut (and says so): 2,000 a month is the busiest we plan for
MAX_UNSCHEDULED = 50
FIRST_YEAR, LAST_YEAR = 1900, 2999  # a calendar's reach (year 1 or 9999 would overflow the UTC bounds)
CALENDAR_STATES = (DraftState.SCHEDULED, DraftState.PUBLISHED, DraftState.FAILED)
# Publications that no longer move with the post: it has gone out, or is going out right now.
STARTED = (PublicationState.SENDING, PublicationState.PUBLISHED)


@dataclass(frozen=True)
class CalendarBoard:
    pk: int
    name: str
    slug: str
    time_zone: str
    may_move: bool  # the person may reschedule its posts (the schedule transition's permission: managers)
    zone: ZoneInfo = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "zone", zone_of(self.time_zone))


@dataclass
class CalendarPost:
    pk: int
    board: CalendarBoard
    title: str
    state: str
    state_label: str
    publish_at: datetime
    version: int
    pillars: list[dict] = field(default_factory=list)  # [{"name", "colour"}], the board's order
    channels: list[dict] = field(default_factory=list)  # [{"name", "kind", "kind_label", "state", "due_at"}]
    local: datetime = field(init=False)  # publish_at on the board's clock

    def __post_init__(self) -> None:
        self.local = self.publish_at.astimezone(self.board.zone)

    @property
    def started(self) -> bool:
        return any(channel["state"] in STARTED for channel in self.channels)

    @property
    def movable(self) -> bool:
        """Whether the person may drag it: a manager's post not yet gone out (a failed one goes again)."""
        if not self.board.may_move or self.state not in (DraftState.SCHEDULED, DraftState.FAILED):
            return False
        return self.state == DraftState.FAILED or not self.started


@dataclass
class CalendarNoteRow:
    pk: int
    board: CalendarBoard
    title: str
    body: str
    starts_on: date
    ends_on: date


@dataclass
class CalendarDeadline:
    pk: int
    board: CalendarBoard
    draft_id: int
    draft_title: str
    label: str
    due_at: datetime

    @property
    def local(self) -> datetime:
        return self.due_at.astimezone(self.board.zone)


@dataclass
class CalendarEntries:
    start: date
    end: date  # exclusive
    boards: list[CalendarBoard]
    posts: list[CalendarPost]
    notes: list[CalendarNoteRow]
    deadlines: list[CalendarDeadline]
    truncated: bool = False


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def zone_label(moment: datetime) -> str:
    """The zone's abbreviation at that moment ("CET", "CEST", "EST"), or its offset where it has none."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_window(start: str | None, end: str | None) -> tuple[date, date]:
    """The days [start, end) from ISO dates (a datetime's date part is taken, as FullCalendar sends them);
    ValidationError naming what is wrong: missing, not a date, end not after start, or wider than MAX_DAYS."""
    days = {}
    errors: dict[str, list[str]] = {}
    for name, value in (("from", start), ("to", end)):
        if not value:
            errors[name] = [f"Give `{name}` as a date, YYYY-MM-DD."]
            continue
        try:
            days[name] = date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            errors[name] = [f"`{value}` is not a date: give YYYY-MM-DD."]
    if errors:
        raise ValidationError(errors)
    first, last = days["from"], days["to"]
    for name, day in (("from", first), ("to", last)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            errors[name] = [f"Give a date in the years {FIRST_YEAR} to {LAST_YEAR}."]
    if errors:
        raise ValidationError(errors)
    if last <= first:
        raise ValidationError({"to": ["`to` must be after `from` (it is the first day after the window)."]})
    if (last - first).days > MAX_DAYS:
        raise ValidationError(
            {"to": [f"Ask for at most {MAX_DAYS} days at a time (this asks for {(last - first).days})."]}
        )
    return first, last


def calendar_boards(user, *, board: Board | None = None) -> list[CalendarBoard]:
    """The boards whose calendar the person may see (a role and no unsigned agreement), by name; one of them
    with `board`. Two queries (three with an agreement to honour)."""
    if is_site_admin(user):
        boards = Board.objects.all()
        managed: set[int] | None = None
    else:
        if user is None or not user.is_authenticated or not user.is_active:
            return []
        held = board_ids_by_perm(user, VIEW, MANAGE)
        visible = held[VIEW] - gated_board_ids(user, viewable_board_ids=held[VIEW]) if held[VIEW] else set()
        boards = Board.objects.filter(pk__in=sorted(visible))
        managed = held[MANAGE]
    if board is not None:
        boards = boards.filter(pk=board.pk)
    rows = boards.order_by("name", "pk").values_list("pk", "name", "slug", "time_zone")
    return [
        CalendarBoard(pk, name, slug, zone, may_move=managed is None or pk in managed) for pk, name, slug, zone in rows
    ]


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    # Every zone's days lie within 14 hours of UTC's: read a little more, keep each by its board's own day.
    utc = ZoneInfo("UTC")
    return (
        datetime.combine(start, time.min, tzinfo=utc) - timedelta(hours=14),
        datetime.combine(end, time.min, tzinfo=utc) + timedelta(hours=14),
    )


def calendar_entries(user, start: date, end: date, *, board: Board | None = None) -> CalendarEntries:
    """The posts (scheduled, published, failed) with their pillars and channels, the notes and the
    deadlines on the days [start, end) of each board's own calendar, for the boards the person may see (one
    board with `board`). A contributor sees the posts they may open (their own; reviewers see every post),
    like every list of drafts. A fixed number of queries."""
    boards = calendar_boards(user, board=board)
    by_id = {row.pk: row for row in boards}
    entries = CalendarEntries(start=start, end=end, boards=boards, posts=[], notes=[], deadlines=[])
    if not boards:
        return entries
    low, high = _utc_bounds(start, end)
    visible = drafts_for_user(user).filter(board_id__in=list(by_id))
    in_window = visible.filter(state__in=CALENDAR_STATES, publish_at__gte=low, publish_at__lt=high)
    rows = list(
        in_window.order_by("publish_at", "pk").values_list("pk", "board_id", "title", "state", "publish_at", "version")[
            : MAX_POSTS + 1
        ]
    )
    entries.truncated = len(rows) > MAX_POSTS
    labels = dict(DraftState.choices)
    for pk, board_id, title, state, publish_at, version in rows[:MAX_POSTS]:
        assert publish_at is not None  # the filter on publish_at leaves out the drafts without one
        post = CalendarPost(pk, by_id[board_id], title, state, labels[state], publish_at, version)
        if start <= post.local.date() < end:
            entries.posts.append(post)
    _attach_pillars_and_channels(entries.posts, in_window.values("pk"))
    entries.notes = [
        CalendarNoteRow(pk, by_id[board_id], title, body, starts_on, ends_on)
        for pk, board_id, title, body, starts_on, ends_on in CalendarNote.objects.filter(
            board_id__in=list(by_id), starts_on__lt=end, ends_on__gte=start
        )
        .order_by("starts_on", "pk")
        .values_list("pk", "board_id", "title", "body", "starts_on", "ends_on")[:MAX_POSTS]
    ]
    deadlines = (
        Deadline.objects.filter(draft__in=visible.values("pk"), due_at__gte=low, due_at__lt=high)
        .exclude(draft__state=DraftState.ARCHIVED)
        .order_by("due_at", "pk")
        .values_list("pk", "draft__board_id", "draft_id", "draft__title", "label", "due_at")[:MAX_POSTS]
    )
    for pk, board_id, draft_id, title, label, due_at in deadlines:
        row = CalendarDeadline(pk, by_id[board_id], draft_id, title, label, due_at)
        if start <= row.local.date() < end:
            entries.deadlines.append(row)
    return entries


def _attach_pillars_and_channels(posts: list[CalendarPost], ids) -> None:
    """Each post's pillars and channels, one query each. `ids` is the window's posts as a subquery: a list of
    2,000 ids as parameters cost Django more to prepare than PostgreSQL took to answer."""
    if not posts:
        return
    by_id = {post.pk: post for post in posts}
    pillar_rows = (
        Pillar.drafts.through.objects.filter(draft_id__in=ids)
        .order_by("pillar__position", "pillar__name", "pillar_id")
        .values_list("draft_id", "pillar__name", "pillar__colour")
    )
    for draft_id, name, colour in pillar_rows:
        post = by_id.get(draft_id)
        if post is not None:
            post.pillars.append({"name": name, "colour": colour})
    kinds = {kind: str(label) for kind, label in ChannelKind.choices}
    publications = (
        Publication.objects.filter(draft_id__in=ids)
        .exclude(state=PublicationState.CANCELLED)
        .order_by("channel__name", "channel_id")
        .values_list("draft_id", "channel_id", "channel__name", "channel__kind", "state", "due_at")
    )
    for draft_id, channel_id, name, kind, state, due_at in publications:
        post = by_id.get(draft_id)
        if post is None:
            continue
        label = kinds.get(kind, kind)
        post.channels.append(
            {
                "id": channel_id,
                "name": name,
                "kind": kind,
                "kind_label": label,
                "kind_short": _short(label),
                "state": state,
                "due_at": due_at,
            }
        )


def _short(label: str) -> str:
    """A kind as the month's small cells name it: "Generic webhook" -> "Webhook"."""
    label = label.removeprefix("Generic ")
    return label[:1].upper() + label[1:]


@dataclass
class Unscheduled:
    pk: int
    board: CalendarBoard
    title: str
    version: int
    pillars: list[dict] = field(default_factory=list)


def unscheduled_approved(
    user, *, board: Board | None = None, boards: list[CalendarBoard] | None = None
) -> list[Unscheduled]:
    """Approved drafts without a publish time on the boards where the person may schedule them (managers),
    the longest waiting first, at most MAX_UNSCHEDULED: the sidebar to drag onto the calendar."""
    boards = calendar_boards(user, board=board) if boards is None else boards
    managed = {row.pk: row for row in boards if row.may_move}
    if not managed:
        return []
    rows = list(
        drafts_for_user(user)
        .filter(board_id__in=list(managed), state=DraftState.APPROVED, publish_at=None)
        .order_by("state_since", "pk")
        .values_list("pk", "board_id", "title", "version")[:MAX_UNSCHEDULED]
    )
    drafts = [Unscheduled(pk, managed[board_id], title, version) for pk, board_id, title, version in rows]
    by_id = {draft.pk: draft for draft in drafts}
    if by_id:
        pillar_rows = (
            Pillar.drafts.through.objects.filter(draft_id__in=list(by_id))
            .order_by("pillar__position", "pillar__name", "pillar_id")
            .values_list("draft_id", "pillar__name", "pillar__colour")
        )
        for draft_id, name, colour in pillar_rows:
            by_id[draft_id].pillars.append({"name": name, "colour": colour})
    return drafts


def board_pillars(boards: list[CalendarBoard]) -> list[dict]:
    """The legend: each board's pillars with their colour, in the board's order (one query)."""
    if not boards:
        return []
    names = {row.pk: row.name for row in boards}
    return [
        {"board": names[board_id], "board_id": board_id, "name": name, "colour": colour}
        for board_id, name, colour in Pillar.objects.filter(board_id__in=list(names))
        .order_by("board__name", "position", "name", "pk")
        .values_list("board_id", "name", "colour")
    ]
