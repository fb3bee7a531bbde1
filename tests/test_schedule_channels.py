"""Scheduling on some of the board's channels, each at its own time: the service and the API.

Three webhook stand-ins play three platforms, so a test sees exactly which channels were posted to."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from drafts.models import Draft, DraftEvent
from drafts.services import draft_transition
from publishing import services
from publishing.models import Channel, Publication, PublicationState
from publishing.standins.webhook import Fault, WebhookStandIn
from tests.factories import advance, make_channel, make_draft, run_due

SECRET = "schedule-channels-secret"


@pytest.fixture
def receivers():
    stand_ins = [WebhookStandIn(secret=SECRET) for _ in range(3)]
    for stand_in in stand_ins:
        stand_in.url = stand_in.start()
    yield stand_ins
    for stand_in in stand_ins:
        stand_in.stop()


@pytest.fixture
def channels(personas, receivers) -> list[Channel]:
    return [
        make_channel(
            personas.board, "webhook", name=name, settings={"url": receiver.url}, credentials={"secret": SECRET}
        )
        for name, receiver in zip(["Blog", "Newsroom", "Partners"], receivers, strict=True)
    ]


@pytest.fixture
def approved(personas, draft, channels):
    advance(draft, "approved", personas)
    return draft


def schedule(draft, actor, **arguments) -> DraftEvent:
    return draft_transition(draft_id=draft.pk, name="schedule", actor=actor, **arguments)


def at(minutes: int):
    return (timezone.now() + timedelta(minutes=minutes)).replace(microsecond=0)


def nothing_written(draft) -> None:
    draft.refresh_from_db()
    assert draft.state == "approved"
    assert draft.publish_at is None
    assert not Publication.objects.filter(draft=draft).exists()
    assert not draft.events.filter(transition="schedule").exists()


# --- Which channels -------------------------------------------------------------------------------------


def test_it_schedules_two_of_three_channels_and_publishes_on_exactly_those(personas, approved, channels, receivers):
    blog, newsroom, partners = channels
    schedule(approved, personas.manager, publish_at=at(60), channels=[blog.pk, partners.pk])

    assert sorted(Publication.objects.filter(draft=approved).values_list("channel__name", flat=True)) == [
        "Blog",
        "Partners",
    ]
    assert run_due() == ["published", "published"]
    assert [len(receiver.posts) for receiver in receivers] == [1, 0, 1]
    approved.refresh_from_db()
    assert approved.state == "published"  # every chosen channel published; Newsroom was never asked


def test_it_schedules_every_active_channel_when_none_are_named(personas, approved, channels):
    Channel.objects.filter(pk=channels[2].pk).update(is_active=False)
    event = schedule(approved, personas.manager, publish_at=at(60))
    assert set(Publication.objects.filter(draft=approved).values_list("channel", flat=True)) == {
        channels[0].pk,
        channels[1].pk,
    }
    assert event.data["channels"] == [channels[0].pk, channels[1].pk]


def test_it_records_the_chosen_channels_and_each_ones_time_on_the_event(personas, approved, channels):
    blog, newsroom, _ = channels
    default, own = at(60), at(120)
    event = schedule(
        approved, personas.manager, publish_at=default, channels=[blog.pk, newsroom.pk], times={newsroom.pk: own}
    )
    assert event.data["channels"] == [blog.pk, newsroom.pk]
    assert event.data["times"] == {str(blog.pk): default.isoformat(), str(newsroom.pk): own.isoformat()}


# --- A time per channel -----------------------------------------------------------------------------------


def test_it_gives_each_channel_its_own_time_and_the_draft_the_earliest(personas, approved, channels):
    blog, newsroom, partners = channels
    default, early, late = at(60), at(30), at(180)
    schedule(approved, personas.manager, publish_at=default, times={newsroom.pk: early, partners.pk: late})

    due = dict(Publication.objects.filter(draft=approved).values_list("channel", "due_at"))
    assert due == {blog.pk: default, newsroom.pk: early, partners.pk: late}
    approved.refresh_from_db()
    assert approved.publish_at == early


def test_it_makes_the_earliest_own_time_the_drafts_even_when_later_than_the_publish_time(personas, approved, channels):
    blog, _, _ = channels
    own = at(240)
    schedule(approved, personas.manager, publish_at=at(60), channels=[blog.pk], times={blog.pk: own})
    approved.refresh_from_db()
    assert approved.publish_at == own


def test_the_claim_tick_does_not_claim_a_later_channel_early(personas, approved, channels, receivers):
    blog, newsroom, _ = channels
    early, late = at(30), at(90)
    schedule(approved, personas.manager, publish_at=early, channels=[blog.pk, newsroom.pk], times={newsroom.pk: late})

    assert services.publications_claim_due(now=early - timedelta(seconds=1)) == []
    assert run_due(at=early) == ["published"]
    assert [len(receiver.posts) for receiver in receivers] == [1, 0, 0]
    approved.refresh_from_db()
    assert approved.state == "scheduled"  # Newsroom is still to come
    assert run_due(at=late - timedelta(seconds=1)) == []
    assert run_due(at=late) == ["published"]
    assert [len(receiver.posts) for receiver in receivers] == [1, 1, 0]
    approved.refresh_from_db()
    assert approved.state == "published"


def test_it_fails_the_draft_when_a_chosen_channel_fails_for_good(personas, approved, channels, receivers):
    blog, newsroom, _ = channels
    receivers[1].script = [Fault(status=400, body="rejected")]
    schedule(approved, personas.manager, publish_at=at(30), channels=[blog.pk, newsroom.pk])
    assert sorted(run_due()) == ["failed", "published"]
    approved.refresh_from_db()
    assert approved.state == "failed"
    assert "Newsroom" in approved.events.last().comment


# --- Refused, with nothing half-written --------------------------------------------------------------------


def test_it_refuses_a_channel_of_another_board_without_naming_it(personas, approved, channels, receivers):
    theirs = make_channel(
        personas.other_board,
        "webhook",
        name="Secret plans",
        settings={"url": receivers[0].url},
        credentials={"secret": SECRET},
    )
    with pytest.raises(ValidationError) as refused:
        schedule(approved, personas.manager, publish_at=at(60), channels=[channels[0].pk, theirs.pk])
    assert refused.value.message_dict == {"channels": [f"Channel {theirs.pk} is not one of this board's channels."]}
    assert "Secret plans" not in str(refused.value)
    nothing_written(approved)


def test_it_refuses_a_switched_off_channel_naming_it(personas, approved, channels):
    Channel.objects.filter(pk=channels[1].pk).update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        schedule(approved, personas.manager, publish_at=at(60), channels=[channels[1].pk])
    assert refused.value.message_dict == {
        "channels": ["Newsroom is switched off: switch it on in the board's channels to publish there."]
    }
    nothing_written(approved)


def test_it_refuses_an_empty_choice_of_channels(personas, approved):
    with pytest.raises(ValidationError) as refused:
        schedule(approved, personas.manager, publish_at=at(60), channels=[])
    assert refused.value.message_dict == {"channels": ["Choose at least one channel."]}
    nothing_written(approved)


def test_it_refuses_an_own_time_in_the_past_naming_the_channel(personas, approved, channels):
    with pytest.raises(ValidationError) as refused:
        schedule(approved, personas.manager, publish_at=at(60), times={channels[2].pk: at(-5)})
    assert refused.value.message_dict == {"times": ["Partners: The publish time must be in the future."]}
    nothing_written(approved)


def test_it_refuses_an_own_time_without_an_offset(personas, approved, channels):
    naive = timezone.make_naive(at(60))
    with pytest.raises(ValidationError) as refused:
        schedule(approved, personas.manager, publish_at=at(60), times={channels[0].pk: naive})
    assert refused.value.message_dict == {"times": ["Blog: Give the publish time with its UTC offset."]}
    nothing_written(approved)


def test_it_refuses_a_time_for_a_channel_that_was_not_chosen(personas, approved, channels):
    with pytest.raises(ValidationError) as refused:
        schedule(
            approved, personas.manager, publish_at=at(60), channels=[channels[0].pk], times={channels[1].pk: at(90)}
        )
    assert refused.value.message_dict == {
        "times": [f"Channel {channels[1].pk} has a time but is not among the chosen channels."]
    }
    nothing_written(approved)


def test_it_checks_only_the_chosen_channels_content(personas, channels):
    # A channel that would refuse the post can be left out instead of blocking the whole schedule.
    make_channel(
        personas.board, "mastodon", name="Toots", settings={"url": "http://127.0.0.1:9"}, credentials={"token": "t"}
    )
    long_read = make_draft(personas.board, personas.contributor, title="Long read", body="word " * 200)
    advance(long_read, "approved", personas)
    with pytest.raises(ValidationError) as refused:
        schedule(long_read, personas.manager, publish_at=at(60))
    assert list(refused.value.message_dict) == ["channels"]
    assert [message.split(":")[0] for message in refused.value.message_dict["channels"]] == ["Toots"]
    nothing_written(long_read)

    schedule(long_read, personas.manager, publish_at=at(60), channels=[channels[0].pk, channels[1].pk])
    assert Publication.objects.filter(draft=long_read).count() == 2


# --- Unschedule, reschedule, retry ------------------------------------------------------------------------


def test_it_cancels_every_chosen_channel_on_unschedule(personas, approved, channels):
    schedule(approved, personas.manager, publish_at=at(60), channels=[channels[0].pk, channels[1].pk])
    draft_transition(draft_id=approved.pk, name="unschedule", actor=personas.manager)
    states = set(Publication.objects.filter(draft=approved).values_list("state", flat=True))
    assert states == {PublicationState.CANCELLED}
    assert run_due() == []


def test_a_reschedule_on_other_channels_cancels_an_old_failure_so_it_cannot_fail_the_draft(
    personas, approved, channels, receivers
):
    blog, newsroom, partners = channels
    receivers[0].script = [Fault(status=400, body="no")]
    schedule(
        approved, personas.manager, publish_at=at(30), channels=[blog.pk, newsroom.pk], times={newsroom.pk: at(90)}
    )
    assert run_due(at=at(31)) == ["failed"]  # Blog failed for good; Newsroom still to come
    draft_transition(draft_id=approved.pk, name="unschedule", actor=personas.manager)

    schedule(approved, personas.manager, publish_at=at(60), channels=[partners.pk])
    states = dict(Publication.objects.filter(draft=approved).values_list("channel__name", "state"))
    assert states == {"Blog": "cancelled", "Newsroom": "cancelled", "Partners": "pending"}
    assert run_due() == ["published"]
    approved.refresh_from_db()
    assert approved.state == "published"


def test_a_retry_can_choose_which_failed_channels_go_again_and_when(personas, approved, channels, receivers):
    blog, newsroom, partners = channels
    for receiver in receivers[:2]:
        receiver.script = [Fault(status=400, body="no")]
    schedule(approved, personas.manager, publish_at=at(30))
    assert sorted(run_due()) == ["failed", "failed", "published"]
    approved.refresh_from_db()
    assert approved.state == "failed"

    later = at(120)
    draft_transition(
        draft_id=approved.pk, name="retry", actor=personas.manager, channels=[newsroom.pk], times={newsroom.pk: later}
    )
    publications = {p.channel_id: p for p in Publication.objects.filter(draft=approved)}
    assert publications[newsroom.pk].state == "pending"
    assert publications[newsroom.pk].due_at == later
    assert publications[blog.pk].state == "failed"  # not chosen: stays failed
    assert run_due(at=later) == ["published"]
    approved.refresh_from_db()
    assert approved.state == "failed"  # Blog is still failed, and says so


def test_a_retry_refuses_a_channel_that_did_not_fail(personas, approved, channels, receivers):
    receivers[0].script = [Fault(status=400, body="no")]
    schedule(approved, personas.manager, publish_at=at(30))
    run_due()
    with pytest.raises(ValidationError) as refused:
        draft_transition(draft_id=approved.pk, name="retry", actor=personas.manager, channels=[channels[1].pk])
    assert refused.value.message_dict == {
        "channels": [f"Channel {channels[1].pk} has no failed publication of this draft to retry."]
    }
    assert Draft.objects.get(pk=approved.pk).state == "failed"


# --- Who may -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["contributor", "reviewer"])
def test_only_managers_schedule_on_chosen_channels(personas, approved, channels, persona):
    with pytest.raises(PermissionDenied):
        schedule(approved, getattr(personas, persona), publish_at=at(60), channels=[channels[0].pk])
    nothing_written(approved)


# --- The API -----------------------------------------------------------------------------------------------


def post_schedule(api_client_for, persona, draft, body):
    return api_client_for(persona).post(f"/api/drafts/{draft.pk}/transitions/schedule/", body, format="json")


def test_the_api_schedules_chosen_channels_with_their_own_times(personas, approved, channels, api_client_for):
    blog, _, partners = channels
    publish_at, own = at(60), at(150)  # each taken once: two calls can fall either side of a second
    response = post_schedule(
        api_client_for,
        "manager",
        approved,
        {
            "publish_at": publish_at.isoformat(),
            "channels": [blog.pk, partners.pk],
            "times": [{"channel": partners.pk, "publish_at": own.isoformat()}],
        },
    )
    assert response.status_code == 200, response.json()
    due = dict(Publication.objects.filter(draft=approved).values_list("channel", "due_at"))
    assert due == {blog.pk: publish_at, partners.pk: own}
    assert response.json()["draft"]["publish_at"] is not None


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"channels": []}, "channels", "Choose at least one channel."),
        ({"channels": [0]}, "channels", None),
        ({"channels": ["blog"]}, "channels", None),
        ({"times": [{"channel": 1, "publish_at": "2030-01-01T09:00:00"}]}, "times", None),
        ({"times": [{"channel": 1}]}, "times", None),
        ({"times": {"1": "2030-01-01T09:00:00+00:00"}}, "times", None),
    ],
    ids=["empty", "zero", "not-an-id", "no-offset", "no-time", "not-a-list"],
)
def test_the_api_refuses_malformed_channels_and_times_with_400(
    personas, approved, channels, api_client_for, body, field, message
):
    response = post_schedule(api_client_for, "manager", approved, {"publish_at": at(60).isoformat(), **body})
    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    nothing_written(approved)


def test_the_api_refuses_two_times_for_one_channel(personas, approved, channels, api_client_for):
    pk = channels[0].pk
    times = [{"channel": pk, "publish_at": at(70).isoformat()}, {"channel": pk, "publish_at": at(80).isoformat()}]
    response = post_schedule(api_client_for, "manager", approved, {"publish_at": at(60).isoformat(), "times": times})
    assert response.status_code == 400
    assert response.json() == {"times": ["Give each channel one time."]}
    nothing_written(approved)


def test_the_api_refuses_what_the_service_refuses_in_the_same_words(
    personas, approved, channels, receivers, api_client_for
):
    theirs = make_channel(
        personas.other_board,
        "webhook",
        name="Theirs",
        settings={"url": receivers[0].url},
        credentials={"secret": SECRET},
    )
    Channel.objects.filter(pk=channels[1].pk).update(is_active=False)
    cases = [
        ({"channels": [theirs.pk]}, {"channels": [f"Channel {theirs.pk} is not one of this board's channels."]}),
        (
            {"channels": [channels[1].pk]},
            {"channels": ["Newsroom is switched off: switch it on in the board's channels to publish there."]},
        ),
        (
            {"times": [{"channel": channels[0].pk, "publish_at": at(-10).isoformat()}]},
            {"times": ["Blog: The publish time must be in the future."]},
        ),
    ]
    for body, expected in cases:
        response = post_schedule(api_client_for, "manager", approved, {"publish_at": at(60).isoformat(), **body})
        assert (response.status_code, response.json()) == (400, expected)
    nothing_written(approved)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("outsider", 404), ("contributor", 403), ("reviewer", 403), ("manager", 200), ("admin", 200)],
)
def test_the_api_lets_only_managers_schedule_on_chosen_channels(
    personas, approved, channels, api_client_for, persona, status
):
    body = {
        "publish_at": at(60).isoformat(),
        "channels": [channels[0].pk],
        "times": [{"channel": channels[0].pk, "publish_at": at(90).isoformat()}],
    }
    assert post_schedule(api_client_for, persona, approved, body).status_code == status
    assert Publication.objects.filter(draft=approved).count() == (1 if status == 200 else 0)


def test_the_schema_documents_channels_and_times(api_client_for, personas):
    schema = api_client_for("contributor").get("/api/schema/", {"format": "json"}).json()
    body = schema["components"]["schemas"]["ScheduleTransitionRequest"]["properties"]
    assert body["channels"]["type"] == "array"
    assert body["channels"]["items"]["type"] == "integer"
    assert body["times"]["items"]["$ref"] == "#/components/schemas/ChannelTimeRequest"
    item = schema["components"]["schemas"]["ChannelTimeRequest"]
    assert set(item["required"]) == {"channel", "publish_at"}
    assert item["properties"]["publish_at"]["format"] == "date-time"
