"""WordPress through the publishing pipeline, against a stand-in REST API that follows the documented contract."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocreate.errors import Conflict
from publishing import services
from publishing.adapters import AdapterError, adapter_for
from publishing.adapters.wordpress import slug_for
from publishing.models import Channel, Publication, PublicationAttempt
from publishing.standins.wordpress import Fault, WordPressStandIn
from tests.adapter_image_helpers import add_image
from tests.factories import advance, make_channel, run_due

POSTS = "/wp/v2/posts"
MEDIA = "/wp/v2/media"


@pytest.fixture
def site():
    stand_in = WordPressStandIn()
    stand_in.start()
    yield stand_in
    stand_in.stop()


def wordpress(board, site, password=None, name="Blog", **settings) -> Channel:
    settings = {"url": site.url, **settings}
    credentials = {"username": site.username, "application_password": password or site.application_password}
    return make_channel(board, "wordpress", name=name, settings=settings, credentials=credentials)


@pytest.fixture
def channel(personas, site):
    return wordpress(personas.board, site)


def schedule(draft, personas, text):
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


def posts_sent(site) -> int:
    return site.requests.count(("POST", POSTS))


def test_it_publishes_once_as_html_with_a_slug_from_the_idempotency_key(personas, draft, site, channel):
    publication = schedule(draft, personas, "Spring is **here**")
    assert run_due() == ["published"]
    assert len(site.posts) == 1
    post = site.posts[0]
    assert post["status"] == "publish"
    assert post["title"]["raw"] == draft.title
    assert "<strong>here</strong>" in post["content"]["raw"]
    assert post["slug"] == slug_for(str(publication.idempotency_key))
    publication.refresh_from_db()
    assert publication.platform_post_id == str(post["id"])
    assert publication.platform_url == post["link"]
    draft.refresh_from_db()
    assert draft.state == "published"


def test_it_works_with_plain_permalinks(personas, draft, site):
    wordpress(personas.board, site, plain_permalinks=True)
    schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    assert len(site.posts) == 1


def test_it_looks_the_post_up_with_plain_permalinks_too(personas, draft, site, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    wordpress(personas.board, site, plain_permalinks=True)
    add_image(draft)
    schedule(draft, personas, "Slow day")
    site.script = [Fault(delay=1.0)]  # stored, but the answer comes too late
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(site.posts) == 1  # the GET kept its rest_route: the lookup found the post
    assert ("GET", POSTS) in site.requests


def test_it_tests_the_connection_with_plain_permalinks(personas, site):
    channel = wordpress(personas.board, site, plain_permalinks=True)
    assert adapter_for(channel).test_connection() == f"Signed in to WordPress at {site.url} as Editor."
    bad = wordpress(personas.other_board, site, password="nope", plain_permalinks=True)
    with pytest.raises(AdapterError) as error:
        adapter_for(bad).test_connection()
    assert error.value.status_code == 401


def test_it_fails_at_once_on_a_wrong_application_password(personas, draft, site):
    wordpress(personas.board, site, password="wrong wrong wrong")
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "401" in publication.last_error
    assert site.posts == []


def test_it_looks_the_post_up_by_slug_after_a_timeout_instead_of_posting_twice(
    personas, draft, site, channel, settings
):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    publication = schedule(draft, personas, "Slow day")
    site.script = [Fault(delay=1.0)]  # stored, but the answer comes too late
    assert run_due() == ["pending"]
    assert PublicationAttempt.objects.get().outcome == "ambiguous"
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(site.posts) == 1
    assert posts_sent(site) == 1
    assert ("GET", POSTS) in site.requests
    publication.refresh_from_db()
    assert publication.platform_post_id == str(site.posts[0]["id"])


def test_it_resends_after_a_timeout_when_nothing_was_stored(personas, draft, site, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    schedule(draft, personas, "Lost on the way")
    site.script = [Fault(status=503, delay=1.0)]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(site.posts) == 1
    assert posts_sent(site) == 2


def test_it_does_not_double_post_after_a_server_error_that_stored_the_post(personas, draft, site, channel):
    schedule(draft, personas, "Stored, then a fatal error")
    site.script = [Fault(status=500, commit=True)]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert [p["slug"] for p in site.posts] == [site.posts[0]["slug"]]  # no "-2" copy


def test_it_honours_retry_after_on_429(personas, draft, site, channel):
    publication = schedule(draft, personas, "Hello")
    site.script = [Fault(status=429, retry_after=600)]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication.refresh_from_db()
    assert publication.due_at >= before + timedelta(seconds=600)
    assert Channel.objects.get(pk=channel.pk).credentials["username"] == site.username


def test_it_fails_on_an_invalid_parameter_with_the_sites_message(personas, draft, site):
    wordpress(personas.board, site, categories=[7])
    schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]
    error = Publication.objects.get(draft=draft).last_error
    assert "400: rest_invalid_param" in error
    assert "categories: Invalid term ID: 7." in error
    assert site.posts == []


def test_it_refuses_to_schedule_without_a_site_url(personas, draft, site):
    channel = Channel(board=personas.board, kind="wordpress", name="Blog", settings={})
    channel.credentials = {"username": "u", "application_password": "p"}
    channel.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == ["Blog: The WordPress channel has no site URL."]


def test_it_tests_the_connection(personas, site, channel):
    assert adapter_for(channel).test_connection() == f"Signed in to WordPress at {site.url} as Editor."
    bad = wordpress(personas.other_board, site, password="nope")
    with pytest.raises(AdapterError) as error:
        adapter_for(bad).test_connection()
    assert error.value.permanent
    assert error.value.status_code == 401


def test_it_does_not_double_post_after_a_worker_died_mid_send(personas, draft, site, channel):
    publication = schedule(draft, personas, "The worker was killed")
    at = draft.publish_at
    (pk,) = services.publications_claim_due(now=at)
    # What a worker killed during the platform call leaves: the row in "sending", the post live, no log.
    Publication.objects.filter(pk=pk).update(state="sending", attempts=1, updated_at=at)
    adapter_for(channel).publish(services.post_for(Publication.objects.get(pk=pk)))
    assert services.publications_recover_stale(now=at + timedelta(hours=1)) == 1
    assert run_due(at=at + timedelta(hours=2)) == ["published"]
    assert len(site.posts) == 1
    publication.refresh_from_db()
    assert publication.platform_post_id == str(site.posts[0]["id"])


# --- Images -------------------------------------------------------------------------------------------------


def test_it_uploads_the_images_with_alt_text_before_the_post_and_features_the_first(personas, draft, site, channel):
    first = add_image(draft, alt_text='A "pink" square <1>')
    second = add_image(draft, alt_text="A blue square", width=32, height=32, color=(0, 0, 200))
    schedule(draft, personas, "Look at these")
    assert run_due() == ["published"]
    assert [m["data"] for m in site.media] == [first.data, second.data]
    assert [m["alt_text"] for m in site.media] == ['A "pink" square <1>', "A blue square"]
    assert all(m["mime_type"] == "image/png" and m["filename"].endswith(".png") for m in site.media)
    (post,) = site.posts
    assert post["featured_media"] == site.media[0]["id"]
    content = post["content"]["raw"]
    assert f'<img src="{site.media[0]["source_url"]}" alt="A &quot;pink&quot; square &lt;1&gt;" />' in content
    assert f'<img src="{site.media[1]["source_url"]}" alt="A blue square" />' in content
    posts_at = site.requests.index(("POST", POSTS))
    assert all(i < posts_at for i, r in enumerate(site.requests) if r[1].startswith(MEDIA))


def test_it_retries_a_failed_upload_later_without_a_post(personas, draft, site, channel):
    add_image(draft)
    publication = schedule(draft, personas, "With a picture")
    site.script = [Fault(status=503, route=MEDIA)]
    assert run_due() == ["pending"]
    assert site.posts == []
    assert site.media == []
    publication.refresh_from_db()
    assert "503" in publication.last_error
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(site.posts) == 1
    assert site.posts[0]["featured_media"] == site.media[0]["id"]


def test_an_upload_timeout_is_retried_and_never_makes_a_second_post(personas, draft, site, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    add_image(draft)
    schedule(draft, personas, "Slow upload")
    site.script = [Fault(delay=1.0, route=MEDIA)]
    assert run_due() == ["pending"]  # nothing was posted: an upload is not a post
    assert site.posts == []
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(site.posts) == 1


def test_a_refused_upload_fails_at_once_without_a_post(personas, draft, site):
    wordpress(personas.board, site, password="wrong wrong wrong")
    add_image(draft)
    publication = schedule(draft, personas, "With a picture")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "401" in publication.last_error
    assert site.posts == []
    assert site.media == []
    assert ("POST", POSTS) not in site.requests


def test_it_does_not_post_again_when_a_resend_finds_the_post_with_its_images(personas, draft, site, channel):
    add_image(draft)
    schedule(draft, personas, "Stored, then a fatal error")
    site.script = [Fault(status=500, commit=True)]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(site.posts) == 1
    assert len(site.media) == 1  # the lookup came first: nothing uploaded again


# --- Reading a post back, and the channel's configuration --------------------------------------------------


@pytest.mark.parametrize("permalinks", [False, True])
def test_a_check_reads_the_post_back_live_with_its_link(personas, draft, site, permalinks):
    wordpress(personas.board, site, plain_permalinks=permalinks)
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert (checked.live, checked.platform_url, checked.check_detail) == (
        True,
        site.posts[0]["link"],
        "Live on WordPress.",
    )
    assert checked.checked_at is not None
    assert ("GET", f"{POSTS}/{site.posts[0]['id']}") in site.requests


def test_a_check_finds_a_trashed_or_deleted_post_gone(personas, draft, site, channel):
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    site.trash(site.posts[0]["id"])
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert (checked.live, checked.check_detail) == (False, "In the trash on WordPress.")
    site.delete(site.posts[0]["id"])
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert (checked.live, checked.check_detail) == (False, "Deleted from WordPress.")
    assert Publication.objects.get(pk=publication.pk).live is False


def test_a_check_that_cannot_reach_the_site_changes_nothing(personas, draft, site, channel):
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    services.publication_check(publication_id=publication.pk, actor=personas.manager)
    before = Publication.objects.get(pk=publication.pk)
    site.script = [Fault(status=503, method="GET")]
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert "503" in refused.value.message
    after = Publication.objects.get(pk=publication.pk)
    assert (after.live, after.checked_at, after.check_detail, after.platform_url) == (
        before.live,
        before.checked_at,
        before.check_detail,
        before.platform_url,
    )


def test_a_check_with_a_wrong_password_raises_instead_of_saying_gone(personas, draft, site, channel):
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    channel.credentials = {"username": site.username, "application_password": "wrong"}
    channel.save()
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert "401" in refused.value.message
    assert Publication.objects.get(pk=publication.pk).live is None


def test_a_channel_needs_its_site_and_application_password(personas):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="wordpress", name="Blog", settings={}, credentials={}
        )
    errors = refused.value.message_dict
    assert errors["settings"] == ["WordPress needs these settings: url."]
    assert errors["credentials"] == ["WordPress needs these credentials: username, application_password."]
    made = services.channel_create(
        board=personas.board,
        actor=personas.manager,
        kind="wordpress",
        name="Blog",
        settings={"url": "https://blog.example"},
        credentials={"username": "editor", "application_password": "abcd efgh"},
    )
    assert made.pk
