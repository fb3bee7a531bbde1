"""A text for every channel of a kind (`kind:<kind>`): the editor offers its box where the board has two or
more active channels of the kind, beside those channels' previews, which follow it as it is typed; a
channel's own text still wins; the form and the API save it under its key."""

import pytest

from publishing.selectors import draft_previews
from publishing.standins.bluesky import BlueskyStandIn
from publishing.standins.mastodon import MastodonStandIn
from tests.factories import make_channel, make_draft


@pytest.fixture
def stand_ins():
    mastodon, bluesky = MastodonStandIn(token="m-token"), BlueskyStandIn()
    mastodon.url, bluesky.url = mastodon.start(), bluesky.start()
    yield mastodon, bluesky
    mastodon.stop()
    bluesky.stop()


def mastodon_channel(board, stand_in, name):
    return make_channel(board, "mastodon", name=name, settings={"url": stand_in.url}, credentials={"token": "m-token"})


def bluesky_channel(board, stand_in, name="Sky"):
    credentials = {"identifier": stand_in.identifier, "password": stand_in.password}
    return make_channel(board, "bluesky", name=name, settings={"pds": stand_in.url}, credentials=credentials)


@pytest.fixture
def board_channels(personas, stand_ins):
    mastodon, bluesky = stand_ins
    fedi = mastodon_channel(personas.board, mastodon, "Fedi")
    support = mastodon_channel(personas.board, mastodon, "Support")
    sky = bluesky_channel(personas.board, bluesky)
    return fedi, support, sky


def test_the_editor_offers_a_box_for_a_kind_with_two_channels_and_none_for_a_kind_with_one(
    personas, draft, board_channels, client
):
    client.force_login(personas.contributor)
    page = client.get(f"/drafts/{draft.pk}/edit/").content.decode()
    assert 'name="variant_kind_mastodon"' in page
    assert "Text for every Mastodon channel" in page
    assert 'Every Mastodon channel <span class="muted">(Fedi, Support)</span>' in page
    assert 'name="variant_kind_bluesky"' not in page
    # The box sits with the channels' previews, outside the form, and belongs to it by its id.
    box = page[page.index('name="variant_kind_mastodon"') - 300 : page.index('name="variant_kind_mastodon"') + 100]
    assert 'form="draft-form"' in box
    assert page.index('id="kind-variant-mastodon"') < page.index(f'id="channel-card-{board_channels[0].pk}"')


def test_the_form_saves_the_kind_text_and_a_channels_own_text_beside_it(personas, draft, board_channels, client):
    fedi, support, sky = board_channels
    client.force_login(personas.contributor)
    answer = client.post(
        f"/drafts/{draft.pk}/edit/",
        {
            "title": draft.title,
            "body": "The body",
            "tags": "",
            "version": draft.version,
            "variant_kind_mastodon": "For both accounts",
            f"variant_channel_{support.pk}": "Support's own",
        },
    )
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.variants == {"kind:mastodon": "For both accounts", f"channel:{support.pk}": "Support's own"}
    texts = {preview["name"]: preview["text"] for preview in draft_previews(draft)}
    assert texts == {"Fedi": "For both accounts", "Support": "Support's own", "Sky": "The body"}


def test_the_live_previews_follow_the_kind_text_as_it_is_typed(personas, draft, board_channels, client):
    fedi, support, sky = board_channels
    client.force_login(personas.contributor)
    answer = client.post(
        f"/drafts/{draft.pk}/preview/",
        {"title": draft.title, "body": "The body", "variant_kind_mastodon": "Typed for **both**"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    for channel in (fedi, support):
        card = html[html.index(f'id="channel-preview-{channel.pk}"') :]
        assert "Typed for both" in card[: card.index("post-counter")]
    card = html[html.index(f'id="channel-preview-{sky.pk}"') :]
    assert "The body" in card[: card.index("post-counter")]


def test_a_kind_text_the_draft_already_has_keeps_its_box_by_the_channel_when_one_channel_is_left(
    personas, stand_ins, client
):
    mastodon, _ = stand_ins
    only = mastodon_channel(personas.board, mastodon, "Fedi")
    draft = make_draft(personas.board, personas.contributor, title="T", variants={"kind:mastodon": "Kept"})
    client.force_login(personas.contributor)
    page = client.get(f"/drafts/{draft.pk}/edit/").content.decode()
    assert page.count('name="variant_kind_mastodon"') == 1
    assert page.index('id="kind-variant-mastodon"') < page.index(f'id="channel-card-{only.pk}"')
    assert "Text per platform" not in page  # not left among the loose boxes


def test_the_api_takes_a_kind_text_and_its_previews_show_it_on_every_channel_of_the_kind(
    personas, draft, board_channels, api_client_for
):
    api = api_client_for("contributor")
    answer = api.patch(
        f"/api/drafts/{draft.pk}/",
        {"version": draft.version, "body": "Body", "variants": {"kind:mastodon": "Both"}},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["variants"] == {"kind:mastodon": "Both"}
    previews = api.get(f"/api/drafts/{draft.pk}/previews/").json()
    assert {entry["name"]: entry["text"] for entry in previews} == {"Fedi": "Both", "Support": "Both", "Sky": "Body"}


def test_a_kind_the_board_has_no_channel_of_is_refused_by_the_form_quietly_and_by_the_api_aloud(
    personas, draft, board_channels, client, api_client_for
):
    client.force_login(personas.contributor)
    client.post(
        f"/drafts/{draft.pk}/edit/",
        {"title": draft.title, "body": "B", "tags": "", "version": draft.version, "variant_kind_myspace": "No"},
    )
    draft.refresh_from_db()
    assert "kind:myspace" not in draft.variants  # no such box: the posted field is not the form's
    answer = api_client_for("contributor").patch(
        f"/api/drafts/{draft.pk}/", {"version": draft.version, "variants": {"kind:myspace": "No"}}, format="json"
    )
    assert answer.status_code == 400
    assert "No such channel or kind for a variant: kind:myspace." in answer.json()["variants"][0]
