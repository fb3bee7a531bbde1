"""The reliability panel's figures (reads only): per channel of a board, how publishing went over a period.

Everything comes from the publication log (Publication rows, their `attempts` and `last_error`). A fixed
number of queries whatever the number of publications: the channels (with each one's latest failure), one
grouped count, and one read of two timestamps per published row for the lateness percentiles (computed in
Python so SQLite and PostgreSQL give the same figures)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import ceil

from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from publishing.models import Channel, Publication, PublicationState

# A post counts as on time when it went out at most this long after it was meant to: the claim tick runs
# every few seconds and a platform call takes a few more, so a minute is "on time" to any reader.
ON_TIME_SECONDS = 60
PERIOD_CHOICES = (7, 30, 90)
DEFAULT_DAYS = 30
# The lateness read is bounded: past this many published rows in the two periods, the percentiles are of the
# latest ones only (`sampled` says so). A board posting a thousand times a day for 180 days stays under it.
MAX_LATENESS_ROWS = 200_000

WAITING = (PublicationState.PENDING, PublicationState.CLAIMED, PublicationState.SENDING)


@dataclass
class PeriodFigures:
    due: int = 0
    published: int = 0
    failed: int = 0
    pending: int = 0
    cancelled: int = 0
    retried: int = 0  # publications that needed more than one attempt
    retries: int = 0  # attempts beyond each publication's first
    on_time: int = 0
    latenesses: list[float] = field(default_factory=list, repr=False)

    @property
    def on_time_rate(self) -> float | None:
        """The share of published posts that went out on time (None when nothing was published)."""
        return self.on_time / self.published if self.published else None

    @property
    def p50(self) -> float | None:
        return percentile(self.latenesses, 50)

    @property
    def p99(self) -> float | None:
        return percentile(self.latenesses, 99)


@dataclass
class ChannelReliability:
    channel: Channel
    current: PeriodFigures
    previous: PeriodFigures
    latest_error: str = ""
    latest_error_at: datetime | None = None


@dataclass
class BoardReliability:
    start: datetime
    end: datetime
    previous_start: datetime
    channels: list[ChannelReliability]
    sampled: bool = False

    @property
    def has_previous(self) -> bool:
        return any(row.previous.due for row in self.channels)

    @property
    def has_publications(self) -> bool:
        return any(row.current.due or row.previous.due for row in self.channels)


def percentile(values: list[float], pct: float) -> float | None:
    """The nearest-rank percentile of sorted `values` (None for none): p99 of 10 values is the largest."""
    if not values:
        return None
    rank = max(1, ceil(pct / 100 * len(values)))
    return values[rank - 1]


def lateness_seconds(*, scheduled: datetime, published: datetime) -> float:
    """How late a post went out: published_at minus when it was meant to go (never below zero: a post sent
    a moment early by a clock skew is on time, not "negative late")."""
    return max(0.0, (published - scheduled).total_seconds())


def board_reliability(board, start: datetime, end: datetime) -> BoardReliability:
    """The figures of each channel of `board` for publications due in [start, end), and for the period of
    the same length just before it. The caller has checked that the user manages the board.

    "Meant to go" is the draft's publish time when it has one, else the publication's due_at: due_at moves
    to the retry time on each retry, so measuring from it would call a post sent an hour late "on time"."""
    previous_start = start - (end - start)
    in_window = Q(due_at__gte=previous_start, due_at__lt=end)
    window = Publication.objects.filter(in_window, channel__board=board)

    failures = (
        Publication.objects.filter(in_window, channel=OuterRef("pk"), state=PublicationState.FAILED, due_at__gte=start)
        .exclude(last_error="")
        .order_by("-updated_at", "-pk")
    )
    channels = list(
        Channel.objects.filter(board=board)
        .annotate(
            latest_error=Subquery(failures.values("last_error")[:1]),
            latest_error_at=Subquery(failures.values("updated_at")[:1]),
        )
        .order_by("name", "pk")
    )

    period = Case(When(due_at__gte=start, then=Value("current")), default=Value("previous"))
    counts = (
        window.annotate(period=period)
        .values("channel_id", "period")
        .annotate(
            due=Count("pk"),
            published=Count("pk", filter=Q(state=PublicationState.PUBLISHED)),
            failed=Count("pk", filter=Q(state=PublicationState.FAILED)),
            pending=Count("pk", filter=Q(state__in=WAITING)),
            cancelled=Count("pk", filter=Q(state=PublicationState.CANCELLED)),
            retried=Count("pk", filter=Q(attempts__gt=1)),
            retries=Sum(Case(When(attempts__gt=1, then=F("attempts") - 1), default=Value(0))),
        )
        .order_by()
    )
    figures: dict[tuple[int, str], PeriodFigures] = {}
    for row in counts:
        figures[(row["channel_id"], row["period"])] = PeriodFigures(
            due=row["due"],
            published=row["published"],
            failed=row["failed"],
            pending=row["pending"],
            cancelled=row["cancelled"],
            retried=row["retried"],
            retries=row["retries"] or 0,
        )

    published = (
        window.filter(state=PublicationState.PUBLISHED, published_at__isnull=False)
        .annotate(scheduled=Coalesce("draft__publish_at", "due_at"))
        .order_by("-due_at", "-pk")
        .values_list("channel_id", "due_at", "scheduled", "published_at")[: MAX_LATENESS_ROWS + 1]
    )
    rows = list(published)
    sampled = len(rows) > MAX_LATENESS_ROWS
    for channel_id, due_at, scheduled, published_at in rows[:MAX_LATENESS_ROWS]:
        key = (channel_id, "current" if due_at >= start else "previous")
        target = figures.setdefault(key, PeriodFigures())
        assert published_at is not None  # filtered above
        late = lateness_seconds(scheduled=scheduled, published=published_at)
        target.latenesses.append(late)
        if late <= ON_TIME_SECONDS:
            target.on_time += 1
    for target in figures.values():
        target.latenesses.sort()

    return BoardReliability(
        start=start,
        end=end,
        previous_start=previous_start,
        sampled=sampled,
        channels=[
            ChannelReliability(
                channel=channel,
                current=figures.get((channel.pk, "current"), PeriodFigures()),
                previous=figures.get((channel.pk, "previous"), PeriodFigures()),
                latest_error=channel.latest_error or "",
                latest_error_at=channel.latest_error_at,
            )
            for channel in channels
        ],
    )


def period_for(days: int, *, now: datetime) -> tuple[datetime, datetime]:
    return now - timedelta(days=days), now


def human_duration(seconds: float | None) -> str:
    """ "0.8 s", "42 s", "3 min", "2.5 h", "3 days"; an en dash for no value."""
    if seconds is None:
        return "–"
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 36 * 3600:
        hours = seconds / 3600
        return f"{hours:.1f} h" if hours < 10 else f"{hours:.0f} h"
    return f"{seconds / 86400:.0f} days"
