"""The private iCalendar feed: it parses with the `icalendar` library, posts carry the right UTC instants with
their board's TZID (and the zone's VTIMEZONE) across daylight-saving changes, notes are all-day, a reset
address stops the old one, an outsider's boards never leak, and the query count does not grow."""

import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from contributors.models import Board
from contributors.services import board_role_grant
from drafts.planning.deadline_services import deadline_set
from drafts.planning.feed_selectors import feed_url
from drafts.planning.feed_services import calendar_feed_for_user, calendar_feed_reset
from drafts.planning.note_services import calendar_note_create
from drafts.services import draft_transition
from tests.factories import BoardFactory, advance, make_draft
from tests.matrix_agreements import make_agreement

UTC = zoneinfo.ZoneInfo("UTC")


def next_date(month: int, day: int) -> date:
    """The next such day at least two days ahead: within the feed's year ahead, on the same side of the
    daylight-saving change every year."""
    today = timezone.now().date()
    candidate = date(today.year, month, day)
    return candidate if candidate > today + timedelta(days=2) else date(today.year + 1, month, day)


WINTER = next_date(1, 15)
SUMMER = next_date(7, 1)


def local(day: date, hour: int, zone: str) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=zoneinfo.ZoneInfo(zone))


def schedule(draft, personas, when: datetime) -> None:
    draft_transition(draft_id=draft.pk, name="submit", actor=draft.author)
    approver = personas.manager if draft.author_id == personas.reviewer.pk else personas.reviewer
    draft_transition(draft_id=draft.pk, name="approve", actor=approver)
    draft_transition(draft_id=draft.pk, name="schedule", actor=personas.manager, publish_at=when)


