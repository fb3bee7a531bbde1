"""A person's calendar feed as iCalendar (RFC 5545), written with the `icalendar` library.

Posts and deadlines are timed events whose DTSTART carries the board's time zone as TZID, with the zone's
VTIMEZONE in the file (Calendar.add_missing_timezones), so Google Calendar, Outlook and Apple Calendar show
them at the same instant the publishing worker will use, across daylight-saving changes. Calendar notes are
all-day events (VALUE=DATE, DTEND the day after the last). Each event's UID is stable (the row's id and the
site's host), so a calendar app updates an event in place when it moves."""

import zoneinfo
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from drafts.planning.feed_selectors import FeedContent, board_zone_name, feed_host, last_day_exclusive, site_link

POST_LENGTH = timedelta(minutes=15)
DEADLINE_LENGTH = timedelta(minutes=30)
REFRESH = "PT1H"


def _zoned(when: datetime, zone_name: str) -> datetime:
    return when.astimezone(zoneinfo.ZoneInfo(zone_name))


def _stamp(changed: datetime) -> datetime:
    """DTSTAMP: when the row last changed (METHOD:PUBLISH, RFC 5545 3.8.7.2), so an unchanged schedule gives the
    same file and calendar apps polling it get 304 Not Modified."""
    return changed.replace(microsecond=0)


def _post_event(draft, channels: list[str], host: str) -> Event:
    board = draft.board
    start = _zoned(draft.publish_at, board_zone_name(board))
    event = Event()
    event.add("uid", f"post-{draft.pk}@{host}")
    event.add("dtstamp", _stamp(draft.updated_at))
    event.add("dtstart", start)
    event.add("dtend", start + POST_LENGTH)
    # A failed post needs someone: it says so first, where a calendar shows only the title.
    prefix = "Failed: " if draft.state == "failed" else ""
    event.add("summary", f"{prefix}{draft.title} ({board.name})")
    lines = [
        f"Board: {board.name}",
        f"Channels: {', '.join(channels) if channels else 'none (posted by hand)'}",
        f"State: {draft.get_state_display()}",
    ]
    url = site_link(reverse("draft-detail", args=[draft.pk]))
    event.add("description", "\n".join([*lines, url]))
    event.add("url", url)
    event.add("categories", [board.name, "Post"])
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("last-modified", draft.updated_at)
    return event


def _deadline_event(deadline, host: str) -> Event:
    draft = deadline.draft
    board = draft.board
    start = _zoned(deadline.due_at, board_zone_name(board))
    event = Event()
    event.add("uid", f"deadline-{draft.pk}@{host}")
    event.add("dtstamp", _stamp(deadline.updated_at))
    event.add("dtstart", start)
    event.add("dtend", start + DEADLINE_LENGTH)
    event.add("summary", f"{deadline.label}: {draft.title} ({board.name})")
    url = site_link(reverse("draft-detail", args=[draft.pk]))
    event.add("description", f"Board: {board.name}\nInternal deadline (not a publish time)\n{url}")
    event.add("url", url)
    event.add("categories", [board.name, "Deadline"])
    event.add("transp", "TRANSPARENT")
    event.add("last-modified", deadline.updated_at)
    return event


def _note_event(note, host: str) -> Event:
    event = Event()
    event.add("uid", f"note-{note.pk}@{host}")
    event.add("dtstamp", _stamp(note.updated_at))
    event.add("dtstart", note.starts_on)
    event.add("dtend", last_day_exclusive(note.ends_on))
    event.add("summary", f"{note.title} ({note.board.name})")
    url = site_link(reverse("board-calendar-notes", args=[note.board.slug]))
    description = "\n".join(filter(None, [f"Board: {note.board.name}", note.body, url]))
    event.add("description", description)
    event.add("url", url)
    event.add("categories", [note.board.name, "Note"])
    event.add("transp", "TRANSPARENT")
    event.add("last-modified", note.updated_at)
    return event


def feed_calendar(content: FeedContent, *, now: datetime | None = None) -> Calendar:
    now = now or timezone.now()
    host = feed_host()
    calendar = Calendar()
    calendar.add("prodid", "-//Cocreate//Content calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = content.user.display_name or content.user.username
    calendar.add("x-wr-calname", f"Cocreate: {name}")
    calendar.add("x-wr-caldesc", "Scheduled and published posts, calendar notes and deadlines of your boards.")
    calendar.add("x-published-ttl", REFRESH)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for draft in content.posts:
        calendar.add_component(_post_event(draft, content.channels.get(draft.pk, []), host))
    for deadline in content.deadlines:
        calendar.add_component(_deadline_event(deadline, host))
    for note in content.notes:
        calendar.add_component(_note_event(note, host))
    # One VTIMEZONE per zone used, with its transitions over the feed's window (and a margin).
    calendar.add_missing_timezones(
        first_date=(now - timedelta(days=400)).date(), last_date=(now + timedelta(days=800)).date()
    )
    return calendar


def feed_ics(content: FeedContent, *, now: datetime | None = None) -> bytes:
    return feed_calendar(content, now=now).to_ical()
