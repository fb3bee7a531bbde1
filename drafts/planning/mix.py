"""The content mix: per day and per ISO week of a board, how many posts of each pillar and channel are
scheduled or published, against the pillars' targets, with warnings in plain words where it is off.

A post is a draft scheduled or published with its publish time in the range; its day is the day of that
time in the BOARD's time zone (so a week of a DST change has its 23 or 25 hours, and a late evening post is
on the board's evening, not UTC's). A draft in two pillars counts for each, so shares may add up to more than
100%; a draft in none counts for "No pillar". Its channels are its publications (not cancelled ones).

The whole mix is read in three queries whatever the range or the number of boards: the pillars, the posts
with their pillar ids (one row per draft and pillar), and the channels of those posts.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from contributors.models import Board
from contributors.templatetags.zoned import zone_of
from drafts.models import Draft, DraftState
from drafts.planning.models import Pillar

POSTED_STATES = (DraftState.SCHEDULED, DraftState.PUBLISHED)
# A week's share of a pillar is "off" when it is further than this from the target, in percentage points...
SHARE_TOLERANCE = 15
# ...and only once the week has enough posts for a share to mean something.
WEEK_MIN_POSTS = 3
# A day with at least this many posts should not be all one pillar, and once it has as many posts as there are
# pillars with a target of at least DAY_PILLAR_TARGET, one of each of them (_day_warnings).
DAY_MIN_POSTS = 2
DAY_PILLAR_TARGET = 25
MAX_DAYS = 62
NO_PILLAR = "No pillar"
NO_PILLAR_COLOUR = "#8a8f98"


@dataclass(frozen=True)
class PillarCount:
    pillar_id: int | None  # None: posts in no pillar
    name: str
    colour: str
    target_percent: int
    posts: int
    share_percent: int  # of the period's posts, rounded

    @property
    def has_target(self) -> bool:
        return self.pillar_id is not None and self.target_percent > 0

    @property
    def off_by(self) -> int:
        """Percentage points above (+) or below (-) the target; 0 without a target."""
        return self.share_percent - self.target_percent if self.has_target else 0

    @property
    def off_by_points(self) -> int:
        return abs(self.off_by)

    @property
    def bar_percent(self) -> int:
        return max(0, min(100, self.share_percent))


@dataclass(frozen=True)
class ChannelCount:
    channel_id: int
    name: str
    kind: str
    posts: int


@dataclass(frozen=True)
class MixWarning:
    kind: str  # "week_share", "day_missing", "no_pillar"
    message: str
    day: date | None = None
    week: str | None = None  # ISO week, "2026-W49"
    pillar_id: int | None = None


@dataclass
class Period:
    """A day or an ISO week (only its days inside the range are counted)."""

    start: date
    end: date
    total: int
    pillars: list[PillarCount]
    channels: list[ChannelCount]
    warnings: list[MixWarning] = field(default_factory=list)

    @property
    def label(self) -> str:
        return _day_label(self.start)

    @property
    def short_label(self) -> str:
        return f"{self.start:%a} {self.start.day} {self.start:%b}"

    @property
    def pillars_posted(self) -> list[PillarCount]:
        return [count for count in self.pillars if count.posts]


@dataclass
class WeekMix(Period):
    iso_week: str = ""
    days_counted: int = 7
    days: list[Period] = field(default_factory=list)

    @property
    def off_pillar_ids(self) -> set[int | None]:
        return {w.pillar_id for w in self.warnings if w.kind == "week_share"}

    @property
    def label(self) -> str:
        if self.start.month == self.end.month:
            return f"{self.start.day}–{self.end.day} {self.end:%B}"
        return f"{self.start.day} {self.start:%B} – {self.end.day} {self.end:%B}"


@dataclass
class BoardMix:
    board: Board
    start: date
    end: date
    pillars: list[Pillar]
    days: list[Period]
    weeks: list[WeekMix]

    @property
    def warnings(self) -> list[MixWarning]:
        """The weeks' warnings, then the days', in date order."""
        found = [w for week in self.weeks for w in week.warnings]
        found += [w for day in self.days for w in day.warnings]
        return sorted(found, key=lambda w: (w.day or date.fromisoformat(_week_monday(w.week)), w.kind != "week_share"))

    @property
    def total(self) -> int:
        return sum(day.total for day in self.days)

    @property
    def targets_total(self) -> int:
        return sum(p.target_percent for p in self.pillars)

    @property
    def tolerance(self) -> int:
        return SHARE_TOLERANCE


def _week_monday(iso_week: str | None) -> str:
    if not iso_week:
        return "9999-12-31"
    year, week = iso_week.split("-W")
    return date.fromisocalendar(int(year), int(week), 1).isoformat()


def _day_label(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def check_range(start: date, end: date) -> None:
    if end < start:
        raise ValidationError({"to": ["The end date is before the start date."]})
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError({"to": [f"Ask for at most {MAX_DAYS} days at a time."]})


@dataclass
class _Post:
    board_id: int
    day: date
    pillars: set[int] = field(default_factory=set)
    channels: set[int] = field(default_factory=set)


def _bounds(board: Board, start: date, end: date) -> tuple[datetime, datetime]:
    zone = zone_of(board)
    return datetime.combine(start, time.min, zone), datetime.combine(end + timedelta(days=1), time.min, zone)


def boards_mix(boards: list[Board], start: date, end: date) -> dict[int, BoardMix]:
    """board_mix for several boards, in the same three queries."""
    check_range(start, end)
    boards = list(boards)
    if not boards:
        return {}
    window = Q()
    for board in boards:
        low, high = _bounds(board, start, end)
        window |= Q(board_id=board.pk, publish_at__gte=low, publish_at__lt=high)
    pillars_by_board: dict[int, list[Pillar]] = defaultdict(list)
    for pillar in Pillar.objects.filter(board__in=boards).order_by("position", "name", "id"):
        pillars_by_board[pillar.board_id].append(pillar)
    zones = {board.pk: zone_of(board) for board in boards}
    posts: dict[int, _Post] = {}
    rows = Draft.objects.filter(window, state__in=POSTED_STATES).values_list("pk", "board_id", "publish_at", "pillars")
    for pk, board_id, publish_at, pillar_id in rows:
        post = posts.get(pk)
        if post is None:
            assert publish_at is not None  # the window's filter on it leaves out drafts without one
            post = posts[pk] = _Post(board_id=board_id, day=publish_at.astimezone(zones[board_id]).date())
        if pillar_id is not None:
            post.pillars.add(pillar_id)
    channels: dict[int, tuple[str, str]] = {}
    if posts:
        from publishing.models import Publication, PublicationState

        publications = (
            Publication.objects.filter(draft_id__in=list(posts))
            .exclude(state=PublicationState.CANCELLED)
            .values_list("draft_id", "channel_id", "channel__name", "channel__kind")
        )
        for draft_id, channel_id, name, kind in publications:
            posts[draft_id].channels.add(channel_id)
            channels[channel_id] = (name, kind)
    by_board: dict[int, list[_Post]] = defaultdict(list)
    for post in posts.values():
        by_board[post.board_id].append(post)
    return {
        board.pk: _board_mix(board, start, end, pillars_by_board[board.pk], by_board[board.pk], channels)
        for board in boards
    }


def board_mix(board: Board, start: date, end: date) -> BoardMix:
    """The board's mix from `start` to `end` (both included, days in the board's zone)."""
    return boards_mix([board], start, end)[board.pk]


def _period(
    start: date, end: date, posts: list[_Post], pillars: list[Pillar], channels: dict[int, tuple[str, str]]
) -> Period:
    total = len(posts)
    per_pillar: Counter[int | None] = Counter()
    per_channel: Counter[int] = Counter()
    ids = {p.pk for p in pillars}
    for post in posts:
        known: set[int | None] = set(post.pillars & ids)
        per_pillar.update(known or {None})
        per_channel.update(post.channels)
    counts = [
        PillarCount(p.pk, p.name, p.colour, p.target_percent, per_pillar[p.pk], _share(per_pillar[p.pk], total))
        for p in pillars
    ]
    if per_pillar[None]:
        counts.append(
            PillarCount(None, NO_PILLAR, NO_PILLAR_COLOUR, 0, per_pillar[None], _share(per_pillar[None], total))
        )
    channel_counts = sorted(
        (ChannelCount(pk, channels[pk][0], channels[pk][1], n) for pk, n in per_channel.items()),
        key=lambda c: (-c.posts, c.name.casefold(), c.channel_id),
    )
    return Period(start=start, end=end, total=total, pillars=counts, channels=channel_counts)


def _share(part: int, total: int) -> int:
    return round(100 * part / total) if total else 0


def _board_mix(
    board: Board,
    start: date,
    end: date,
    pillars: list[Pillar],
    posts: list[_Post],
    channels: dict[int, tuple[str, str]],
) -> BoardMix:
    today = timezone.now().astimezone(zone_of(board)).date()
    by_day: dict[date, list[_Post]] = defaultdict(list)
    for post in posts:
        by_day[post.day].append(post)
    days = []
    day = start
    while day <= end:
        period = _period(day, day, by_day[day], pillars, channels)
        period.warnings = _day_warnings(period)
        days.append(period)
        day += timedelta(days=1)
    weeks = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        sunday = monday + timedelta(days=6)
        first, last = max(monday, start), min(sunday, end)
        in_week = [p for d in range((last - first).days + 1) for p in by_day[first + timedelta(days=d)]]
        period = _period(monday, sunday, in_week, pillars, channels)
        week = WeekMix(
            start=monday,
            end=sunday,
            total=period.total,
            pillars=period.pillars,
            channels=period.channels,
            iso_week=_iso_week(monday),
            days_counted=(last - first).days + 1,
            days=[d for d in days if first <= d.start <= last],
        )
        week.warnings = _week_warnings(week, today)
        weeks.append(week)
        monday += timedelta(days=7)
    return BoardMix(board=board, start=start, end=end, pillars=pillars, days=days, weeks=weeks)


def _week_warnings(week: WeekMix, today: date) -> list[MixWarning]:
    if week.total < WEEK_MIN_POSTS:
        return []
    found = []
    posts = "this week's posts" if week.start <= today <= week.end else f"the posts of the week of {week.label}"
    for count in week.pillars:
        if count.has_target and abs(count.off_by) > SHARE_TOLERANCE:
            message = f"{count.name} is {count.share_percent}% of {posts}; the target is {count.target_percent}%."
            found.append(MixWarning("week_share", message, week=week.iso_week, pillar_id=count.pillar_id))
    unassigned = next((c for c in week.pillars if c.pillar_id is None), None)
    if unassigned is not None and any(c.pillar_id is not None for c in week.pillars):
        found.append(
            MixWarning(
                "no_pillar",
                f"{unassigned.posts} post{'s' if unassigned.posts != 1 else ''} in the week of {week.label} "
                f"{'have' if unassigned.posts != 1 else 'has'} no pillar.",
                week=week.iso_week,
            )
        )
    return found


def _day_warnings(day: Period) -> list[MixWarning]:
    """A day "off the mix": it has a post for each pillar with a day target, yet one of them has none (three
    posts on a three-pillar board, all Product), or its two or more posts are all of one pillar. A day with
    two posts on a three-pillar board is not warned for the pillar it could not hold."""
    if day.total < DAY_MIN_POSTS:
        return []
    targeted = [c for c in day.pillars if c.pillar_id is not None and c.target_percent >= DAY_PILLAR_TARGET]
    if len(targeted) < 2:
        return []
    if day.total >= len(targeted):
        missing = [
            MixWarning(
                "day_missing", f"No {c.name} post on {_day_label(day.start)}.", day=day.start, pillar_id=c.pillar_id
            )
            for c in targeted
            if c.posts == 0
        ]
        if missing:
            return missing
    only = [c for c in day.pillars if c.posts]
    if len(only) == 1 and only[0].pillar_id is not None and only[0].posts == day.total:
        message = f"All {day.total} posts on {_day_label(day.start)} are {only[0].name}."
        return [MixWarning("day_one_pillar", message, day=day.start, pillar_id=only[0].pillar_id)]
    return []
