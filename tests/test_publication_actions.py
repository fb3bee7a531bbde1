"""Acting on one publication from the log: retry a failed one (pages and API). Read-back is tested per platform."""

import pytest
from django.contrib.messages import get_messages

from drafts.models import DraftEvent
from publishing.models import Channel, Publication, PublicationState
from publishing.standins.webhook import Fault, WebhookStandIn
from tests.factories import advance, make_channel, run_due

SECRET = "log-actions-secret"


@pytest.fixture
def receiver():
    stand_in = WebhookStandIn(secret=SECRET)
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def webhook(board, receiver, name) -> Channel:
    return make_channel(board, "webhook", name=name, settings={"url": receiver.url}, credentials={"secret": SECRET})


@pytest.fixture
def half_failed(personas, draft, receiver):
    """A draft sent to two channels: one took it, the other refused for good (a 400)."""
    good = webhook(personas.board, receiver, "Good hook")
    bad = webhook(personas.board, receiver, "Bad hook")
    advance(draft, "scheduled", personas)
    good_first = Publication.objects.get(channel=good).pk < Publication.objects.get(channel=bad).pk
    receiver.script = [Fault(), Fault(status=400)] if good_first else [Fault(status=400), Fault()]
    assert sorted(run_due()) == ["failed", "published"]
    draft.refresh_from_db()
    assert draft.state == "failed"
    return Publication.objects.get(channel=good), Publication.objects.get(channel=bad)


def test_the_logs_retry_button_sends_only_the_failed_channel_again(personas, web_client_for, half_failed, receiver):
    good, bad = half_failed
    page = web_client_for("manager").get(f"/boards/{personas.board.slug}/publications/").content.decode()
    assert f'action="/publications/{bad.pk}/retry/"' in page
    assert f'action="/publications/{good.pk}/retry/"' not in page

    response = web_client_for("manager").post(f"/publications/{bad.pk}/retry/")

    assert response.status_code == 302
    assert response["Location"] == f"/boards/{personas.board.slug}/publications/"
    bad.refresh_from_db()
    assert bad.state == PublicationState.PENDING
    event = DraftEvent.objects.filter(draft=bad.draft, transition="retry").get()
    assert event.actor == personas.manager
    posts_before = len(receiver.posts)
    assert run_due() == ["published"]
    assert len(receiver.posts) == posts_before + 1
    good.refresh_from_db()
    assert good.attempts == 1  # the channel that had published was not touched


def test_retrying_a_publication_that_did_not_fail_is_a_conflict(personas, web_client_for, half_failed):
    good, _ = half_failed
    response = web_client_for("manager").post(f"/publications/{good.pk}/retry/")
    assert response.status_code == 409
    assert any("Only a failed publication" in str(m) for m in get_messages(response.wsgi_request))
    assert not DraftEvent.objects.filter(draft=good.draft, transition="retry").exists()


def test_the_api_retries_a_failed_publication_and_answers_its_new_state(personas, api_client_for, half_failed):
    _, bad = half_failed
    response = api_client_for("manager").post(f"/api/publications/{bad.pk}/retry/")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "pending"

    again = api_client_for("manager").post(f"/api/publications/{bad.pk}/retry/")
    assert again.status_code == 409
    assert "Only a failed publication" in again.json()["detail"]


def test_a_reviewer_sees_the_log_without_buttons_and_cannot_retry(personas, web_client_for, half_failed):
    _, bad = half_failed
    page = web_client_for("reviewer").get(f"/boards/{personas.board.slug}/publications/").content.decode()
    assert "/retry/" not in page
    assert web_client_for("reviewer").post(f"/publications/{bad.pk}/retry/").status_code == 403
    bad.refresh_from_db()
    assert bad.state == PublicationState.FAILED
