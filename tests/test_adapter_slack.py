"""Slack incoming webhooks through the publishing pipeline, against a stand-in that answers as Slack does."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from publishing import services
from publishing.adapters import AdapterError, adapter_for
from publishing.models import Channel, Publication, PublicationAttempt
from publishing.standins.slack import Fault, SlackStandIn
from tests.adapter_image_helpers import add_image
from tests.factories import advance, make_channel, run_due

SECRET = "xoxSecretHookToken123"


@pytest.fixture
def slack():
    stand_in = SlackStandIn(secret=SECRET)
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def slack_channel(board, url, name="Team Slack", **settings) -> Channel:
    return make_channel(board, "slack", name=name, settings=settings, credentials={"url": url})


@pytest.fixture
def scheduled(personas, draft, slack):
    slack_channel(personas.board, slack.url)
    advance(draft, "scheduled", personas)
    return draft


def test_it_posts_the_text_once_and_marks_the_draft_published(scheduled, slack):
    assert run_due() == ["published"]
    assert slack.posts == [{"text": "Some *markdown* body."}]  # Slack's mrkdwn bold
    scheduled.refresh_from_db()
    assert scheduled.state == "published"
    assert list(PublicationAttempt.objects.values_list("outcome", flat=True)) == ["published"]


def test_it_keeps_the_hook_url_secret(personas, slack):
    channel = slack_channel(personas.board, slack.url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials_token, settings FROM publishing_channel WHERE id = %s", [channel.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert SECRET not in stored
    assert SECRET not in repr(channel)


def test_it_fails_at_once_on_a_wrong_hook_and_does_not_leak_it(personas, draft, slack):
    slack_channel(personas.board, slack.hook_url("revoked-secret"))
    advance(draft, "scheduled", personas)
    assert run_due() == ["failed"]
    publication = Publication.objects.get(draft=draft)
    assert publication.last_error == "Slack answered 403: invalid_token"
    assert "revoked-secret" not in publication.last_error
    assert slack.posts == []


@pytest.mark.parametrize(("status", "reason"), [(404, "channel_not_found"), (410, "channel_is_archived")])
def test_it_fails_at_once_on_slacks_permanent_errors(scheduled, slack, status, reason):
    slack.script = [Fault(status=status, body=reason)]
    assert run_due() == ["failed"]
    assert Publication.objects.get(draft=scheduled).last_error == f"Slack answered {status}: {reason}"
    scheduled.refresh_from_db()
    assert scheduled.state == "failed"


def test_it_honours_retry_after_on_429(scheduled, slack):
    slack.script = [Fault(status=429, retry_after=120)]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication = Publication.objects.get(draft=scheduled)
    assert publication.due_at >= before + timedelta(seconds=120)
    assert run_due(at=publication.due_at) == ["published"]
    assert len(slack.posts) == 1


def test_it_retries_a_server_error_later(scheduled, slack):
    slack.script = [Fault(status=500)]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(slack.posts) == 1
    assert slack.requests == 2


def test_it_never_resends_after_a_timeout_because_slack_cannot_deduplicate(scheduled, slack, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    slack.script = [Fault(delay=1.0)]  # posted, but the answer comes too late
    assert run_due() == ["failed"]
    publication = Publication.objects.get(draft=scheduled)
    assert "did not answer in time" in publication.last_error
    assert PublicationAttempt.objects.get().outcome == "ambiguous"
    assert run_due(at=timezone.now() + timedelta(days=2)) == []
    assert slack.requests == 1
    assert len(slack.posts) == 1


def test_it_refuses_to_schedule_without_a_hook_url(personas, draft):
    Channel.objects.create(board=personas.board, kind="slack", name="Unset", settings={})
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == ["Unset: The Slack channel has no webhook URL."]


def test_it_tests_the_connection_without_posting(personas, slack):
    message = adapter_for(slack_channel(personas.board, slack.url)).test_connection()
    assert message == "The Slack webhook on 127.0.0.1 exists and accepts requests."
    assert SECRET not in message
    assert slack.posts == []
    with pytest.raises(AdapterError) as refused:
        adapter_for(slack_channel(personas.board, slack.hook_url("wrong"), name="Bad")).test_connection()
    assert refused.value.permanent
    assert refused.value.status_code == 403
    assert slack.posts == []


def test_a_draft_with_images_is_scheduled_and_sent_as_text_only(personas, draft, slack):
    slack_channel(personas.board, slack.url)
    add_image(draft)
    advance(draft, "scheduled", personas)  # images never block a Slack channel
    assert run_due() == ["published"]
    assert slack.posts == [{"text": "Some *markdown* body."}]


def test_a_slack_post_cannot_be_checked_and_the_channel_needs_its_hook_url(personas):
    assert not adapter_for(Channel(kind="slack")).can_fetch()
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="slack", name="Slack", settings={}, credentials={}
        )
    assert refused.value.message_dict == {"credentials": ["Slack needs these credentials: url."]}
