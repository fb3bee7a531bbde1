"""What you approve is what ships: the previews (GET /api/drafts/{id}/previews/, draft_previews) answer
exactly what each platform then receives, byte for byte; variants are keyed by channel or kind."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafts.services import draft_update
from publishing.selectors import draft_previews
from publishing.standins.bluesky import BlueskyStandIn
from publishing.standins.mastodon import MastodonStandIn
from publishing.standins.wordpress import WordPressStandIn
from tests.factories import advance, attach_image, make_channel, run_due

BODY = """## Meet the planner

Plan **the planner** way, café ☕: [try today](https://example.com/try?ref=a).

- Pick a day
- Share it

#launch #CoCreate"""


@pytest.fixture
def platforms():
    mastodon, bluesky, wordpress = MastodonStandIn(token="m-token"), BlueskyStandIn(), WordPressStandIn()
    mastodon.url = mastodon.start()
    bluesky.url = bluesky.start()
    wordpress.start()
    yield mastodon, bluesky, wordpress
    for stand_in in (mastodon, bluesky, wordpress):
        stand_in.stop()


def channels(board, platforms):
    mastodon, bluesky, wordpress = platforms
    return (
        make_channel(
            board, "mastodon", name="Fediverse", settings={"url": mastodon.url}, credentials={"token": "m-token"}
        ),
        make_channel(
            board,
            "bluesky",
            name="Sky",
            settings={"pds": bluesky.url},
            credentials={"identifier": bluesky.identifier, "password": bluesky.password},
        ),
        make_channel(
            board,
            "wordpress",
            name="Blog",
            settings={"url": wordpress.url},
            credentials={"username": wordpress.username, "application_password": wordpress.application_password},
        ),
    )


def test_each_platform_receives_byte_for_byte_what_the_previews_answered(personas, draft, platforms, api_client_for):
    fediverse, sky, blog = channels(personas.board, platforms)
    draft.body = BODY
    draft.variants = {f"channel:{sky.pk}": "Short for the sky: [see](https://example.com/s) #launch"}
    draft.save()
    answer = api_client_for("contributor").get(f"/api/drafts/{draft.pk}/previews/")
    assert answer.status_code == 200
    previews = {entry["kind"]: entry for entry in answer.json()}
    assert [entry["name"] for entry in answer.json()] == ["Blog", "Fediverse", "Sky"]

    advance(draft, "scheduled", personas)
    assert sorted(run_due()) == ["published", "published", "published"]
    mastodon, bluesky, wordpress = platforms

    [status] = mastodon.posts
    assert status["status"].encode() == previews["mastodon"]["text"].encode()
    assert "**" not in status["status"]
    assert "try today https://example.com/try?ref=a" in status["status"]

    [record] = bluesky.posts
    assert record["text"].encode() == previews["bluesky"]["text"].encode() == b"Short for the sky: see #launch"
    assert record["facets"] == previews["bluesky"]["extra"]["facets"]
    assert [f["features"][0]["$type"] for f in record["facets"]] == [
        "app.bsky.richtext.facet#link",
        "app.bsky.richtext.facet#tag",
    ]

    [post] = wordpress.posts
    assert post["content"]["raw"].encode() == previews["wordpress"]["html"].encode()
    assert "<strong>the planner</strong>" in post["content"]["raw"]


def test_the_previews_measure_the_platforms_way_and_list_what_would_be_refused(personas, draft, platforms):
    fediverse, sky, blog = channels(personas.board, platforms)
    draft.body = "é" * 301
    draft.save()
    previews = {entry["kind"]: entry for entry in draft_previews(draft)}
    assert (previews["bluesky"]["length"], previews["bluesky"]["limit"]) == (301, 300)
    assert previews["bluesky"]["over_limit"] is True
    assert previews["bluesky"]["problems"] == ["Bluesky posts are at most 300 characters; this one has 301."]
    assert (previews["mastodon"]["limit"], previews["mastodon"]["over_limit"]) == (500, False)
    assert previews["wordpress"]["limit"] is None
    with pytest.raises(ValidationError) as refused:  # scheduling refuses it for the very same reason
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == [
        "Sky: Bluesky posts are at most 300 characters; this one has 301."
    ]


def test_the_previews_cost_the_same_queries_whatever_the_number_of_channels_and_images(personas, draft, platforms):
    mastodon = platforms[0]

    def count() -> int:
        fresh = type(draft).objects.select_related("board").get(pk=draft.pk)
        with CaptureQueriesContext(connection) as queries:
            draft_previews(fresh)
        return len(queries)

    make_channel(personas.board, "mastodon", name="One", settings={"url": mastodon.url}, credentials={"token": "t"})
    attach_image(draft)
    few = count()
    for number in range(4):
        make_channel(
            personas.board,
            "mastodon",
            name=f"More {number}",
            settings={"url": mastodon.url},
            credentials={"token": "t"},
        )
    channels(personas.board, platforms)
    for _ in range(3):
        attach_image(draft)
    assert count() == few
    assert len(draft_previews(draft)) == 8


def test_only_active_channels_of_the_drafts_board_are_previewed(personas, draft, platforms):
    mastodon = platforms[0]
    make_channel(personas.board, "mastodon", name="On", settings={"url": mastodon.url}, credentials={"token": "t"})
    make_channel(
        personas.board,
        "mastodon",
        name="Off",
        settings={"url": mastodon.url},
        credentials={"token": "t"},
        is_active=False,
    )
    make_channel(
        personas.other_board, "mastodon", name="Else", settings={"url": mastodon.url}, credentials={"token": "t"}
    )
    assert [entry["name"] for entry in draft_previews(draft)] == ["On"]


def test_a_variant_key_must_name_a_channel_of_the_board_or_a_kind(personas, draft, platforms, api_client_for):
    mastodon = platforms[0]
    mine = make_channel(
        personas.board, "mastodon", name="On", settings={"url": mastodon.url}, credentials={"token": "t"}
    )
    theirs = make_channel(
        personas.other_board, "mastodon", name="Else", settings={"url": mastodon.url}, credentials={"token": "t"}
    )
    updated = draft_update(
        draft_id=draft.pk,
        actor=personas.contributor,
        version=draft.version,
        variants={f"channel:{mine.pk}": "Mine", "kind:bluesky": "Every Bluesky"},
    )
    assert updated.variants == {f"channel:{mine.pk}": "Mine", "kind:bluesky": "Every Bluesky"}
    for bad in (f"channel:{theirs.pk}", "kind:myspace", "x"):
        answer = api_client_for("contributor").patch(
            f"/api/drafts/{draft.pk}/", {"version": updated.version, "variants": {bad: "No"}}, format="json"
        )
        assert answer.status_code == 400, bad
        assert f"No such channel or kind for a variant: {bad}." in answer.json()["variants"][0]
    updated.refresh_from_db()
    assert updated.variants == {f"channel:{mine.pk}": "Mine", "kind:bluesky": "Every Bluesky"}


def test_the_editor_offers_one_text_per_active_channel_and_saves_it_under_its_key(personas, draft, platforms, client):
    mastodon = platforms[0]
    channel = make_channel(
        personas.board, "mastodon", name="Fedi", settings={"url": mastodon.url}, credentials={"token": "t"}
    )
    client.force_login(personas.contributor)
    page = client.get(f"/drafts/{draft.pk}/edit/")
    assert f'name="variant_channel_{channel.pk}"' in page.content.decode()
    assert "Text for Fedi (Mastodon)" in page.content.decode()
    answer = client.post(
        f"/drafts/{draft.pk}/edit/",
        {
            "title": draft.title,
            "body": "Body",
            "tags": "",
            "version": draft.version,
            f"variant_channel_{channel.pk}": "Toot",
        },
    )
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.variants == {f"channel:{channel.pk}": "Toot"}
    shown = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert 'class="preview preview-mastodon' in shown
    assert "Toot" in shown
    assert "4 / 500" in shown
