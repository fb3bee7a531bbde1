"""Reads for a person's private calendar feed: what it shows is exactly what the person may see now.

Posts: the drafts drafts_for_user gives them (their own on boards they write for, every draft on boards they
review; the agreement gate applied), scheduled, published or failed, at their publish time. Calendar notes
and deadlines: of the boards they may open now. Everything within a window around today and capped, in a
fixed number of queries however much there is."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from contributors.agreements.gate import gated_board_ids
from contributors.models import Board, User
from contributors.permissions import is_site_admin
from contributors.roles import VIEW
from contributors.selectors import board_ids_by_perm
from drafts.models import Draft, DraftState
from drafts.planning.models import CalendarFeed, CalendarNote, Deadline
from drafts.selectors import drafts_for_user
from publishing.models import Publication

FEED_DAYS_BACK = 60
FEED_DAYS_AHEAD = 365
# The most events of each sort one feed carries (calendar apps fetch the whole file every few hours).
FEED_MAX_ROWS = 1000
FEED_POST_STATES = (DraftState.SCHEDULED, DraftState.PUBLISHED, DraftState.FAILED)


def feed_url(feed: CalendarFeed) -> str:
    """The feed's address as calendar apps must fetch it: under SITE_URL (they have no session, and they
    fetch from their own servers, so it must be the public address)."""
    return settings.SITE_URL.rstrip("/") + reverse("calendar-feed", args=[feed.token])


def feed_host() -> str:
    """The host part of the events' UIDs: stable as long as the site's address is."""
    return urlsplit(settings.SITE_URL).hostname or "cocreate"


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def feed_get_by_token(token: str) -> CalendarFeed:
    """The feed whose secret this is, with its person; 404 for any other string or an inactive account."""
    if not token or len(token) > 64:
        raise Http404("No such calendar.")
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404("No such calendar.")
    return feed


@dataclass
class FeedContent:
    user: User
    posts: list[Draft] = field(default_factory=list)
    channels: dict[int, list[str]] = field(default_factory=dict)  # draft id -> channel names
    notes: list[CalendarNote] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)


def open_board_ids(user: User) -> set[int] | None:
    """The boards the person may open now (a role and no unsigned agreement); None means every board."""
    if is_site_admin(user):
        return None
    viewable = board_ids_by_perm(user, VIEW)[VIEW]
    return viewable - gated_board_ids(user, viewable_board_ids=viewable) if viewable else set()


def feed_content(user: User, *, now: datetime | None = None) -> FeedContent:
    now = now or timezone.now()
    starts, ends = now - timedelta(days=FEED_DAYS_BACK), now + timedelta(days=FEED_DAYS_AHEAD)
    content = FeedContent(user=user)
    visible = drafts_for_user(user)
    content.posts = list(
        visible.filter(state__in=FEED_POST_STATES, publish_at__gte=starts, publish_at__lte=ends)
        .select_related("board")
        .order_by("publish_at", "id")[:FEED_MAX_ROWS]
    )
    if content.posts:
        rows = (
            Publication.objects.filter(draft_id__in=[d.pk for d in content.posts])
            .order_by("channel__name", "channel_id")
            .values_list("draft_id", "channel__name")
        )
        for draft_id, name in rows:
            names = content.channels.setdefault(draft_id, [])
            if name not in names:
                names.append(name)
    content.deadlines = list(
        Deadline.objects.filter(draft__in=visible.values("pk"), due_at__gte=starts, due_at__lte=ends)
        .select_related("draft__board")
        .order_by("due_at", "id")[:FEED_MAX_ROWS]
    )
    boards = open_board_ids(user)
    notes = CalendarNote.objects.filter(starts_on__lte=ends.date(), ends_on__gte=starts.date())
    if boards is not None:
        notes = notes.filter(board_id__in=sorted(boards)) if boards else notes.none()
    content.notes = list(notes.select_related("board").order_by("starts_on", "id")[:FEED_MAX_ROWS])
    return content


def board_zone_name(board: Board) -> str:
    return board.time_zone or "UTC"


def last_day_exclusive(day: date) -> date:
    return day + timedelta(days=1)
