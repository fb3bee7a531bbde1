"""The calendar: what it shows whom (posts, notes, deadlines of the boards one may see, behind the agreement
gate), in the board's zone across daylight-saving changes, and moving a post, which is the schedule step
(unschedule + schedule for a scheduled post) with all its checks, audited, refused with the reason."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocreate.errors import Conflict
from contributors.models import Board
from drafts.models import Draft, DraftEvent
from drafts.planning.calendar_selectors import (
    MAX_DAYS,
    calendar_entries,
    parse_window,
    unscheduled_approved,
)
from drafts.planning.calendar_views import local_moment
from drafts.planning.models import CalendarNote, Deadline, Pillar
from drafts.services import draft_transition
from publishing.models import Publication, PublicationState
from publishing.services import post_for_channel
from publishing.services.reschedule import draft_reschedule
from tests.factories import advance, make_channel, make_draft, member
from tests.matrix_agreements import make_agreement


def at(minutes: int) -> datetime:
    return (timezone.now() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def window_around(moment: datetime) -> tuple[date, date]:
    day = moment.date()
    return day - timedelta(days=3), day + timedelta(days=4)


def settled(draft: Draft, state: str, when: datetime) -> Draft:
    """A post as the publishing workers leave it, at a time that may have passed (tests of what is shown)."""
    Draft.objects.filter(pk=draft.pk).update(state=state, publish_at=when)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def hook(personas):
    return make_channel(
        personas.board, "webhook", name="Site hook", settings={"url": "http://127.0.0.1:9"}, credentials={"secret": "s"}
    )


@pytest.fixture
def scheduled(personas, draft, hook):
    advance(draft, "approved", personas)
    draft_transition(draft_id=draft.pk, name="schedule", actor=personas.manager, publish_at=at(24 * 60))
    draft.refresh_from_db()
    return draft


# --- What it shows, and to whom -------------------------------------------------------------------------


def test_it_shows_a_scheduled_post_with_its_pillars_channels_and_state(personas, scheduled):
    pillar = Pillar.objects.create(board=personas.board, name="Product", colour="#4f46e5")
    scheduled.pillars.add(pillar)
    start, end = window_around(scheduled.publish_at)

    entries = calendar_entries(personas.manager, start, end)

    [post] = entries.posts
    assert (post.pk, post.state, post.state_label) == (scheduled.pk, "scheduled", "Scheduled")
    assert post.pillars == [{"name": "Product", "colour": "#4f46e5"}]
    assert [(c["name"], c["kind"], c["state"]) for c in post.channels] == [("Site hook", "webhook", "pending")]
    assert post.movable


def test_it_leaves_out_drafts_not_yet_scheduled_and_posts_outside_the_window(personas, draft):
    advance(draft, "approved", personas)
    later = make_draft(personas.board, personas.contributor, title="Next month")
    settled(later, "scheduled", at(40 * 24 * 60))
    start, end = window_around(timezone.now())
    assert calendar_entries(personas.manager, start, end).posts == []


def test_a_board_the_user_has_no_role_on_shows_nothing(personas, scheduled):
    start, end = window_around(scheduled.publish_at)
    entries = calendar_entries(personas.outsider, start, end)
    assert entries.posts == []
    assert [b.pk for b in entries.boards] == [personas.other_board.pk]


def test_a_contributor_sees_their_own_posts_and_a_reviewer_every_post(personas, scheduled):
    others = make_draft(personas.board, personas.reviewer, title="By the reviewer")
    settled(others, "scheduled", scheduled.publish_at)
    start, end = window_around(scheduled.publish_at)
    assert [p.pk for p in calendar_entries(personas.contributor, start, end).posts] == [scheduled.pk]
    assert {p.pk for p in calendar_entries(personas.reviewer, start, end).posts} == {scheduled.pk, others.pk}
    assert not calendar_entries(personas.contributor, start, end).posts[0].movable  # managers move posts


def test_an_unsigned_member_sees_nothing_of_the_board_until_they_sign(personas, scheduled):
    make_agreement(personas.board)
    CalendarNote.objects.create(board=personas.board, title="Launch", starts_on=scheduled.publish_at.date(),
                                ends_on=scheduled.publish_at.date())  # fmt: skip
    start, end = window_around(scheduled.publish_at)
    entries = calendar_entries(personas.manager, start, end)
    assert (entries.boards, entries.posts, entries.notes) == ([], [], [])
    assert unscheduled_approved(personas.manager) == []


def test_it_shows_notes_on_their_days_and_deadlines_apart(personas, scheduled):
    day = scheduled.publish_at.date()
    CalendarNote.objects.create(board=personas.board, title="Launch week", starts_on=day, ends_on=day + timedelta(2))
    CalendarNote.objects.create(board=personas.other_board, title="Not ours", starts_on=day, ends_on=day)
    Deadline.objects.create(draft=scheduled, due_at=scheduled.publish_at - timedelta(hours=5))
    start, end = window_around(scheduled.publish_at)

    entries = calendar_entries(personas.manager, start, end)

    assert [n.title for n in entries.notes] == ["Launch week"]
    assert [(d.draft_id, d.label) for d in entries.deadlines] == [(scheduled.pk, "Due for review")]


def test_the_sidebar_lists_approved_unscheduled_drafts_for_managers_only(personas, draft):
    advance(draft, "approved", personas)
    assert [d.pk for d in unscheduled_approved(personas.manager)] == [draft.pk]
    assert unscheduled_approved(personas.reviewer) == []
    assert unscheduled_approved(personas.outsider) == []


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (None, "2026-12-01", "from"),
        ("2026-12-01", "soon", "to"),
        ("2026-12-05", "2026-12-01", "to"),
        ("2026-01-01", "2026-06-01", "to"),
        ("0001-01-01", "0001-01-08", "from"),
        ("9999-12-01", "9999-12-31", "from"),
    ],
)
def test_it_refuses_a_missing_wrong_or_too_wide_window(start, end, field):
    with pytest.raises(ValidationError) as refused:
        parse_window(start, end)
    assert field in refused.value.message_dict


def test_the_widest_window_is_allowed():
    assert parse_window("2026-11-01", (date(2026, 11, 1) + timedelta(MAX_DAYS)).isoformat())


def test_it_reads_the_window_in_a_fixed_number_of_queries_however_many_posts(personas, scheduled, hook):
    pillar = Pillar.objects.create(board=personas.board, name="Product", colour="#4f46e5")
    start, end = window_around(scheduled.publish_at)

    def count() -> int:
        calendar_entries(personas.manager, start, end)  # warm the permission caches, as a server has
        with CaptureQueriesContext(connection) as ctx:
            entries = calendar_entries(personas.manager, start, end)
        return len(ctx.captured_queries), len(entries.posts)

    small, shown = count()
    for n in range(15):
        extra = make_draft(personas.board, personas.contributor, title=f"Post {n}")
        extra.pillars.add(pillar)
        settled(extra, "published", scheduled.publish_at + timedelta(hours=n))
        Publication.objects.create(draft=extra, channel=hook, due_at=extra.publish_at, state="published")
    CalendarNote.objects.create(board=personas.board, title="A note", starts_on=start, ends_on=start)
    large, shown_now = count()
    assert shown_now == shown + 15
    assert large == small


# --- Daylight saving: 09:00 on the board's clock stays 09:00 on its calendar ------------------------------


@pytest.mark.parametrize(
    ("zone", "change", "label_before", "label_after"),
    [
        ("Europe/Copenhagen", date(2026, 10, 25), "CEST", "CET"),
        ("America/New_York", date(2026, 11, 1), "EDT", "EST"),
        ("Europe/Copenhagen", date(2030, 10, 27), "CEST", "CET"),  # tests/test_publishing_dst.py's change
    ],
)
def test_a_post_at_nine_shows_at_nine_on_both_sides_of_a_clock_change(personas, client, zone, change,
                                                                       label_before, label_after):  # fmt: skip
    Board.objects.filter(pk=personas.board.pk).update(time_zone=zone)
    days = [change - timedelta(days=1), change, change + timedelta(days=1)]
    for day in days:
        moment = datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZoneInfo(zone))
        post = make_draft(personas.board, personas.contributor, title=f"Nine on {day}")
        settled(post, "published", moment)
    client.force_login(personas.manager)
    start = change - timedelta(days=change.weekday())  # Monday: the change's week and the next, as two week views ask
    response = client.get(
        "/calendar/events/",
        {"start": f"{start}T00:00:00Z", "end": f"{start + timedelta(14)}T00:00:00Z", "board": "launch"},
    )
    assert response.status_code == 200
    posts = [e for e in response.json() if e["extendedProps"]["kind"] == "post"]
    assert [e["start"] for e in posts] == [f"{day}T09:00" for day in days]
    assert [e["extendedProps"]["zone"] for e in posts] == [label_before, label_after, label_after]
    assert {e["extendedProps"]["localTime"] for e in posts} == {"09:00"}


def test_a_move_is_read_on_the_board_clock_and_refuses_a_skipped_or_repeated_time():
    assert local_moment("2030-10-28", "09:00", "Europe/Copenhagen").astimezone(UTC) == datetime(
        2030, 10, 28, 8, 0, tzinfo=UTC
    )
    assert local_moment("2030-10-26", "09:00", "Europe/Copenhagen").astimezone(UTC) == datetime(
        2030, 10, 26, 7, 0, tzinfo=UTC
    )
    with pytest.raises(ValidationError, match="does not exist"):
        local_moment("2030-03-31", "02:30", "Europe/Copenhagen")
    with pytest.raises(ValidationError, match="happens twice"):
        local_moment("2030-10-27", "02:30", "Europe/Copenhagen")
    with pytest.raises(ValidationError):
        local_moment("2030-10-27", "25:00", "Europe/Copenhagen")
    with pytest.raises(ValidationError, match="in the years"):
        local_moment("9999-12-31", "23:00", "America/New_York")


# --- Moving a post: the schedule step, with every check ------------------------------------------------


def test_moving_a_scheduled_post_is_unschedule_and_schedule_audited_and_moves_every_channel(personas, scheduled, hook):
    second = make_channel(
        personas.board, "webhook", name="Partners", settings={"url": "http://127.0.0.1:9"}, credentials={"secret": "s"}
    )
    draft_transition(draft_id=scheduled.pk, name="unschedule", actor=personas.manager)
    first = at(24 * 60)
    draft_transition(
        draft_id=scheduled.pk, name="schedule", actor=personas.manager, publish_at=first,
        channels=[hook.pk, second.pk], times={second.pk: first + timedelta(hours=2)},
    )  # fmt: skip
    before_events = DraftEvent.objects.filter(draft=scheduled).count()

    event = draft_reschedule(draft_id=scheduled.pk, actor=personas.manager, publish_at=first + timedelta(days=2))

    scheduled.refresh_from_db()
    assert scheduled.state == "scheduled"
    assert scheduled.publish_at == first + timedelta(days=2)
    due = dict(Publication.objects.filter(draft=scheduled).values_list("channel__name", "due_at"))
    assert due == {"Site hook": first + timedelta(days=2), "Partners": first + timedelta(days=2, hours=2)}
    # The approved content's fingerprint is taken again, as the schedule step does.
    for publication in Publication.objects.filter(draft=scheduled).select_related("channel"):
        assert (
            publication.content_sha256
            == post_for_channel(scheduled, publication.channel, idempotency_key="").fingerprint
        )
    events = list(DraftEvent.objects.filter(draft=scheduled).order_by("pk")[before_events:])
    assert [(e.transition, e.actor_id) for e in events] == [
        ("unschedule", personas.manager.pk),
        ("schedule", personas.manager.pk),
    ]
    assert event == events[-1]
    assert events[0].notified_at is not None  # the move tells the authors once, with the new time
    assert events[1].notified_at is None  # told by its task after commit
    assert events[-1].data["moved_from"] == first.isoformat()
    assert events[-1].data["via"] == "calendar"


def test_scheduling_an_approved_draft_from_the_sidebar_is_the_schedule_step(personas, draft, hook):
    advance(draft, "approved", personas)
    event = draft_reschedule(draft_id=draft.pk, actor=personas.manager, publish_at=at(120))
    assert (event.transition, event.source, event.target) == ("schedule", "approved", "scheduled")
    assert Publication.objects.get(draft=draft).state == PublicationState.PENDING


def test_a_move_into_the_past_is_refused_and_changes_nothing(personas, scheduled):
    before = (scheduled.publish_at, scheduled.version)
    with pytest.raises(ValidationError) as refused:
        draft_reschedule(draft_id=scheduled.pk, actor=personas.manager, publish_at=at(-60))
    assert refused.value.message_dict == {"publish_at": ["The publish time must be in the future."]}
    scheduled.refresh_from_db()
    assert (scheduled.publish_at, scheduled.version) == before


@pytest.mark.parametrize("persona", ["contributor", "reviewer"])
def test_only_managers_move_posts(personas, scheduled, persona):
    with pytest.raises(PermissionDenied):
        draft_reschedule(draft_id=scheduled.pk, actor=getattr(personas, persona), publish_at=at(3 * 24 * 60))
    assert Draft.objects.get(pk=scheduled.pk).publish_at == scheduled.publish_at


def test_a_post_a_platform_would_refuse_is_refused_with_the_reason_and_stays_where_it_was(personas, scheduled):
    make_channel(
        personas.board, "mastodon", name="Toots", settings={"url": "http://127.0.0.1:9"}, credentials={"token": "t"}
    )
    Draft.objects.filter(pk=scheduled.pk).update(body="word " * 200)  # longer than a toot
    advance_to = at(3 * 24 * 60)
    # The approved draft (not yet on Toots) is scheduled everywhere active: Toots refuses it.
    draft_transition(draft_id=scheduled.pk, name="unschedule", actor=personas.manager)
    with pytest.raises(ValidationError) as refused:
        draft_reschedule(draft_id=scheduled.pk, actor=personas.manager, publish_at=advance_to)
    assert [m.split(":")[0] for m in refused.value.message_dict["channels"]] == ["Toots"]
    assert Draft.objects.get(pk=scheduled.pk).state == "approved"


def test_a_post_already_going_out_cannot_be_moved(personas, scheduled):
    Publication.objects.filter(draft=scheduled).update(state=PublicationState.SENDING)
    with pytest.raises(Conflict, match="already going out on Site hook"):
        draft_reschedule(draft_id=scheduled.pk, actor=personas.manager, publish_at=at(3 * 24 * 60))
    assert Draft.objects.get(pk=scheduled.pk).state == "scheduled"


def test_a_stale_calendar_is_refused(personas, scheduled):
    with pytest.raises(Conflict, match="reload the calendar"):
        draft_reschedule(
            draft_id=scheduled.pk, actor=personas.manager, publish_at=at(3 * 24 * 60),
            expected_version=scheduled.version - 1,
        )  # fmt: skip


def test_a_published_post_cannot_be_moved(personas, scheduled):
    draft_transition(draft_id=scheduled.pk, name="mark_published", actor=None)
    with pytest.raises(Conflict, match="published post cannot be moved"):
        draft_reschedule(draft_id=scheduled.pk, actor=personas.manager, publish_at=at(3 * 24 * 60))


def test_a_failed_post_moved_is_retried_then(personas, scheduled):
    Publication.objects.filter(draft=scheduled).update(state=PublicationState.FAILED)
    draft_transition(draft_id=scheduled.pk, name="mark_failed", actor=None)
    when = at(2 * 24 * 60)
    event = draft_reschedule(draft_id=scheduled.pk, actor=personas.manager, publish_at=when)
    assert (event.transition, event.target) == ("retry", "scheduled")
    assert Publication.objects.get(draft=scheduled).due_at == when


def test_an_unsigned_manager_cannot_move_posts(personas, scheduled):
    make_agreement(personas.board)
    with pytest.raises(PermissionDenied):
        draft_reschedule(draft_id=scheduled.pk, actor=personas.manager, publish_at=at(3 * 24 * 60))


# --- The endpoint the calendar posts to ----------------------------------------------------------------


def test_the_endpoint_moves_a_post_and_answers_json(personas, client, scheduled):
    client.force_login(personas.manager)
    zone = ZoneInfo(personas.board.time_zone)
    local = scheduled.publish_at.astimezone(zone)
    day = (local + timedelta(days=1)).date().isoformat()
    response = client.post(
        f"/calendar/reschedule/{scheduled.pk}/",
        {"date": day, "time": "10:00", "version": scheduled.version},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["ok"] is True
    assert response.json()["message"].startswith(f"Moved “{scheduled.title}” to ")
    scheduled.refresh_from_db()
    assert scheduled.publish_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") == f"{day} 10:00"  # the board's clock


def test_the_endpoint_refuses_the_past_with_the_reason(personas, client, scheduled):
    client.force_login(personas.manager)
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    response = client.post(
        f"/calendar/reschedule/{scheduled.pk}/", {"date": yesterday, "time": "10:00"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "message": "The publish time must be in the future.",
        "errors": {"publish_at": ["The publish time must be in the future."]},
    }


def test_the_endpoint_answers_a_plain_form_with_a_redirect_and_a_message(personas, client, draft, hook):
    advance(draft, "approved", personas)
    client.force_login(personas.manager)
    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    response = client.post(
        f"/calendar/reschedule/{draft.pk}/", {"date": tomorrow, "time": "09:00", "next": "/boards/launch/calendar/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/boards/launch/calendar/"
    assert Draft.objects.get(pk=draft.pk).state == "scheduled"


def test_the_events_endpoint_refuses_a_bad_window(personas, client):
    client.force_login(personas.manager)
    response = client.get("/calendar/events/", {"start": "2026-01-01", "end": "2026-09-01"})
    assert response.status_code == 400
    assert "at most 62 days" in response.json()["message"]
    assert client.get("/calendar/events/", {"start": "0001-01-01", "end": "0001-01-08"}).status_code == 400


def test_the_endpoint_refuses_a_date_out_of_reach(personas, client, scheduled):
    client.force_login(personas.manager)
    response = client.post(
        f"/calendar/reschedule/{scheduled.pk}/", {"date": "9999-12-31", "time": "23:00"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "in the years" in response.json()["message"]


def test_the_events_mark_what_the_user_may_drag(personas, client, scheduled):
    start, end = window_around(scheduled.publish_at)
    for name, editable in [("manager", True), ("reviewer", False)]:
        client.force_login(getattr(personas, name))
        events = client.get("/calendar/events/", {"start": start, "end": end}).json()
        [post] = [e for e in events if e["extendedProps"]["kind"] == "post"]
        assert post["editable"] is editable
        assert bool(post["extendedProps"]["moveUrl"]) is editable


# --- The API ------------------------------------------------------------------------------------------


def test_the_api_gives_posts_with_utc_and_local_times(personas, api_client_for, scheduled):
    Board.objects.filter(pk=personas.board.pk).update(time_zone="Europe/Copenhagen")
    start, end = window_around(scheduled.publish_at)
    response = api_client_for("manager").get("/api/calendar/", {"from": start, "to": end, "board": personas.board.pk})
    assert response.status_code == 200, response.content
    [post] = response.json()["posts"]
    assert post["id"] == scheduled.pk
    assert post["state"] == "scheduled"
    assert post["movable"] is True
    assert post["publish_at_local"]["zone"] in {"CET", "CEST"}
    assert [c["name"] for c in post["channels"]] == ["Site hook"]


@pytest.mark.parametrize(
    ("params", "status"),
    [({"from": "2026-01-01"}, 400), ({"from": "2026-01-01", "to": "2026-12-01"}, 400), ({"from": "x", "to": "y"}, 400)],
)
def test_the_api_refuses_bad_dates(personas, api_client_for, params, status):
    response = api_client_for("manager").get("/api/calendar/", params)
    assert response.status_code == status
    assert response.json()


def test_the_api_hides_a_board_you_cannot_see(personas, api_client_for):
    response = api_client_for("outsider").get(
        "/api/calendar/", {"from": "2026-12-01", "to": "2026-12-08", "board": personas.board.pk}
    )
    assert response.status_code == 404


def test_a_member_of_two_boards_sees_both(personas, scheduled):
    other_manager = member(personas.other_board, "manager", username="second")
    start, end = window_around(scheduled.publish_at)
    assert [b.slug for b in calendar_entries(other_manager, start, end).boards] == ["elsewhere"]


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("anonymous", 401, False),
        ("outsider", 200, False),
        ("contributor", 200, True),
        ("reviewer", 200, True),
        ("manager", 200, True),
        ("admin", 200, True),
    ],
)
def test_the_api_shows_each_persona_what_they_may_open(personas, api_client_for, scheduled, persona, status, sees):
    start, end = window_around(scheduled.publish_at)
    response = api_client_for(persona).get("/api/calendar/", {"from": start, "to": end})
    assert response.status_code == status
    if status == 200:
        assert any(post["id"] == scheduled.pk for post in response.json()["posts"]) is sees
