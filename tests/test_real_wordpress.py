"""WordPress through the publishing pipeline against a REAL WordPress (Debian's package, its own MariaDB),
started once for this module by tests/realservers/wordpress.py. `.ci/setup_wordpress.sh` installs it.

Without the packages these tests skip and say why; REQUIRE_SERVICES=1 turns that skip into a failure.
The site is shared by the module's tests: each test finds its own posts by its publication's slug.
"""

import hashlib
import os
import uuid
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from publishing import services
from publishing.adapters import AdapterError, adapter_for
from publishing.adapters.base import Post
from publishing.adapters.wordpress import WordPressAdapter, slug_for
from publishing.models import Channel, Publication, PublicationAttempt
from tests.factories import advance, attach_image, make_channel, run_due
from tests.realservers.wordpress import RealWordPress, missing_requirements

EVERY_STATUS = "publish,future,draft,pending,private"


@pytest.fixture(scope="module")
def site():
    missing = missing_requirements()
    if missing:
        reason = f"no real WordPress here ({', '.join(missing)} missing)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}: run .ci/setup_wordpress.sh.")
        pytest.skip(f"{reason}: run .ci/setup_wordpress.sh (as root) to install it.")
    wordpress = RealWordPress().start()
    yield wordpress
    wordpress.stop()


def wordpress(board, site, permalinks, password=None, name="Blog") -> Channel:
    settings = {"url": site.url, "plain_permalinks": permalinks == "plain"}
    credentials = {"username": site.username, "application_password": password or site.application_password}
    return make_channel(board, "wordpress", name=name, settings=settings, credentials=credentials)


@pytest.fixture(params=["pretty", "plain"])
def permalinks(request) -> str:
    """The site has pretty permalinks: the adapter may call /wp-json/... or ?rest_route=... (plain_permalinks)."""
    return request.param


@pytest.fixture
def channel(personas, site, permalinks):
    return wordpress(personas.board, site, permalinks)


def schedule(draft, personas, text) -> Publication:
    draft.title = f"Spring launch {uuid.uuid4().hex[:8]}"  # the site outlives a test: titles must not repeat
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


def posts_where(site, **params) -> list[dict]:
    """The site's posts in every status matching `params` (slug=..., search=...), as the site's user sees them."""
    answer = site.api("GET", "/wp/v2/posts", params={"status": EVERY_STATUS, "context": "edit", **params})
    assert answer.status_code == 200, answer.text
    return answer.json()


def slug_of(publication: Publication) -> str:
    return slug_for(str(publication.idempotency_key))


def assert_one_post(site, publication: Publication, title: str) -> dict:
    slug = slug_of(publication)
    by_slug = posts_where(site, slug=slug)
    by_title = [post for post in posts_where(site, search=title) if post["title"]["raw"] == title]
    assert [post["slug"] for post in by_title] == [slug]  # no "-2" copy under another slug
    assert len(by_slug) == 1
    return by_slug[0]


def test_it_publishes_a_scheduled_draft_as_one_live_post(personas, draft, site, channel):
    publication = schedule(draft, personas, "Spring is **here**")
    assert run_due() == ["published"]

    post = assert_one_post(site, publication, draft.title)
    assert post["status"] == "publish"
    assert post["title"]["raw"] == draft.title
    assert "<strong>here</strong>" in post["content"]["raw"]
    publication.refresh_from_db()
    assert publication.platform_post_id == str(post["id"])
    assert publication.platform_url == post["link"]
    assert publication.platform_url.startswith(site.url)
    draft.refresh_from_db()
    assert draft.state == "published"
    # Live for everyone, not only for the signed-in author.
    public = site.api("GET", f"/wp/v2/posts/{post['id']}", auth=("", ""))
    assert public.status_code == 200, public.text
    assert public.json()["link"] == publication.platform_url


def test_wordpress_itself_makes_a_second_post_for_a_repeated_request(personas, site):
    """Why the adapter looks posts up before a resend: the real site does not deduplicate."""
    adapter = adapter_for(wordpress(personas.board, site, "pretty"))
    key = f"not-a-publication-{uuid.uuid4().hex}"  # not a publication's key: never counts as a resend
    post = Post(draft_id=0, title=f"Twice {key}", text="Same request", tags=[], idempotency_key=key, board="Launch")
    first, second = adapter.publish(post), adapter.publish(post)
    assert first.post_id != second.post_id
    slugs = sorted(found["slug"] for found in posts_where(site, search=post.title))
    assert slugs == [slug_for(key), slug_for(key) + "-2"]


