"""X through the publishing pipeline, against a stand-in API v2 that follows the documented contract."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from publishing import services
from publishing.adapters import AdapterError, Post
from publishing.adapters.base import PostImage
from publishing.adapters.x import weighted_length
from publishing.models import Channel, Publication, PublicationAttempt
from publishing.services import adapter_for  # as the workers have it: storing refreshed tokens
from publishing.standins.x import Fault, XStandIn
from tests.adapter_image_helpers import add_image, noisy_png
from tests.factories import advance, make_channel, make_image_bytes, run_due


@pytest.fixture
def api():
    stand_in = XStandIn()
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def channel(personas, api):
    credentials = {"access_token": "access-0", "refresh_token": "refresh-0", "client_id": api.client_id}
    return make_channel(personas.board, "x", name="X", settings={"api": api.url}, credentials=credentials)


def schedule(draft, personas, text):
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


def test_it_publishes_once_and_records_the_id_and_url(personas, draft, api, channel):
    publication = schedule(draft, personas, "Spring is here")
    assert run_due() == ["published"]
    assert [p["text"] for p in api.posts] == ["Spring is here"]
    publication.refresh_from_db()
    assert publication.platform_post_id == api.posts[0]["id"]
    assert publication.platform_url == f"https://x.com/i/web/status/{api.posts[0]['id']}"
    draft.refresh_from_db()
    assert draft.state == "published"


def test_it_refreshes_an_expired_token_once_and_stores_the_new_pair(personas, draft, api, channel):
    api.expire_access_tokens()
    schedule(draft, personas, "After the refresh")
    assert run_due() == ["published"]
    credentials = Channel.objects.get(pk=channel.pk).credentials
    assert credentials["access_token"] == "access-1"
    assert credentials["refresh_token"] == "refresh-1"
    assert api.refreshes == 1
    assert len(api.posts) == 1


def test_it_fails_for_good_when_the_refresh_token_is_dead(personas, draft, api, channel):
    api.expire_access_tokens()
    api.refresh_tokens.clear()
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "connect the X account again" in publication.last_error
    assert api.posts == []


def test_it_does_not_refresh_twice_when_the_new_token_is_refused_too(personas, draft, api, channel):
    api.revoked_app = True  # tokens are issued, but the API refuses them all
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]
    assert api.refreshes == 1
    assert api.requests.count("/2/tweets") == 2
    publication.refresh_from_db()
    assert "401" in publication.last_error


def test_it_fails_at_once_on_duplicate_content(personas, draft, api, channel):
    api.posts.append({"id": "1", "text": "Same again"})
    publication = schedule(draft, personas, "Same again")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "403" in publication.last_error
    assert "duplicate content" in publication.last_error
    assert PublicationAttempt.objects.get().outcome == "permanent"


def test_it_waits_for_the_rate_limit_reset_on_429(personas, draft, api, channel):
    publication = schedule(draft, personas, "Hello")
    api.script = [Fault(status=429, reset_in=900)]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication.refresh_from_db()
    assert publication.due_at >= before + timedelta(seconds=890)
    assert run_due(at=publication.due_at) == ["published"]
    assert len(api.posts) == 1


def test_it_retries_a_server_error_and_keeps_the_tokens(personas, draft, api, channel):
    schedule(draft, personas, "Hello")
    api.script = [Fault(status=503)]
    assert run_due() == ["pending"]
    assert Channel.objects.get(pk=channel.pk).credentials["access_token"] == "access-0"
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(api.posts) == 1


def test_it_keeps_the_tokens_when_the_token_endpoint_is_down(personas, draft, api, channel):
    api.expire_access_tokens()
    schedule(draft, personas, "Hello")
    api.script = [Fault(status=503, path="/2/oauth2/token")]
    assert run_due() == ["pending"]
    assert Channel.objects.get(pk=channel.pk).credentials["refresh_token"] == "refresh-0"
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]


def test_it_never_resends_a_timed_out_post(personas, draft, api, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    publication = schedule(draft, personas, "Slow day")
    api.script = [Fault(delay=1.0)]
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "did not answer in time" in publication.last_error
    assert api.requests.count("/2/tweets") == 1


def test_it_counts_like_x_does():
    assert weighted_length("a" * 280) == 280
    assert weighted_length("日本" * 70) == 280
    assert weighted_length("👩‍👩‍👧") == 2
    assert weighted_length("See https://example.com/" + "x" * 200) == 4 + 23
    assert weighted_length("\u2014\u2019") == 2  # punctuation in the light ranges
    assert weighted_length("go to example.com now") == 6 + 23 + 4  # a bare domain is a URL too


def test_it_allows_a_long_link_within_280(personas, draft, api, channel):
    text = "a" * 250 + " https://example.com/" + "p" * 100
    schedule(draft, personas, text)
    assert run_due() == ["published"]


def test_it_refuses_to_schedule_an_over_length_post(personas, draft, api, channel):
    draft.body = "日本" * 70 + "!"
    draft.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    expected = "X: X posts are at most 280 characters (links count 23); this one has 281."
    assert refused.value.message_dict["channels"] == [expected]


def test_it_tests_the_connection(personas, api, channel):
    assert adapter_for(channel).test_connection() == "Signed in to X as @brand."
    api.expire_access_tokens()
    api.refresh_tokens.clear()
    with pytest.raises(AdapterError) as error:
        adapter_for(channel).test_connection()
    assert error.value.permanent


def test_it_uses_a_token_another_worker_refreshed_meanwhile(personas, api, channel):
    adapter = adapter_for(channel)  # holds access-0 / refresh-0
    api.expire_access_tokens()
    adapter_for(Channel.objects.get(pk=channel.pk)).test_connection()  # the other worker refreshes
    post = Post(draft_id=1, title="t", text="Hello", tags=[], idempotency_key="key", board="Launch")
    assert adapter.publish(post).post_id == api.posts[0]["id"]
    assert api.refreshes == 1  # the spent refresh token was not tried again


# --- Images ---------------------------------------------------------------------------------------------


@pytest.fixture
def two_images(draft):
    return [
        add_image(draft, alt_text="A pink square", data=make_image_bytes(64, 48, color=(200, 40, 90))).data,
        add_image(draft, alt_text="", data=make_image_bytes(80, 60, color=(10, 120, 30))).data,
    ]


def test_it_uploads_the_images_and_their_alt_text_before_one_post(personas, draft, api, channel, two_images):
    publication = schedule(draft, personas, "With pictures")
    assert run_due() == ["published"]
    uploads = list(api.media.values())
    assert [item["data"] for item in uploads] == two_images
    assert [item["category"] for item in uploads] == ["tweet_image", "tweet_image"]
    assert [item["alt_text"] for item in uploads] == ["A pink square", None]  # no alt text: no metadata call
    assert api.requests == ["/2/media/upload", "/2/media/metadata", "/2/media/upload", "/2/tweets"]
    assert len(api.posts) == 1
    assert api.posts[0]["media_ids"] == list(api.media)
    publication.refresh_from_db()
    assert publication.platform_post_id == api.posts[0]["id"]


def test_it_re_encodes_an_image_over_5_mb(personas, draft, api, channel):
    big = noisy_png(1800, 1200)
    assert len(big) > 5 * 1024 * 1024
    add_image(draft, alt_text="Static", data=big)
    schedule(draft, personas, "A big one")
    assert run_due() == ["published"]
    (upload,) = api.media.values()
    assert upload["data"].startswith(b"\xff\xd8")  # JPEG
    assert len(upload["data"]) <= 5 * 1024 * 1024
    assert upload["alt_text"] == "Static"


def test_it_retries_a_media_upload_server_error_without_posting(personas, draft, api, channel, two_images):
    publication = schedule(draft, personas, "Hello")
    api.script = [Fault(status=503, path="/2/media/upload")]
    assert run_due() == ["pending"]
    assert api.posts == []
    assert "/2/tweets" not in api.requests
    publication.refresh_from_db()
    assert "503" in publication.last_error
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(api.posts) == 1
    assert len(api.posts[0]["media_ids"]) == 2


def test_it_waits_for_the_rate_limit_reset_when_a_media_upload_gets_429(personas, draft, api, channel, two_images):
    publication = schedule(draft, personas, "Hello")
    api.script = [Fault(status=429, reset_in=600, path="/2/media/upload")]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication.refresh_from_db()
    assert publication.due_at >= before + timedelta(seconds=590)
    assert api.posts == []


def test_it_fails_for_good_when_a_media_upload_is_unauthorized(personas, draft, api, channel, two_images):
    publication = schedule(draft, personas, "Hello")
    # Refused, refreshed once, refused again: the credentials are no good for media.
    api.script = [Fault(status=401, path="/2/media/upload"), Fault(status=401, path="/2/media/upload")]
    assert run_due() == ["failed"]
    assert api.posts == []
    assert "/2/tweets" not in api.requests
    assert api.refreshes == 1
    publication.refresh_from_db()
    assert "401" in publication.last_error
    assert PublicationAttempt.objects.get().outcome == "permanent"


def test_it_retries_a_media_upload_that_timed_out_although_x_does_not_deduplicate(
    personas, draft, api, channel, two_images, settings
):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    publication = schedule(draft, personas, "Slow upload")
    api.script = [Fault(delay=1.0, path="/2/media/upload")]
    assert run_due() == ["pending"]  # an upload is not a post: nothing can be doubled
    assert PublicationAttempt.objects.get().outcome == "transient"
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(api.posts) == 1
    publication.refresh_from_db()
    assert publication.state == "published"


def test_it_refuses_to_schedule_more_than_four_images(personas, draft, api, channel):
    for number in range(5):
        add_image(draft, alt_text=f"Picture {number}")
    draft.body = "Five pictures"
    draft.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == [
        "X: X takes at most 4 images per post; this draft has 5: remove 1."
    ]
    assert not Publication.objects.filter(draft=draft).exists()


def test_it_refuses_alt_text_over_1000_characters(channel):
    image = PostImage("x.png", "image/png", "a" * 1001, 10, 10, 100, "")
    post = Post(draft_id=1, title="t", text="Hello", tags=[], idempotency_key="k", board="Launch", images=(image,))
    assert adapter_for(channel).validate(post) == [
        "The alt text of image 1 is 1,001 characters; X allows at most 1,000."
    ]


# --- Channel configuration and reading a post back -------------------------------------------------------


def test_a_channel_without_an_access_token_is_refused_and_refresh_keys_are_optional(personas):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="x", name="x", settings={}, credentials={}
        )
    assert refused.value.message_dict == {"credentials": ["X needs these credentials: access_token."]}
    services.channel_create(
        board=personas.board, actor=personas.manager, kind="x", name="x", credentials={"access_token": "a"}
    )


@pytest.fixture
def published(personas, draft, api, channel) -> Publication:
    publication = schedule(draft, personas, "Read me back")
    assert run_due() == ["published"]
    publication.refresh_from_db()
    return publication


def test_checking_a_published_post_reads_it_back(personas, published, api):
    Publication.objects.filter(pk=published.pk).update(platform_url="")
    checked = services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert checked.live is True
    assert checked.platform_url == f"https://x.com/i/web/status/{published.platform_post_id}"
    assert checked.check_detail == "Live on X."
    assert api.requests[-1] == f"/2/tweets/{published.platform_post_id}"


@pytest.mark.parametrize("missing_status", [200, 404])
def test_checking_a_deleted_post_marks_it_gone(personas, published, api, missing_status):
    api.missing_status = missing_status  # X answers 200 with a resource-not-found error; 404 is handled too
    api.delete(published.platform_post_id)
    checked = services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert checked.live is False
    assert checked.check_detail == "Deleted on X."


def test_checking_refreshes_an_expired_token(personas, published, api, channel):
    api.expire_access_tokens()
    assert services.publication_check(publication_id=published.pk, actor=personas.manager).live is True
    assert api.refreshes == 1
    assert Channel.objects.get(pk=channel.pk).credentials["access_token"] == "access-1"


def test_a_server_error_while_checking_is_a_conflict_and_changes_nothing(personas, published, api):
    from cocreate.errors import Conflict

    api.script = [Fault(status=503, path=f"/2/tweets/{published.platform_post_id}")]
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert "503" in str(refused.value)
    stored = Publication.objects.get(pk=published.pk)
    assert (stored.checked_at, stored.live, stored.check_detail) == (None, None, "")
