"""Mastodon through the publishing pipeline, against a stand-in instance that follows Mastodon's documented API."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from publishing import services
from publishing.adapters import AdapterError, adapter_for
from publishing.models import Channel, Publication, PublicationAttempt
from tests.factories import advance
from tests.standins.mastodon import Fault, MastodonStandIn

TOKEN = "stand-in-mastodon-token"


@pytest.fixture
def instance():
    stand_in = MastodonStandIn(token=TOKEN)
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def mastodon(board, instance, name="Fediverse", token=TOKEN, **settings) -> Channel:
    channel = Channel(board=board, kind="mastodon", name=name, settings={"url": instance.url, **settings})
    channel.credentials = {"token": token}
    channel.save()
    return channel


@pytest.fixture
def scheduled(personas, draft, instance):
    mastodon(personas.board, instance)
    advance(draft, "scheduled", personas)
    return draft


def run_due(at=None) -> list[str]:
    at = at or timezone.now() + timedelta(days=1)
    return [services.publication_publish(publication_id=pk) for pk in services.publications_claim_due(now=at)]


def test_it_publishes_a_status_with_the_publications_idempotency_key(scheduled, instance):
    assert run_due() == ["published"]
    publication = Publication.objects.get(draft=scheduled)
    assert len(instance.posts) == 1
    assert instance.posts[0]["status"] == scheduled.body
    assert instance.requests[0]["headers"]["Idempotency-Key"] == str(publication.idempotency_key)
    assert publication.platform_post_id == "100001"
    assert publication.platform_url == f"{instance.url}/@cocreate/100001"
    scheduled.refresh_from_db()
    assert scheduled.state == "published"


def test_it_sends_the_channels_visibility(personas, draft, instance):
    mastodon(personas.board, instance, visibility="unlisted")
    advance(draft, "scheduled", personas)
    run_due()
    assert instance.posts[0]["visibility"] == "unlisted"


def test_it_fails_at_once_on_a_bad_token_with_mastodons_message(personas, draft, instance):
    mastodon(personas.board, instance, token="wrong")
    advance(draft, "scheduled", personas)
    assert run_due() == ["failed"]
    publication = Publication.objects.get(draft=draft)
    assert "401" in publication.last_error
    assert "The access token is invalid" in publication.last_error
    assert instance.posts == []
    draft.refresh_from_db()
    assert draft.state == "failed"


def test_it_fails_at_once_on_a_validation_error(scheduled, instance):
    instance.script = [Fault(status=422, error="Validation failed: Text can't be blank")]
    assert run_due() == ["failed"]
    assert "Text can't be blank" in Publication.objects.get(draft=scheduled).last_error
    assert PublicationAttempt.objects.get().status_code == 422


def test_it_waits_until_the_iso_rate_limit_reset_on_429(scheduled, instance):
    instance.script = [Fault(status=429, reset_in=900)]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication = Publication.objects.get(draft=scheduled)
    assert publication.due_at >= before + timedelta(seconds=890)
    assert "Too many requests" in publication.last_error
    assert run_due(at=publication.due_at) == ["published"]
    assert len(instance.posts) == 1


def test_it_retries_a_server_error_with_backoff(scheduled, instance):
    instance.script = [Fault(status=503)]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication = Publication.objects.get(draft=scheduled)
    assert publication.due_at >= before + timedelta(seconds=django_settings.PUBLISHING_BACKOFF_BASE_SECONDS * 0.8)
    assert run_due(at=publication.due_at) == ["published"]
    assert list(publication.log.values_list("outcome", flat=True)) == ["transient", "published"]


def test_it_resends_after_a_timeout_and_mastodon_returns_the_original_status(scheduled, instance, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    instance.script = [Fault(delay=1.0)]  # created, but the answer comes too late
    assert run_due() == ["pending"]
    assert PublicationAttempt.objects.get().outcome == "ambiguous"
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(instance.requests) == 2
    assert len(instance.posts) == 1
    assert Publication.objects.get(draft=scheduled).platform_post_id == "100001"


def test_it_counts_graphemes_and_every_link_as_23(personas, draft, instance):
    channel = mastodon(personas.board, instance)
    adapter = adapter_for(channel)
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one grapheme, five code points
    link = "https://example.com/" + "a" * 200
    fits = family * 100 + " " + link + " " + "x" * (500 - 100 - 1 - 23 - 1)
    post = services.post_for_channel(draft, channel, idempotency_key="")
    assert adapter.validate(type(post)(**{**post.__dict__, "text": fits})) == []
    too_long = fits + "!"
    problems = adapter.validate(type(post)(**{**post.__dict__, "text": too_long}))
    assert problems == ["The text is 501 characters on Mastodon (links count 23); the limit is 500."]


def test_it_counts_a_remote_mention_without_its_domain_and_trailing_punctuation_as_text():
    from publishing.adapters.mastodon import status_length

    assert status_length("@ann@mastodon.social") == len("@ann")
    assert status_length("mail ann@example.com") == len("mail ann@example.com")
    assert status_length("See https://example.com/a-very-long-path-indeed.") == len("See ") + 23 + 1


def test_it_refuses_to_schedule_a_status_over_the_limit(personas, draft, instance):
    mastodon(personas.board, instance)
    draft.body = "x" * 501
    draft.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == [
        "Fediverse: The text is 501 characters on Mastodon (links count 23); the limit is 500."
    ]
    assert not Publication.objects.filter(draft=draft).exists()


def test_it_uses_the_instances_own_limit_from_settings(personas, draft, instance):
    mastodon(personas.board, instance, max_characters=1000)
    draft.body = "x" * 800
    draft.save()
    advance(draft, "scheduled", personas)
    assert Publication.objects.filter(draft=draft).count() == 1


def test_it_refuses_a_channel_without_an_instance_url(personas, draft):
    Channel.objects.create(board=personas.board, kind="mastodon", name="Nowhere", settings={})
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == ["Nowhere: The Mastodon channel has no instance URL."]


def test_it_checks_the_connection_with_the_token(personas, instance):
    assert "accepted the token of @cocreate" in adapter_for(mastodon(personas.board, instance)).test_connection()
    with pytest.raises(AdapterError) as refused:
        adapter_for(mastodon(personas.board, instance, name="Bad", token="wrong")).test_connection()
    assert refused.value.permanent
    assert refused.value.status_code == 401
    assert instance.posts == []