def test_it_does_not_post_twice_when_the_first_answer_was_lost(personas, draft, site, channel, monkeypatch):
    publication = schedule(draft, personas, "The answer got lost")
    publish = WordPressAdapter.publish

    def stored_then_timed_out(adapter, post):
        publish(adapter, post)  # WordPress stores the post...
        raise AdapterError("WordPress did not answer in time", ambiguous=True)  # ...but we never hear back

    monkeypatch.setattr(WordPressAdapter, "publish", stored_then_timed_out)
    assert run_due() == ["pending"]
    assert PublicationAttempt.objects.get(publication=publication).outcome == "ambiguous"
    stored = assert_one_post(site, publication, draft.title)

    monkeypatch.setattr(WordPressAdapter, "publish", publish)
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert assert_one_post(site, publication, draft.title)["id"] == stored["id"]
    publication.refresh_from_db()
    assert publication.attempts == 2
    assert publication.platform_post_id == str(stored["id"])
    assert publication.platform_url == stored["link"]


def test_it_does_not_post_twice_after_a_worker_died_mid_send(personas, draft, site, channel):
    publication = schedule(draft, personas, "The worker was killed")
    at = draft.publish_at
    (pk,) = services.publications_claim_due(now=at)
    # What a worker killed during the platform call leaves: the row in "sending", the post live, no log.
    Publication.objects.filter(pk=pk).update(state="sending", attempts=1, updated_at=at)
    first = adapter_for(channel).publish(services.post_for(Publication.objects.get(pk=pk)))
    assert services.publications_recover_stale(now=at + timedelta(hours=1)) == 1
    assert run_due(at=at + timedelta(hours=2)) == ["published"]

    post = assert_one_post(site, publication, draft.title)
    assert str(post["id"]) == first.post_id
    publication.refresh_from_db()
    assert publication.platform_post_id == first.post_id


def test_it_fails_for_good_on_a_wrong_application_password(personas, draft, site, permalinks):
    wordpress(personas.board, site, permalinks, password="wrong pass word abcd efgh ijkl")
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]

    publication.refresh_from_db()
    assert publication.attempts == 1
    assert "WordPress answered 401" in publication.last_error
    attempt = PublicationAttempt.objects.get(publication=publication)
    assert (attempt.outcome, attempt.status_code) == ("permanent", 401)
    assert posts_where(site, slug=slug_of(publication)) == []


def test_the_connection_test_passes_with_the_right_password(personas, site, channel):
    assert services.channel_test(channel=channel, actor=personas.manager) == (
        True,
        f"Signed in to WordPress at {site.url} as {site.display_name}.",
    )


def test_the_connection_test_reports_a_wrong_password(personas, site, permalinks):
    wrong = wordpress(personas.board, site, permalinks, password="nope nope nope nope")
    worked, message = services.channel_test(channel=wrong, actor=personas.manager)
    assert not worked
    assert message.startswith("WordPress answered 401")
    with pytest.raises(AdapterError) as error:
        adapter_for(wrong).test_connection()
    assert error.value.permanent
    assert error.value.status_code == 401


def test_it_uploads_the_image_with_its_alt_text_and_features_it(personas, draft, site, channel):
    image = attach_image(draft, alt_text='A "pink" square')
    publication = schedule(draft, personas, "With a picture")
    assert run_due() == ["published"]

    post = assert_one_post(site, publication, draft.title)
    answer = site.api("GET", f"/wp/v2/media/{post['featured_media']}", params={"context": "edit"})
    assert answer.status_code == 200, answer.text
    media = answer.json()
    assert (media["alt_text"], media["mime_type"], media["post"]) == ('A "pink" square', "image/png", None)
    assert f'<img src="{media["source_url"]}" alt="A &quot;pink&quot; square" />' in post["content"]["raw"]
    served = httpx.get(media["source_url"])
    assert served.status_code == 200
    assert hashlib.sha256(served.content).hexdigest() == image.sha256


def test_a_check_reads_the_post_back_live_then_finds_it_in_the_trash(personas, draft, site, channel):
    publication = schedule(draft, personas, "Read me back")
    assert run_due() == ["published"]
    post = assert_one_post(site, publication, draft.title)

    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert (checked.live, checked.check_detail) == (True, "Live on WordPress.")
    assert checked.platform_url == post["link"]
    assert checked.platform_url.startswith(site.url)

    trashed = site.api("DELETE", f"/wp/v2/posts/{post['id']}")  # without force: to the trash
    assert trashed.status_code == 200, trashed.text
    assert trashed.json()["status"] == "trash"
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert (checked.live, checked.check_detail) == (False, "In the trash on WordPress.")

    deleted = site.api("DELETE", f"/wp/v2/posts/{post['id']}", params={"force": "true"})
    assert deleted.status_code == 200, deleted.text
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert (checked.live, checked.check_detail) == (False, "Deleted from WordPress.")
    assert Publication.objects.get(pk=publication.pk).live is False
