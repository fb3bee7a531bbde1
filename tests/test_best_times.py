"""Best-time hints: the platform's common defaults, labelled as such, until an engagement source (the metrics
feature) knows better; shown in the schedule form and at /api/boards/{id}/best-times/."""

import pytest
from django.test import Client
from django.urls import reverse

from drafts.planning.best_times import (
    COMMON_DEFAULT_HOURS,
    best_times,
    register_engagement_source,
    unregister_engagement_source,
)
from publishing.models import ChannelKind
from tests.factories import advance, make_channel


@pytest.fixture
def mastodon(personas):
    return make_channel(
        personas.board, "mastodon", name="Fediverse", settings={"url": "http://127.0.0.1:9"}, credentials={"token": "t"}
    )


def test_every_kind_but_the_webhook_has_common_defaults(personas):
    assert set(COMMON_DEFAULT_HOURS) == set(ChannelKind.values) - {ChannelKind.WEBHOOK}
    hint = best_times(personas.board, "mastodon")
    assert (hint.source, hint.times) == ("default", ["09:00", "12:00", "17:00"])
    assert hint.label == "Common default for Mastodon"
    assert best_times(personas.board, "webhook").hours == ()


def test_an_engagement_source_wins_over_the_defaults(personas):
    def from_metrics(board, kind):
        return [20, 7, 99] if kind == "mastodon" else None

    register_engagement_source(from_metrics)
    try:
        hint = best_times(personas.board, "mastodon")
        assert (hint.source, hint.hours) == ("engagement", (20, 7))
        assert best_times(personas.board, "bluesky").source == "default"
    finally:
        unregister_engagement_source(from_metrics)
    assert best_times(personas.board, "mastodon").source == "default"


def test_the_schedule_form_shows_the_hint(personas, draft, mastodon):
    advance(draft, "approved", personas)
    client = Client()
    client.force_login(personas.manager)
    page = client.get(reverse("draft-detail", args=[draft.pk])).content.decode()
    assert "Good times for Mastodon: 09:00, 12:00, 17:00" in page
    assert "(common defaults)" in page


def test_the_api_lists_a_hint_per_channel_kind(personas, mastodon, api_client_for):
    response = api_client_for("contributor").get(f"/api/boards/{personas.board.pk}/best-times/")
    assert response.status_code == 200
    assert response.json() == {
        "time_zone": "Europe/Copenhagen",
        "channels": [
            {
                "kind": "mastodon",
                "platform": "Mastodon",
                "times": ["09:00", "12:00", "17:00"],
                "source": "default",
                "label": "Common default for Mastodon",
            }
        ],
    }
    assert api_client_for("outsider").get(f"/api/boards/{personas.board.pk}/best-times/").status_code == 404
