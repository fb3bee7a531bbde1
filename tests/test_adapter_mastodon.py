"""Mastodon through the publishing pipeline, against a stand-in instance that follows Mastodon's documented API."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from publishing import services
from publishing.adapters import AdapterError, adapter_for
from publishing.adapters import mastodon as mastodon_adapter
from publishing.adapters.base import PostImage
from publishing.models import Channel, Publication, PublicationAttempt
from publishing.standins.mastodon import Fault, MastodonStandIn
from tests.adapter_image_helpers import add_image, noisy_png
from tests.factories import advance, make_channel, make_image_bytes, run_due

TOKEN = "stand-in-mastodon-token"


@pytest.fixture
def instance():
    stand_in = MastodonStandIn(token=TOKEN)
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def mastodon(board, instance, name="Fediverse", token=TOKEN, **settings) -> Channel:
    settings = {"url": instance.url, **settings}
    return make_channel(board, "mastodon", name=name, settings=settings, credentials={"token": token})


@pytest.fixture
def scheduled(personas, draft, instance):
    mastodon(personas.board, instance)
    advance(draft, "scheduled", personas)
    return draft


def test_it_publishes_a_status_with_the_publications_idempotency_key(scheduled, instance):
    assert run_due() == ["published"]
    publication = Publication.objects.get(draft=scheduled)
    assert len(instance.posts) == 1
    assert instance.posts[0]["status"] == "Some markdown body."  # rendered: no Markdown syntax
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


def test_it_never_resends_a_timed_out_status_once_mastodon_would_have_forgotten_its_key(scheduled, instance, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    # Created but answered too late; then rate limited until after the key's hour is up.
    instance.script = [Fault(delay=1.0), Fault(status=429, reset_in=2 * 3600)]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(minutes=5)) == ["failed"]
    publication = Publication.objects.get(draft=scheduled)
    assert "check on the platform whether it was posted" in publication.last_error
    assert list(publication.log.values_list("outcome", flat=True)) == ["ambiguous", "transient"]
    assert len(instance.posts) == 1  # the one that timed out; no second status


def test_it_resends_a_timed_out_status_while_mastodon_still_knows_its_key(scheduled, instance, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    instance.script = [Fault(delay=1.0), Fault(status=429, reset_in=10 * 60)]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(minutes=5)) == ["pending"]
    assert run_due(at=timezone.now() + timedelta(minutes=20)) == ["published"]
    assert len(instance.posts) == 1
    assert Publication.objects.get(draft=scheduled).platform_post_id == "100001"


def test_an_interrupted_send_is_taken_back_only_within_the_keys_hour(scheduled, instance):
    from publishing.models import PublicationState

    publication = Publication.objects.get(draft=scheduled)
    stuck_since = timezone.now() - timedelta(minutes=30)
    Publication.objects.filter(pk=publication.pk).update(state=PublicationState.SENDING, updated_at=stuck_since)
    assert services.publications_recover_stale(now=timezone.now()) == 1
    assert Publication.objects.get(pk=publication.pk).state == "pending"

    Publication.objects.filter(pk=publication.pk).update(
        state=PublicationState.SENDING, updated_at=timezone.now() - timedelta(minutes=70)
    )
    assert services.publications_recover_stale(now=timezone.now()) == 1
    publication.refresh_from_db()
    assert publication.state == "failed"
    assert "check on the platform" in publication.last_error


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


# --- Images ---------------------------------------------------------------------------------------------


@pytest.fixture
def two_images(draft):
    first, second = make_image_bytes(64, 48, color=(200, 40, 90)), make_image_bytes(80, 60, color=(10, 120, 30))
    add_image(draft, alt_text="A pink square", data=first)
    add_image(draft, alt_text="A green field", data=second)
    return [first, second]


@pytest.fixture
def quick_polls(monkeypatch):
    monkeypatch.setattr(mastodon_adapter, "MEDIA_POLL_DELAYS", (0.01, 0.01, 0.01))


def test_it_uploads_the_images_with_their_descriptions_before_one_status(personas, draft, instance, two_images):
    mastodon(personas.board, instance)
    advance(draft, "scheduled", personas)
    assert run_due() == ["published"]
    uploads = list(instance.media.values())
    assert [item["data"] for item in uploads] == two_images
    assert [item["description"] for item in uploads] == ["A pink square", "A green field"]
    assert [item["content_type"] for item in uploads] == ["image/png", "image/png"]
    assert len(instance.posts) == 1
    assert instance.posts[0]["media_ids"] == [item["id"] for item in uploads]
    paths = [request["path"] for request in instance.requests]
    assert paths == ["/api/v2/media", "/api/v2/media", "/api/v1/statuses"]
    publication = Publication.objects.get(draft=draft)
    assert instance.requests[-1]["headers"]["Idempotency-Key"] == str(publication.idempotency_key)
    assert "Idempotency-Key" not in instance.requests[0]["headers"]


def test_it_waits_for_media_mastodon_is_still_processing(personas, draft, instance, two_images, quick_polls):
    instance.processing_polls = 2  # 202, then 206 twice, then 200
    mastodon(personas.board, instance)
    advance(draft, "scheduled", personas)
    assert run_due() == ["published"]
    polls = [r["path"] for r in instance.requests if r["method"] == "GET" and r["path"].startswith("/api/v1/media/")]
    assert len(polls) == 2 * 3
    assert len(instance.posts) == 1


def test_it_tries_again_later_when_processing_takes_too_long(personas, draft, instance, two_images, quick_polls):
    instance.processing_polls = 100
    mastodon(personas.board, instance)
    advance(draft, "scheduled", personas)
    assert run_due() == ["pending"]
    publication = Publication.objects.get(draft=draft)
    assert "still processing" in publication.last_error
    assert PublicationAttempt.objects.get().outcome == "transient"
    assert instance.posts == []


def test_it_retries_a_media_upload_server_error_without_posting(personas, draft, instance, two_images):
    mastodon(personas.board, instance)
    advance(draft, "scheduled", personas)
    instance.script = [Fault(status=503, path="/api/v2/media")]
    assert run_due() == ["pending"]
    assert instance.posts == []
    assert "503" in Publication.objects.get(draft=draft).last_error
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(instance.posts) == 1
    assert len(instance.posts[0]["media_ids"]) == 2


def test_it_fails_for_good_when_a_media_upload_is_unauthorized(personas, draft, instance, two_images):
    mastodon(personas.board, instance)
    advance(draft, "scheduled", personas)
    instance.script = [Fault(status=401, path="/api/v2/media", error="The access token is invalid")]
    assert run_due() == ["failed"]
    assert instance.posts == []
    assert not any(request["path"] == "/api/v1/statuses" for request in instance.requests)
    assert PublicationAttempt.objects.get().outcome == "permanent"
    assert "The access token is invalid" in Publication.objects.get(draft=draft).last_error


def test_it_retries_a_media_upload_that_timed_out(personas, draft, instance, two_images, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    mastodon(personas.board, instance)
    advance(draft, "scheduled", personas)
    instance.script = [Fault(delay=1.0, path="/api/v2/media")]
    assert run_due() == ["pending"]
    assert PublicationAttempt.objects.get().outcome == "transient"  # an upload is not a post: not ambiguous
    assert "nothing was posted" in Publication.objects.get(draft=draft).last_error
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(instance.posts) == 1


def test_it_refuses_to_schedule_more_than_four_images(personas, draft, instance):
    mastodon(personas.board, instance)
    for number in range(5):
        add_image(draft, alt_text=f"Picture {number}")
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == [
        "Fediverse: Mastodon takes at most 4 images per post; this draft has 5: remove 1."
    ]
    assert not Publication.objects.filter(draft=draft).exists()


def test_it_refuses_a_description_over_1500_characters(personas, draft, instance):
    adapter = adapter_for(mastodon(personas.board, instance))
    image = PostImage("x.png", "image/png", "a" * 1501, 10, 10, 100, "0" * 64)
    post = services.post_for_channel(draft, adapter.channel, idempotency_key="")
    problems = adapter.validate(type(post)(**{**post.__dict__, "images": (image,)}))
    assert problems == ["The description (alt text) of image 1 is 1,501 characters; Mastodon allows at most 1,500."]
    fine = type(post)(**{**post.__dict__, "images": (PostImage("x.png", "image/png", "a" * 1500, 10, 10, 100, ""),)})
    assert adapter.validate(fine) == []


def test_it_re_encodes_an_image_over_the_instances_size_limit(personas, draft, instance):
    noise = noisy_png(300, 200)
    add_image(draft, alt_text="Noise", data=noise)
    instance.image_size_limit = 40_000
    mastodon(personas.board, instance, image_size_limit=40_000)
    advance(draft, "scheduled", personas)
    assert run_due() == ["published"]
    (upload,) = instance.media.values()
    assert upload["content_type"] == "image/jpeg"
    assert len(upload["data"]) <= 40_000 < len(noise)
    assert upload["description"] == "Noise"


# --- Channel configuration and reading a post back -------------------------------------------------------


def test_a_channel_without_the_instance_url_and_token_is_refused(personas):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="mastodon", name="x", settings={}, credentials={}
        )
    assert refused.value.message_dict == {
        "settings": ["Mastodon needs these settings: url."],
        "credentials": ["Mastodon needs these credentials: token."],
    }
    assert not Channel.objects.filter(name="x").exists()
    channel = services.channel_create(
        board=personas.board,
        actor=personas.manager,
        kind="mastodon",
        name="x",
        settings={"url": "https://mastodon.example"},
        credentials={"token": TOKEN},
    )
    assert channel.credentials == {"token": TOKEN}


@pytest.fixture
def published(scheduled, instance) -> Publication:
    assert run_due() == ["published"]
    return Publication.objects.get(draft=scheduled)


def test_checking_a_published_status_reads_it_back_with_its_url(personas, published, instance):
    Publication.objects.filter(pk=published.pk).update(platform_url="")
    checked = services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert checked.live is True
    assert checked.platform_url == f"{instance.url}/@cocreate/100001"
    assert checked.check_detail == "Live on Mastodon."
    assert checked.checked_at is not None
    fetches = [r for r in instance.requests if r["method"] == "GET"]
    assert [r["path"] for r in fetches] == ["/api/v1/statuses/100001"]
    assert fetches[0]["headers"]["Authorization"] == f"Bearer {TOKEN}"


def test_checking_a_deleted_status_marks_it_gone(personas, published, instance):
    instance.delete(published.platform_post_id)
    checked = services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert checked.live is False
    assert checked.check_detail == "Deleted on Mastodon."
    assert Publication.objects.get(pk=published.pk).live is False


def test_a_server_error_while_checking_is_a_conflict_and_changes_nothing(personas, published, instance):
    from cocreate.errors import Conflict

    instance.script = [Fault(status=503, path="/api/v1/statuses/")]
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert "503" in str(refused.value)
    stored = Publication.objects.get(pk=published.pk)
    assert (stored.checked_at, stored.live, stored.check_detail) == (None, published.live, "")
    assert stored.platform_url == published.platform_url


def test_a_token_without_a_read_scope_still_reads_a_public_status(personas, published, instance):
    instance.read_scope = False
    checked = services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert checked.live is True
    instance.delete(published.platform_post_id)
    assert services.publication_check(publication_id=published.pk, actor=personas.manager).live is False


def test_the_logs_check_button_reads_the_status_back(personas, published, instance, web_client_for):
    from django.contrib.messages import get_messages

    log = f"/boards/{personas.board.slug}/publications/"
    page = web_client_for("manager").get(log).content.decode()
    assert f'action="/publications/{published.pk}/check/"' in page

    response = web_client_for("manager").post(f"/publications/{published.pk}/check/")
    assert response.status_code == 302
    assert response["Location"] == log
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Fediverse: Live on Mastodon."]
    page = web_client_for("manager").get(log).content.decode()
    assert "Checked " in page
    assert "Live on Mastodon." in page

    instance.delete(published.platform_post_id)
    response = web_client_for("manager").post(f"/publications/{published.pk}/check/")
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Fediverse: Deleted on Mastodon."]
    assert "Deleted on Mastodon." in web_client_for("manager").get(log).content.decode()


def test_the_api_checks_a_publication_and_answers_live(personas, published, instance, api_client_for):
    client = api_client_for("manager")
    response = client.post(f"/api/publications/{published.pk}/check/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["live"] is True
    assert body["check_detail"] == "Live on Mastodon."
    assert body["checked_at"]

    instance.delete(published.platform_post_id)
    response = client.post(f"/api/publications/{published.pk}/check/")
    assert response.status_code == 200
    assert response.json()["live"] is False

    instance.script = [Fault(status=503, path="/api/v1/statuses/")]
    failed = client.post(f"/api/publications/{published.pk}/check/")
    assert failed.status_code == 409
    assert "Could not check the post" in failed.json()["detail"]
    assert api_client_for("reviewer").post(f"/api/publications/{published.pk}/check/").status_code == 403