def fetch(user) -> tuple[Calendar, bytes]:
    response = Client().get(reverse("calendar-feed", args=[calendar_feed_for_user(user=user).token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content), response.content


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def new_york(personas):
    """A second board in another zone where the same reviewer and manager work."""
    board = BoardFactory(name="Community", slug="community", time_zone="America/New_York")
    board_role_grant(board=board, user=personas.reviewer, role="reviewer")
    board_role_grant(board=board, user=personas.manager, role="manager")
    board_role_grant(board=board, user=personas.contributor, role="contributor")
    return board


def test_it_parses_and_gives_each_post_its_utc_instant_and_tzid_across_dst(personas, new_york):
    copenhagen_winter = make_draft(personas.board, personas.contributor, title="Winter sale")
    copenhagen_summer = make_draft(personas.board, personas.contributor, title="Summer launch")
    ny_winter = make_draft(new_york, personas.contributor, title="NY winter story")
    ny_summer = make_draft(new_york, personas.contributor, title="NY summer story")
    schedule(copenhagen_winter, personas, local(WINTER, 10, "Europe/Copenhagen"))
    schedule(copenhagen_summer, personas, local(SUMMER, 10, "Europe/Copenhagen"))
    schedule(ny_winter, personas, local(WINTER, 9, "America/New_York"))
    schedule(ny_summer, personas, local(SUMMER, 9, "America/New_York"))

    calendar, raw = fetch(personas.manager)
    found = events(calendar)
    host = "testserver"
    expected = {
        # 10:00 CET is 09:00 UTC; 10:00 CEST is 08:00 UTC; 09:00 EST is 14:00 UTC; 09:00 EDT is 13:00 UTC.
        copenhagen_winter: ("Europe/Copenhagen", datetime(WINTER.year, WINTER.month, WINTER.day, 9, tzinfo=UTC)),
        copenhagen_summer: ("Europe/Copenhagen", datetime(SUMMER.year, SUMMER.month, SUMMER.day, 8, tzinfo=UTC)),
        ny_winter: ("America/New_York", datetime(WINTER.year, WINTER.month, WINTER.day, 14, tzinfo=UTC)),
        ny_summer: ("America/New_York", datetime(SUMMER.year, SUMMER.month, SUMMER.day, 13, tzinfo=UTC)),
    }
    for draft, (zone, instant) in expected.items():
        event = found[f"post-{draft.pk}@{host}"]
        assert event["dtstart"].params["TZID"] == zone
        start = event.decoded("dtstart")
        assert start.astimezone(UTC) == instant
        assert start.utcoffset() == instant.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
        assert draft.title in str(event["summary"])
        assert "State: Scheduled" in str(event["description"])
    # Each zone used is described once, with its standard and daylight rules.
    zones = {str(tz["tzid"]): tz for tz in calendar.walk("VTIMEZONE")}
    assert set(zones) == {"Europe/Copenhagen", "America/New_York"}
    for tz in zones.values():
        assert {c.name for c in tz.subcomponents} >= {"STANDARD", "DAYLIGHT"}
    assert raw.count(b"BEGIN:VTIMEZONE") == 2
    assert b"DTSTART;TZID=Europe/Copenhagen:" in raw


def test_it_shows_notes_as_all_day_events_and_deadlines_apart(personas):
    note = calendar_note_create(
        board=personas.board, actor=personas.manager, title="Spring launch", starts_on=WINTER,
        ends_on=WINTER + timedelta(days=2), body="All hands.",
    )  # fmt: skip
    draft = make_draft(personas.board, personas.contributor, title="Launch post")
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    due = local(WINTER, 17, "Europe/Copenhagen")
    deadline_set(draft_id=draft.pk, actor=personas.reviewer, due_at=due, label="Legal sign-off")

    found = events(fetch(personas.contributor)[0])
    all_day = found[f"note-{note.pk}@testserver"]
    assert all_day.decoded("dtstart") == WINTER
    assert all_day["dtstart"].params.get("VALUE") == "DATE"
    assert all_day.decoded("dtend") == WINTER + timedelta(days=3)  # the day after the last, as RFC 5545 says
    assert "All hands." in str(all_day["description"])
    due_event = found[f"deadline-{draft.pk}@testserver"]
    assert due_event["dtstart"].params["TZID"] == "Europe/Copenhagen"
    assert due_event.decoded("dtstart").astimezone(UTC) == due.astimezone(UTC)
    assert str(due_event["summary"]).startswith("Legal sign-off: Launch post")
    # The draft is in review, not scheduled: no post event for it.
    assert f"post-{draft.pk}@testserver" not in found


def test_a_reset_address_stops_the_old_one(personas):
    client = Client()
    old = calendar_feed_for_user(user=personas.manager).token
    assert client.get(reverse("calendar-feed", args=[old])).status_code == 200
    new = calendar_feed_reset(user=personas.manager).token
    assert new != old
    assert client.get(reverse("calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar-feed", args=[new])).status_code == 200


def test_the_reset_button_on_the_profile_page_makes_a_new_address(personas):
    client = Client()
    client.force_login(personas.manager)
    page = client.get(reverse("profile-edit"))
    old = calendar_feed_for_user(user=personas.manager)
    assert feed_url(old) in page.content.decode()
    response = client.post(reverse("calendar-feed-reset"))
    assert response.status_code == 302
    assert Client().get(reverse("calendar-feed", args=[old.token])).status_code == 404
    assert client.get(reverse("calendar-feed-reset")).status_code == 405


def test_an_unknown_token_is_a_404_and_the_api_names_the_address(personas, api_client_for):
    assert Client().get("/calendar/feed/not-a-real-token.ics").status_code == 404
    body = api_client_for("reviewer").get("/api/profile/").json()
    token = calendar_feed_for_user(user=personas.reviewer).token
    assert body["calendar_feed_url"] == f"http://testserver/calendar/feed/{token}.ics"


def test_an_outsiders_boards_and_others_drafts_do_not_leak(personas):
    mine = make_draft(personas.board, personas.contributor, title="My post")
    theirs = make_draft(personas.board, personas.reviewer, title="Reviewer's post")
    hidden = make_draft(personas.other_board, personas.outsider, title="Elsewhere post")
    when = local(WINTER, 10, "Europe/Copenhagen")
    schedule(mine, personas, when)
    schedule(theirs, personas, when)
    draft_transition(draft_id=hidden.pk, name="submit", actor=personas.outsider)
    calendar_note_create(board=personas.board, actor=personas.manager, title="Launch week", starts_on=WINTER)
    calendar_note_create(board=personas.other_board, actor=None, title="Secret plan", starts_on=WINTER)

    contributor_feed = fetch(personas.contributor)[1].decode()
    assert "My post" in contributor_feed
    assert "Reviewer's post" not in contributor_feed  # contributors see their own drafts only
    assert "Launch week" in contributor_feed
    assert "Secret plan" not in contributor_feed
    assert "Elsewhere" not in contributor_feed
    outsider_feed = fetch(personas.outsider)[1].decode()
    assert "Secret plan" in outsider_feed
    assert "My post" not in outsider_feed
    assert "Launch week" not in outsider_feed


def test_an_unsigned_agreement_keeps_the_board_out_of_the_feed(personas):
    post = make_draft(personas.board, personas.contributor, title="Gated post")
    schedule(post, personas, local(WINTER, 10, "Europe/Copenhagen"))
    calendar_note_create(board=personas.board, actor=personas.manager, title="Gated note", starts_on=WINTER)
    assert "Gated note" in fetch(personas.contributor)[1].decode()
    make_agreement(personas.board)
    feed = fetch(personas.contributor)[1].decode()
    assert "Gated post" not in feed
    assert "Gated note" not in feed


def test_a_deactivated_account_has_no_feed(personas):
    token = calendar_feed_for_user(user=personas.contributor).token
    personas.contributor.is_active = False
    personas.contributor.save(update_fields=["is_active"])
    assert Client().get(reverse("calendar-feed", args=[token])).status_code == 404


def test_it_stays_within_its_window(personas):
    calendar_note_create(
        board=personas.board, actor=personas.manager, title="Long ago",
        starts_on=timezone.now().date() - timedelta(days=200),
    )  # fmt: skip
    calendar_note_create(
        board=personas.board, actor=personas.manager, title="Far ahead",
        starts_on=timezone.now().date() + timedelta(days=500),
    )  # fmt: skip
    feed = fetch(personas.manager)[1].decode()
    assert "Long ago" not in feed
    assert "Far ahead" not in feed


def _feed_queries(token: str) -> int:
    client = Client()
    url = reverse("calendar-feed", args=[token])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["contributor", "manager", "admin"])
def test_its_query_count_does_not_grow_with_the_schedule(persona, personas, new_york):
    user = getattr(personas, persona)
    token = calendar_feed_for_user(user=user).token

    def add(count: int, offset: int) -> None:
        for i in range(count):
            board: Board = personas.board if i % 2 else new_york
            draft = make_draft(board, personas.contributor, title=f"Post {offset + i}")
            schedule(draft, personas, local(WINTER, 8 + i % 8, board.time_zone))
            deadline_set(
                draft_id=draft.pk, actor=personas.manager, due_at=local(WINTER, 7, board.time_zone), label="Check"
            )
            calendar_note_create(board=board, actor=personas.manager, title=f"Note {offset + i}", starts_on=WINTER)

    add(2, 0)
    small = _feed_queries(token)
    add(6, 10)
    assert _feed_queries(token) == small


def test_a_failed_post_says_so_first(personas, draft):
    advance(draft, "failed", personas)
    event = events(fetch(personas.manager)[0])[f"post-{draft.pk}@testserver"]
    assert str(event["summary"]).startswith("Failed: Spring launch post")
    assert "State: Failed" in str(event["description"])


def test_an_unchanged_schedule_answers_304_to_a_calendar_that_asks_again(personas, draft):
    advance(draft, "scheduled", personas)
    client = Client()
    url = reverse("calendar-feed", args=[calendar_feed_for_user(user=personas.manager).token])
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    calendar_note_create(board=personas.board, actor=personas.manager, title="New note", starts_on=WINTER)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert b"New note" in changed.content
