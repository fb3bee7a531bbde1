"""The schedule form on the draft page: tick channels, give one an own time in the board's time zone; and every
time on the draft's publication list and the board's publication log shown in that zone, labelled."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drafts.models import DraftState
from publishing.models import Channel, ChannelKind, Publication
from tests.factories import advance, make_channel, make_draft

SECRET = "schedule-page-secret"
ZONE = ZoneInfo("Europe/Copenhagen")  # the personas' board's zone (tests.factories.BoardFactory)


@pytest.fixture
def channels(personas) -> list[Channel]:
    # The page never sends anything here: the receivers need not run.
    return [
        make_channel(
            personas.board,
            "webhook",
            name=name,
            settings={"url": f"http://127.0.0.1:9/{name.lower()}"},
            credentials={"secret": SECRET},
        )
        for name in ["Blog", "Newsroom", "Partners"]
    ]


@pytest.fixture
def approved(personas, draft, channels):
    advance(draft, "approved", personas)
    return draft


def local_input(when: datetime) -> str:
    """What a datetime-local input sends for `when`: the board's wall-clock time, no offset."""
    return when.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")


def later(hours: int) -> datetime:
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def post_schedule(client, draft, **data):
    body = {"channels_shown": "1", "publish_at": local_input(later(2)), **data}
    return client.post(f"/drafts/{draft.pk}/transitions/schedule/", body)


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def schedule_form(page: str, draft) -> str:
    form = page[page.index(f'action="/drafts/{draft.pk}/transitions/schedule/"') :]
    return form[: form.index("</form>")]


def nothing_written(draft) -> None:
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED
    assert not Publication.objects.filter(draft=draft).exists()


# --- The form -------------------------------------------------------------------------------------------


def test_it_offers_every_active_channel_ticked_with_its_name_kind_and_own_time(
    personas, approved, channels, web_client_for
):
    Channel.objects.filter(pk=channels[2].pk).update(is_active=False)
    page = web_client_for("manager").get(f"/drafts/{approved.pk}/").content.decode()
    form = schedule_form(page, approved)
    for channel in channels[:2]:
        box = re.search(rf'<input type="checkbox" name="channels" value="{channel.pk}" id="([^"]+)"[^>]*>', form)
        assert box
        assert " checked" in box.group(0)
        assert f'id="{box.group(1)}" checked> {channel.name} (Generic webhook)</label>' in form
        time_id = f"id_schedule_times_{channel.pk}"
        label = re.search(rf'<label class="field-label" for="{time_id}">(.*?)</label>', form).group(1)
        assert (
            re.sub(r"<[^>]+>", "", label)
            == f"Own time for {channel.name} (Generic webhook) (optional, Europe/Copenhagen)"
        )
        tag = re.search(rf'<input type="datetime-local" name="times_{channel.pk}"[^>]*id="{time_id}"[^>]*>', form)
        assert tag
        assert " required" not in tag.group(0)
    assert "Partners" not in form  # switched off: not offered
    assert "time zone (Europe/Copenhagen)." in form  # the publish time's hint; each own time's in its label
    assert '<input type="hidden" name="channels_shown" value="1">' in form


def test_it_says_what_happens_on_a_board_without_channels(personas, draft, web_client_for):
    advance(draft, "approved", personas)
    form = schedule_form(web_client_for("manager").get(f"/drafts/{draft.pk}/").content.decode(), draft)
    assert 'name="channels"' not in form
    assert "no active channel" in form


# --- Posting it -------------------------------------------------------------------------------------------


def test_it_schedules_the_ticked_channels_at_their_own_local_times(personas, approved, channels, web_client_for):
    blog, newsroom, partners = channels
    own = later(5)
    response = post_schedule(
        web_client_for("manager"),
        approved,
        channels=[str(blog.pk), str(partners.pk)],
        **{f"times_{partners.pk}": local_input(own), f"times_{blog.pk}": ""},
    )
    assert response.status_code == 302, flash(response)
    due = dict(Publication.objects.filter(draft=approved).values_list("channel", "due_at"))
    assert due == {blog.pk: later(2), partners.pk: own}
    approved.refresh_from_db()
    assert approved.publish_at == later(2)


def test_a_post_without_the_tick_boxes_means_every_channel(personas, approved, channels, web_client_for):
    response = web_client_for("manager").post(
        f"/drafts/{approved.pk}/transitions/schedule/", {"publish_at": local_input(later(2))}
    )
    assert response.status_code == 302
    assert Publication.objects.filter(draft=approved).count() == 3


def test_it_refuses_nothing_ticked_and_keeps_what_was_typed(personas, approved, channels, web_client_for):
    note = "Hold for the press release"
    response = post_schedule(web_client_for("manager"), approved, comment=note)
    assert response.status_code == 400
    assert "channels: Choose at least one channel." in flash(response)
    form = schedule_form(response.content.decode(), approved)
    assert "Choose at least one channel." in form  # at the field too
    assert note in form
    assert f'value="{local_input(later(2))}"' in form
    nothing_written(approved)


