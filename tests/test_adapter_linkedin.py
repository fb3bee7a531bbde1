"""LinkedIn through the publishing pipeline, against a stand-in Posts API that follows the documented contract."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocreate.errors import Conflict
from drafts.services import draft_transition
from publishing import services
from publishing.adapters import AdapterError
from publishing.models import Channel, Publication
from publishing.services import adapter_for  # as the workers have it: storing refreshed tokens
from publishing.standins.linkedin import Fault, LinkedInStandIn
from tests.adapter_image_helpers import add_image
from tests.factories import advance, make_channel, run_due


@pytest.fixture
def api():
    stand_in = LinkedInStandIn()
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def linkedin(board, api, token=None, **credentials) -> Channel:
    settings = {"api": api.url, "author": api.author, "token_url": f"{api.url}/oauth/v2/accessToken"}
    credentials = {"access_token": token or api.token, **credentials}
    return make_channel(board, "linkedin", name="LinkedIn", settings=settings, credentials=credentials)


def refreshable(board, api, **credentials) -> Channel:
    return linkedin(
        board,
        api,
        refresh_token="li-refresh",
        client_id=api.client_id,
        client_secret=api.client_secret,
        **credentials,
    )


@pytest.fixture
def channel(personas, api):
    return linkedin(personas.board, api)


def schedule(draft, personas, text):
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


def test_it_publishes_once_and_reads_the_id_from_x_restli_id(personas, draft, api, channel):
    publication = schedule(draft, personas, "Spring is here")
    assert run_due() == ["published"]
    assert len(api.posts) == 1
    post = api.posts[0]
    assert post["visibility"] == "PUBLIC"
    assert post["lifecycleState"] == "PUBLISHED"
    assert post["distribution"]["feedDistribution"] == "MAIN_FEED"
    assert api.headers_seen[0]["X-Restli-Protocol-Version"] == "2.0.0"
    assert re.fullmatch(r"\d{6}", api.headers_seen[0]["LinkedIn-Version"])
    publication.refresh_from_db()
    assert publication.platform_post_id == post["id"]
    assert publication.platform_url == f"https://www.linkedin.com/feed/update/{post['id']}"
    draft.refresh_from_db()
    assert draft.state == "published"


def test_it_escapes_little_text_reserved_characters(personas, draft, api, channel):
    text = r"Hi @team (beta) #launch_day *now* [x] {y} <z> ~ | back\slash"
    schedule(draft, personas, text)
    run_due()
    commentary = api.posts[0]["commentary"]
    # The Markdown emphasis (*now*) is rendered away; every reserved character left is escaped.
    assert commentary == r"Hi \@team \(beta\) \#launch\_day now \[x\] \{y\} \<z\> \~ \| back\\slash"
    assert re.sub(r"\\(.)", r"\1", commentary) == text.replace("*now*", "now")


def test_it_refuses_to_schedule_more_than_3000_characters(personas, draft, api, channel):
    draft.body = "a" * 3001
    draft.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    expected = "LinkedIn: LinkedIn posts are at most 3000 characters; this one has 3001."
    assert refused.value.message_dict["channels"] == [expected]


def test_it_fails_at_once_on_an_invalid_token(personas, draft, api):
    linkedin(personas.board, api, token="expired")
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "INVALID_ACCESS_TOKEN" in publication.last_error


def test_it_retries_a_429_and_a_server_error_and_keeps_the_token(personas, draft, api, channel):
    schedule(draft, personas, "Hello")
    api.script = [Fault(status=429), Fault(status=500)]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["pending"]
    assert Channel.objects.get(pk=channel.pk).credentials == {"access_token": api.token}
    assert run_due(at=timezone.now() + timedelta(days=3)) == ["published"]
    assert len(api.posts) == 1


def test_it_never_resends_a_timed_out_post(personas, draft, api, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    publication = schedule(draft, personas, "Slow day")
    api.script = [Fault(delay=1.0)]
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "did not answer in time" in publication.last_error
    assert [r for r in api.requests if r[0] == "POST"] == [("POST", "/rest/posts")]


def test_it_fails_on_a_duplicate_of_someone_elses_post(personas, draft, api, channel):
    api.posts.append({"id": "urn:li:share:1", "author": api.author, "commentary": "Same again"})
    publication = schedule(draft, personas, "Same again")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "DUPLICATE_POST" in publication.last_error
    assert publication.platform_post_id == ""


def test_it_counts_a_duplicate_of_its_own_earlier_attempt_as_published(personas, draft, api, channel):
    publication = schedule(draft, personas, "Stored, then the gateway failed")
    api.script = [Fault(status=502, commit=True)]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(api.posts) == 1
    publication.refresh_from_db()
    assert publication.platform_post_id == api.posts[0]["id"]
    assert list(publication.log.values_list("outcome", flat=True)) == ["transient", "published"]


def test_it_recognises_its_own_post_on_a_manual_retry_after_a_timeout(personas, draft, api, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    publication = schedule(draft, personas, "Did it go out?")
    api.script = [Fault(delay=1.0)]
    assert run_due() == ["failed"]
    settings.PUBLISHING_HTTP_TIMEOUT = 5
    draft.refresh_from_db()
    draft_transition(draft_id=draft.pk, name="retry", actor=personas.manager)
    assert run_due() == ["published"]
    assert len(api.posts) == 1
    publication.refresh_from_db()
    assert publication.platform_post_id == api.posts[0]["id"]


def test_it_tests_the_connection(personas, api, channel):
    assert api.author in adapter_for(channel).test_connection()
    bad = linkedin(personas.other_board, api, token="nope")
    with pytest.raises(AdapterError) as error:
        adapter_for(bad).test_connection()
    assert error.value.permanent


# --- Images -------------------------------------------------------------------------------------------------


def test_it_uploads_one_image_then_posts_it_as_media_with_its_alt_text(personas, draft, api, channel):
    image = add_image(draft, alt_text="A pink square")
    schedule(draft, personas, "One picture")
    assert run_due() == ["published"]
    (uploaded,) = api.images
    assert uploaded["data"] == image.data
    (post,) = api.posts
    assert post["content"] == {"media": {"id": uploaded["urn"], "altText": "A pink square"}}
    paths = [path for verb, path in api.requests if verb != "GET"]
    assert paths == ["/rest/images", "/dms-uploads/upload-1", "/rest/posts"]
    put = api.headers_seen[1]
    assert put["Authorization"] == f"Bearer {api.token}"


def test_it_posts_two_or_more_images_as_multi_image(personas, draft, api, channel):
    first = add_image(draft, alt_text="First")
    second = add_image(draft, alt_text="Second", color=(0, 0, 200))
    schedule(draft, personas, "Two pictures")
    assert run_due() == ["published"]
    assert [i["data"] for i in api.images] == [first.data, second.data]
    (post,) = api.posts
    assert post["content"] == {
        "multiImage": {
            "images": [
                {"id": api.images[0]["urn"], "altText": "First"},
                {"id": api.images[1]["urn"], "altText": "Second"},
            ]
        }
    }


def test_it_refuses_alt_text_longer_than_linkedin_keeps(channel):
    """Drafts keep at most 1,000 characters of alt text today, so this guards the adapter on its own: a longer
    limit in drafts must not let LinkedIn cut a description short."""
    from publishing.adapters.base import Post, PostImage

    image = PostImage(name="x.png", content_type="image/png", alt_text="a" * 4087, width=1, height=1, size=1, sha256="")
    post = Post(draft_id=1, title="t", text="Hello", tags=[], idempotency_key="k", board="Launch", images=(image,))
    assert adapter_for(channel).validate(post) == [
        "The alt text of image 1 is 4,087 characters; LinkedIn allows at most 4,086."
    ]


@pytest.mark.parametrize("path", ["/rest/images", "/dms-uploads"])
def test_a_failed_upload_is_retried_later_without_a_post(personas, draft, api, channel, path):
    add_image(draft)
    publication = schedule(draft, personas, "With a picture")
    api.script = [Fault(status=503, path=path)]
    assert run_due() == ["pending"]
    assert api.posts == []
    publication.refresh_from_db()
    assert "503" in publication.last_error
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(api.posts) == 1
    assert api.posts[0]["content"]["media"]["id"] == api.images[-1]["urn"]


def test_an_upload_timeout_is_retried_and_never_makes_a_second_post(personas, draft, api, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    add_image(draft)
    schedule(draft, personas, "Slow upload")
    api.script = [Fault(delay=1.0, path="/dms-uploads")]
    assert run_due() == ["pending"]
    assert api.posts == []
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(api.posts) == 1


def test_a_refused_token_on_the_upload_fails_at_once_without_a_post(personas, draft, api):
    linkedin(personas.board, api, token="expired")
    add_image(draft)
    publication = schedule(draft, personas, "With a picture")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "INVALID_ACCESS_TOKEN" in publication.last_error
    assert "connect the channel again" in publication.last_error
    assert api.posts == []
    assert api.images == []
    assert ("POST", "/rest/posts") not in api.requests


# --- Token refresh ------------------------------------------------------------------------------------------


def test_it_refreshes_a_refused_token_once_stores_it_encrypted_and_posts_once(personas, draft, api):
    channel = refreshable(personas.board, api)
    api.expire_access_tokens()
    add_image(draft)
    schedule(draft, personas, "After the refresh")
    assert run_due() == ["published"]
    assert api.refreshes == 1
    assert len(api.posts) == 1
    stored = Channel.objects.get(pk=channel.pk)
    credentials = stored.credentials
    assert credentials["access_token"] == "li-token-1"
    assert credentials["refresh_token"] == "li-refresh"
    assert credentials["access_token_expires_at"] > timezone.now().timestamp() + api.token_lifetime - 60
    assert "li-token-1" not in stored.credentials_token  # encrypted at rest
    assert "li-refresh" not in stored.credentials_token


def test_it_refreshes_before_calling_when_the_stored_expiry_has_passed(personas, draft, api):
    channel = refreshable(personas.board, api, access_token_expires_at=int(timezone.now().timestamp()) - 10)
    api.expire_access_tokens()
    schedule(draft, personas, "Known to be expired")
    assert run_due() == ["published"]
    assert api.refreshes == 1
    posts_calls = [
        headers for (verb, path), headers in zip(api.requests, api.headers_seen, strict=True) if path == "/rest/posts"
    ]
    assert [h["Authorization"] for h in posts_calls] == ["Bearer li-token-1"]  # no call with the old token
    assert Channel.objects.get(pk=channel.pk).credentials["access_token"] == "li-token-1"


def test_a_refused_refresh_token_fails_for_good_with_a_clear_message(personas, draft, api):
    channel = refreshable(personas.board, api)
    api.expire_access_tokens()
    api.refresh_tokens.clear()
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "LinkedIn refused the refresh token" in publication.last_error
    assert "connect the channel again" in publication.last_error
    assert api.posts == []
    assert Channel.objects.get(pk=channel.pk).credentials["access_token"] == api.token


def test_a_refused_client_fails_for_good(personas, draft, api):
    refreshable(personas.board, api)
    api.expire_access_tokens()
    api.client_secret = "rotated"
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "LinkedIn refused the refresh token (401: Client authentication failed)" in publication.last_error


def test_a_token_endpoint_that_is_down_is_temporary_and_keeps_the_credentials(personas, draft, api):
    channel = refreshable(personas.board, api)
    before = Channel.objects.get(pk=channel.pk).credentials
    api.expire_access_tokens()
    publication = schedule(draft, personas, "Hello")
    api.script = [Fault(status=503, path="/oauth/v2/accessToken")]
    assert run_due() == ["pending"]
    publication.refresh_from_db()
    assert "503" in publication.last_error
    assert Channel.objects.get(pk=channel.pk).credentials == before
    assert api.posts == []
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(api.posts) == 1


def test_a_token_endpoint_timeout_is_temporary_not_ambiguous(personas, draft, api, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    channel = refreshable(personas.board, api)
    before = Channel.objects.get(pk=channel.pk).credentials
    api.expire_access_tokens()
    schedule(draft, personas, "Hello")
    api.script = [Fault(delay=1.0, path="/oauth/v2/accessToken")]
    assert run_due() == ["pending"]
    assert Channel.objects.get(pk=channel.pk).credentials == before
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(api.posts) == 1


def test_it_does_not_refresh_twice_when_the_new_token_is_refused_too(personas, draft, api):
    refreshable(personas.board, api)
    api.expire_access_tokens()
    api.token_lifetime = -1  # every new token is already expired
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]
    assert api.refreshes == 1
    assert api.requests.count(("POST", "/rest/posts")) == 2
    publication.refresh_from_db()
    assert "INVALID_ACCESS_TOKEN" in publication.last_error


def test_it_uses_a_token_another_worker_refreshed_meanwhile(personas, api):
    channel = refreshable(personas.board, api)
    adapter = adapter_for(channel)  # holds the old token
    api.expire_access_tokens()
    adapter_for(Channel.objects.get(pk=channel.pk)).test_connection()  # the other worker refreshes
    assert api.refreshes == 1
    assert api.author in adapter.test_connection()
    assert api.refreshes == 1  # the stale adapter took the stored token instead of refreshing again


# --- Reading a post back, and the channel's configuration --------------------------------------------------


def test_a_check_reads_the_post_back_live_with_its_url(personas, draft, api, channel):
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    urn = api.posts[0]["id"]
    assert (checked.live, checked.platform_url, checked.check_detail) == (
        True,
        f"https://www.linkedin.com/feed/update/{urn}",
        "Live on LinkedIn.",
    )
    assert ("GET", f"/rest/posts/{quote(urn, safe='')}") in api.requests
    assert api.headers_seen[-1]["X-Restli-Protocol-Version"] == "2.0.0"
    assert re.fullmatch(r"\d{6}", api.headers_seen[-1]["LinkedIn-Version"])


def test_a_check_finds_a_deleted_post_gone(personas, draft, api, channel):
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    api.delete(api.posts[0]["id"])
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert (checked.live, checked.check_detail) == (False, "Deleted from LinkedIn.")


def test_a_check_refreshes_an_expired_token_first(personas, draft, api):
    refreshable(personas.board, api)
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    api.expire_access_tokens()
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert checked.live is True
    assert api.refreshes == 1


def test_a_check_that_cannot_reach_linkedin_changes_nothing(personas, draft, api, channel):
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    services.publication_check(publication_id=publication.pk, actor=personas.manager)
    before = Publication.objects.get(pk=publication.pk)
    api.script = [Fault(status=503, path="/rest/posts/")]
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert "503" in refused.value.message
    after = Publication.objects.get(pk=publication.pk)
    assert (after.live, after.checked_at, after.check_detail) == (before.live, before.checked_at, before.check_detail)


def test_a_channel_needs_its_author_and_token_but_not_the_refresh_keys(personas):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="linkedin", name="LinkedIn", settings={}, credentials={}
        )
    assert refused.value.message_dict == {
        "settings": ["LinkedIn needs these settings: author."],
        "credentials": ["LinkedIn needs these credentials: access_token."],
    }
    made = services.channel_create(
        board=personas.board,
        actor=personas.manager,
        kind="linkedin",
        name="LinkedIn",
        settings={"author": "urn:li:organization:1"},
        credentials={"access_token": "t"},
    )
    assert made.pk
