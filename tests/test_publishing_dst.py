"""A post scheduled on the board's clock goes out at that local time on either side of a daylight-saving change.

Scheduling converts the board's local time to one UTC instant, using the offset in force on the day of the
post (not on the day it was scheduled); everything after that (claiming, pre-flight, retries) works in UTC,
so a change of clocks between scheduling and publishing moves nothing. Local times the change makes
impossible (skipped) or ambiguous (repeated) are refused with a message instead of guessed.

The dates are in 2030 so they stay in the future: Copenhagen changes on 31 March and 27 October 2030,
New York on 10 March and 3 November 2030.
"""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages

from contributors.models import Board
from publishing import services
from publishing.models import Channel, Publication, PublicationState
from publishing.standins.webhook import WebhookStandIn
from tests.factories import advance, make_channel, make_draft

SECRET = "dst-signing-secret"


@pytest.fixture
def receiver():
    stand_in = WebhookStandIn(secret=SECRET)
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def channel(personas, receiver) -> Channel:
    return make_channel(
        personas.board, "webhook", name="Site hook", settings={"url": receiver.url}, credentials={"secret": SECRET}
    )


def schedule_on_page(web_client_for, personas, draft, local_value: str):
    """The manager's schedule form: a datetime-local value, which means the board's clock."""
    advance(draft, "approved", personas)
    draft.refresh_from_db()
    return web_client_for("manager").post(
        f"/drafts/{draft.pk}/transitions/schedule/", {"version": draft.version, "publish_at": local_value}
    )


def claim_at(moment: datetime) -> list[int]:
    return services.publications_claim_due(now=moment)


@pytest.mark.parametrize(
    ("zone", "local_value", "utc_due"),
    [
        # Copenhagen: the day before spring forward is UTC+1, the day after UTC+2.
        ("Europe/Copenhagen", "2030-03-30T09:00", datetime(2030, 3, 30, 8, 0, tzinfo=UTC)),
        ("Europe/Copenhagen", "2030-03-31T09:00", datetime(2030, 3, 31, 7, 0, tzinfo=UTC)),
        # Fall back: the morning after the change is UTC+1 again.
        ("Europe/Copenhagen", "2030-10-26T09:00", datetime(2030, 10, 26, 7, 0, tzinfo=UTC)),
        ("Europe/Copenhagen", "2030-10-27T09:00", datetime(2030, 10, 27, 8, 0, tzinfo=UTC)),
        # New York changes on other dates, and the board's zone is what counts, not the server's.
        ("America/New_York", "2030-03-09T09:00", datetime(2030, 3, 9, 14, 0, tzinfo=UTC)),
        ("America/New_York", "2030-03-10T09:00", datetime(2030, 3, 10, 13, 0, tzinfo=UTC)),
    ],
)
def test_it_publishes_at_the_boards_local_time_on_either_side_of_a_clock_change(
    personas, web_client_for, channel, receiver, zone, local_value, utc_due
):
    Board.objects.filter(pk=personas.board.pk).update(time_zone=zone)
    draft = make_draft(personas.board, personas.contributor, title="Spring sale", body="Doors open at nine.")

    response = schedule_on_page(web_client_for, personas, draft, local_value)

    assert response.status_code == 302, [str(m) for m in get_messages(response.wsgi_request)]
    publication = Publication.objects.get(draft=draft)
    assert publication.due_at == utc_due
    assert publication.due_at.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M") == local_value

    # Not a second early, and not an hour late or early either: the claim follows the UTC instant.
    assert claim_at(utc_due - timedelta(seconds=1)) == []
    assert claim_at(utc_due - timedelta(hours=1)) == []
    assert claim_at(utc_due) == [publication.pk]
    assert services.publication_publish(publication_id=publication.pk) == PublicationState.PUBLISHED
    assert len(receiver.posts) == 1


@pytest.mark.parametrize(
    "local_value",
    [
        "2030-03-31T02:30",  # skipped: clocks jump from 02:00 to 03:00
        "2030-10-27T02:30",  # repeated: 02:00-03:00 happens twice
    ],
)
def test_it_refuses_a_local_time_the_clock_change_skips_or_repeats(personas, web_client_for, channel, local_value):
    Board.objects.filter(pk=personas.board.pk).update(time_zone="Europe/Copenhagen")
    draft = make_draft(personas.board, personas.contributor, title="Night owl", body="Late post.")

    response = schedule_on_page(web_client_for, personas, draft, local_value)

    assert response.status_code == 400
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "couldn’t be interpreted in time zone Europe/Copenhagen" in messages
    draft.refresh_from_db()
    assert draft.state == "approved"
    assert not Publication.objects.filter(draft=draft).exists()


def test_the_pre_flight_warning_names_the_local_time_after_the_change(personas, web_client_for, channel, mailoutbox):
    """Scheduled in winter for a summer morning: the managers' warning shows the summer clock (CEST)."""
    Board.objects.filter(pk=personas.board.pk).update(time_zone="Europe/Copenhagen")
    draft = make_draft(personas.board, personas.contributor, title="Summer launch", body="Hello summer.")
    assert schedule_on_page(web_client_for, personas, draft, "2030-03-31T09:00").status_code == 302
    channel.credentials = {"secret": ""}  # the check must find a problem to write about
    channel.save()

    services.publications_preflight(now=datetime(2030, 3, 31, 6, 50, tzinfo=UTC))

    assert len(mailoutbox) == 1
    assert "at 2030-03-31 09:00 CEST" in mailoutbox[0].body
