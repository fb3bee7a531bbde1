"""Best-time hints for scheduling: for each channel kind, the hours of the day (in the board's time zone) when
a post is likely to be seen.

Until the board has engagement figures (the metrics feature registers a source with
register_engagement_source), the hints are the platform's common defaults, labelled as such. The defaults are
rough weekday peaks from the public "best time to post" studies (Sprout Social's and Hootsuite's yearly
reports, 2024-2025, and Mailchimp's send-time guidance for e-mail); Mastodon and Bluesky have no such study
and follow the shape of X's. They are hints, never rules: scheduling accepts any time."""

from collections.abc import Callable
from dataclasses import dataclass

from contributors.models import Board
from publishing.models import ChannelKind

# Hours of the day, local to the board.
COMMON_DEFAULT_HOURS: dict[str, tuple[int, ...]] = {
    ChannelKind.LINKEDIN: (8, 10, 12),
    ChannelKind.X: (9, 12, 17),
    ChannelKind.FACEBOOK: (9, 13, 15),
    ChannelKind.PINTEREST: (14, 20, 21),
    ChannelKind.MASTODON: (9, 12, 17),
    ChannelKind.BLUESKY: (9, 12, 18),
    ChannelKind.WORDPRESS: (8, 10),
    ChannelKind.EMAIL: (8, 10, 14),
    ChannelKind.SLACK: (9, 11, 14),
    ChannelKind.DISCORD: (12, 17, 20),
    # A webhook goes wherever its receiver sends it: no common default.
}

# A source answers (board, channel kind) with the hours this board's past posts did best at, best first, or
# None when it has too little to go on.
EngagementSource = Callable[[Board, str], list[int] | None]
_engagement_sources: list[EngagementSource] = []


def register_engagement_source(source: EngagementSource) -> EngagementSource:
    """For the metrics feature: hours from the board's own engagement win over the common defaults. Usable as
    a decorator; registering the same function twice keeps one."""
    if source not in _engagement_sources:
        _engagement_sources.append(source)
    return source


def unregister_engagement_source(source: EngagementSource) -> None:
    if source in _engagement_sources:
        _engagement_sources.remove(source)


@dataclass(frozen=True)
class BestTimes:
    kind: str
    platform: str
    hours: tuple[int, ...]
    source: str  # "engagement", "default" or "none"
    label: str

    @property
    def times(self) -> list[str]:
        return [f"{hour:02d}:00" for hour in self.hours]


def platform_name(kind: str) -> str:
    try:
        return str(ChannelKind(kind).label)
    except ValueError:
        return kind


def best_times(board: Board, channel_kind: str) -> BestTimes:
    platform = platform_name(channel_kind)
    for source in _engagement_sources:
        hours = source(board, channel_kind)
        if hours:
            valid = tuple(hour for hour in hours if 0 <= hour <= 23)[:3]
            if valid:
                return BestTimes(
                    channel_kind, platform, valid, "engagement", f"When {board.name}'s past posts did best"
                )
    defaults = COMMON_DEFAULT_HOURS.get(channel_kind, ())
    if defaults:
        return BestTimes(channel_kind, platform, defaults, "default", f"Common default for {platform}")
    return BestTimes(channel_kind, platform, (), "none", f"No common default for {platform}")


def best_times_for_board(board: Board) -> list[BestTimes]:
    """One hint per kind of the board's active channels (one query), in the kinds' declared order."""
    from publishing.models import Channel

    kinds = set(Channel.objects.filter(board=board, is_active=True).values_list("kind", flat=True))
    return [best_times(board, kind) for kind in ChannelKind.values if kind in kinds]