@pytest.mark.parametrize("case", ["other board", "switched off", "past own time"])
def test_it_refuses_a_bad_choice_on_the_page_as_the_api_does(
    personas, approved, channels, web_client_for, api_client_for, case
):
    blog, newsroom, _ = channels
    theirs = make_channel(
        personas.other_board,
        "webhook",
        name="Theirs",
        settings={"url": "http://127.0.0.1:9/x"},
        credentials={"secret": SECRET},
    )
    Channel.objects.filter(pk=newsroom.pk).update(is_active=False)
    past = timezone.now() - timedelta(hours=1)
    page_data, api_data = {
        "other board": ({"channels": [str(theirs.pk)]}, {"channels": [theirs.pk]}),
        "switched off": ({"channels": [str(newsroom.pk)]}, {"channels": [newsroom.pk]}),
        "past own time": (
            {"channels": [str(blog.pk)], f"times_{blog.pk}": local_input(past)},
            {"channels": [blog.pk], "times": [{"channel": blog.pk, "publish_at": past.isoformat()}]},
        ),
    }[case]
    page = post_schedule(web_client_for("manager"), approved, **page_data)
    api = api_client_for("manager").post(
        f"/api/drafts/{approved.pk}/transitions/schedule/",
        {"publish_at": later(2).isoformat(), **api_data},
        format="json",
    )
    assert (page.status_code, api.status_code) == (400, 400)
    [(field, messages)] = api.json().items()
    assert [f"{field}: {message}" for message in messages] == [m for m in flash(page) if m.startswith(f"{field}:")]
    assert "Theirs" not in page.content.decode()
    nothing_written(approved)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("outsider", 404), ("contributor", 403), ("reviewer", 403), ("manager", 302), ("admin", 302)],
)
def test_only_managers_schedule_on_chosen_channels_from_the_page(
    personas, approved, channels, web_client_for, persona, status
):
    response = post_schedule(
        web_client_for(persona),
        approved,
        channels=[str(channels[0].pk)],
        **{f"times_{channels[0].pk}": local_input(later(3))},
    )
    assert response.status_code == status
    if persona == "anonymous":
        assert "/login" in response["Location"] or "/accounts/" in response["Location"]
    assert Publication.objects.filter(draft=approved).count() == (1 if persona in {"manager", "admin"} else 0)


# --- Times in the board's zone, labelled ------------------------------------------------------------------


def test_the_draft_page_shows_each_channels_time_in_the_boards_zone(personas, approved, channels, web_client_for):
    blog, newsroom, _ = channels
    first, second = later(2), later(26)
    post_schedule(
        web_client_for("manager"),
        approved,
        channels=[str(blog.pk), str(newsroom.pk)],
        **{f"times_{newsroom.pk}": local_input(second)},
    )
    page = web_client_for("reviewer").get(f"/drafts/{approved.pk}/").content.decode()
    publishing = page[page.index('<section class="section draft-publications">') :]
    for when in (first, second):
        local = when.astimezone(ZONE)
        words = f"{local.day} {local:%b %Y, %H:%M} {local:%Z}"
        assert f'Due <time datetime="{when.isoformat()}" title="Europe/Copenhagen">{words}</time>' in publishing
    assert "Partners" not in publishing
    header = page[: page.index('<div class="review-layout">')]
    assert re.search(r'Publishes from <time datetime="[^"]+" title="Europe/Copenhagen">', header)


def test_the_log_shows_each_channels_time_in_the_boards_zone(personas, approved, channels, web_client_for):
    own = later(30)
    post_schedule(
        web_client_for("manager"),
        approved,
        channels=[str(channels[0].pk)],
        **{f"times_{channels[0].pk}": local_input(own)},
    )
    page = web_client_for("reviewer").get(f"/boards/{personas.board.slug}/publications/").content.decode()
    local = own.astimezone(ZONE)
    assert ">Time (Europe/Copenhagen)</th>" in page
    assert (
        f'Due <time datetime="{own.isoformat()}" title="Europe/Copenhagen">'
        f"{local.day} {local:%b %Y, %H:%M} {local:%Z}</time>"
    ) in page


# --- A fixed number of queries, however many channels ------------------------------------------------------


def add_channels_and_publications(personas, draft, count: int, *, offset: int) -> None:
    # Built in bulk, as rows, for speed: these channels never send (channel_create's checks are not the point).
    made = Channel.objects.bulk_create(
        [
            Channel(board=personas.board, kind=ChannelKind.WEBHOOK, name=f"Bulk {offset + i}", settings={})
            for i in range(count)
        ]
    )
    Publication.objects.bulk_create(
        [Publication(draft=draft, channel=channel, due_at=later(2 + i)) for i, channel in enumerate(made)]
    )


def measure(client, url: str) -> int:
    client.get(url)  # warm the per-process caches, as a running server has
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_draft_page_runs_a_fixed_number_of_queries_however_many_publications(personas, channels, web_client_for):
    draft = make_draft(personas.board, personas.contributor, title="Everywhere")
    advance(draft, "approved", personas)
    client = web_client_for("manager")
    post_schedule(client, draft, channels=[str(channel.pk) for channel in channels])
    url = f"/drafts/{draft.pk}/"
    small = measure(client, url)
    add_channels_and_publications(personas, draft, 30, offset=0)
    large = measure(client, url)
    assert large == small
    page = client.get(url).content.decode()
    publishing = page[page.index('<section class="section draft-publications">') :]
    assert publishing.count("Bulk ") == 30


def test_the_schedule_form_runs_a_fixed_number_of_queries_however_many_channels(
    personas, approved, channels, web_client_for
):
    client = web_client_for("manager")
    url = f"/drafts/{approved.pk}/"
    small = measure(client, url)
    Channel.objects.bulk_create(
        [Channel(board=personas.board, kind=ChannelKind.WEBHOOK, name=f"More {i}", settings={}) for i in range(30)]
    )
    large = measure(client, url)
    assert large == small
    assert schedule_form(client.get(url).content.decode(), approved).count('name="channels"') == 33
