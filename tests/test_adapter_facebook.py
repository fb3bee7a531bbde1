"""Facebook page posts through the publishing pipeline, against a stand-in Graph API."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cocreate.errors import Conflict
from publishing import services
from publishing.adapters import AdapterError, adapter_for
from publishing.models import Channel, Publication, PublicationAttempt
from publishing.standins.facebook import FacebookStandIn, Fault
from tests.adapter_image_helpers import add_image
from tests.factories import advance, make_channel, run_due


@pytest.fixture
def graph():
    stand_in = FacebookStandIn()
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def facebook(board, graph, token=None) -> Channel:
    settings = {"api": graph.url, "page_id": graph.page_id}
    credentials = {"page_access_token": token or graph.token}
    return make_channel(board, "facebook", name="Page", settings=settings, credentials=credentials)


@pytest.fixture
def channel(personas, graph):
    return facebook(personas.board, graph)


def schedule(draft, personas, text):
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


def test_it_publishes_once_to_the_page_feed(personas, draft, graph, channel):
    publication = schedule(draft, personas, "Spring is here 🌷")
    assert run_due() == ["published"]
    assert [p["message"] for p in graph.posts] == ["Spring is here 🌷"]
    publication.refresh_from_db()
    assert publication.platform_post_id == graph.posts[0]["id"]
    assert publication.platform_post_id.startswith(f"{graph.page_id}_")
    assert publication.platform_url == f"https://www.facebook.com/{graph.posts[0]['id']}"
    draft.refresh_from_db()
    assert draft.state == "published"


def test_it_fails_at_once_on_an_expired_page_token(personas, draft, graph):
    facebook(personas.board, graph, token="expired")
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "code 190" in publication.last_error
    assert "connect the page again" in publication.last_error


@pytest.mark.parametrize(("status", "code"), [(400, 4), (400, 17), (403, 32), (400, 613), (400, 80001)])
def test_it_waits_as_long_as_the_business_use_case_header_says(personas, draft, graph, channel, status, code):
    publication = schedule(draft, personas, "Hello")
    graph.script = [
        Fault(status=status, code=code, message="(#4) Application request limit reached", regain_minutes=15)
    ]  # noqa: E501
    before = timezone.now()
    assert run_due() == ["pending"]
    publication.refresh_from_db()
    assert publication.due_at >= before + timedelta(minutes=15)
    assert PublicationAttempt.objects.get().outcome == "transient"
    assert Channel.objects.get(pk=channel.pk).credentials == {"page_access_token": graph.token}
    assert run_due(at=publication.due_at) == ["published"]
    assert len(graph.posts) == 1


def test_it_backs_off_on_a_rate_limit_without_the_header(personas, draft, graph, channel):
    schedule(draft, personas, "Hello")
    graph.script = [Fault(status=400, code=17, message="(#17) User request limit reached")]
    assert run_due() == ["pending"]


def test_it_retries_a_temporary_graph_error(personas, draft, graph, channel):
    schedule(draft, personas, "Hello")
    graph.script = [Fault(status=500, code=2, message="An unexpected error has occurred. Please retry.")]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(graph.posts) == 1


def test_it_fails_on_an_invalid_parameter(personas, draft, graph, channel):
    schedule(draft, personas, "Hello")
    graph.script = [Fault(status=400, code=100, message="(#100) Invalid parameter")]
    assert run_due() == ["failed"]


def test_it_never_resends_a_timed_out_post(personas, draft, graph, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    publication = schedule(draft, personas, "Slow day")
    graph.script = [Fault(delay=1.0)]
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "did not answer in time" in publication.last_error
    assert graph.requests.count(("POST", f"/v21.0/{graph.page_id}/feed")) == 1


def test_it_fails_on_a_duplicate_of_someone_elses_post(personas, draft, graph, channel):
    graph.posts.append({"id": f"{graph.page_id}_1", "message": "Same again"})
    publication = schedule(draft, personas, "Same again")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "code 506" in publication.last_error


def test_it_counts_a_duplicate_of_its_own_earlier_attempt_as_published(personas, draft, graph, channel):
    publication = schedule(draft, personas, "Stored, then an error")
    graph.script = [Fault(status=500, code=1, message="An unknown error occurred", commit=True)]
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(graph.posts) == 1
    publication.refresh_from_db()
    assert publication.platform_post_id == graph.posts[0]["id"]


def test_it_refuses_to_schedule_without_a_page_id(personas, draft, graph):
    channel = Channel(board=personas.board, kind="facebook", name="Page", settings={"api": graph.url})
    channel.credentials = {"page_access_token": graph.token}
    channel.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == ["Page: The Facebook channel has no page id."]


def test_it_tests_the_connection(personas, graph, channel):
    assert adapter_for(channel).test_connection() == "Facebook accepted the token for the page 'Brand Page'."
    bad = facebook(personas.other_board, graph, token="nope")
    with pytest.raises(AdapterError) as error:
        adapter_for(bad).test_connection()
    assert error.value.permanent


# --- Images -------------------------------------------------------------------------------------------------


def test_it_uploads_unpublished_photos_then_posts_once_with_them_attached(personas, draft, graph, channel):
    first = add_image(draft, alt_text="A pink square")
    second = add_image(draft, alt_text="A blue square", color=(0, 0, 200))
    publication = schedule(draft, personas, "Two pictures")
    assert run_due() == ["published"]
    assert [p["data"] for p in graph.photos] == [first.data, second.data]
    assert [p["alt_text"] for p in graph.photos] == ["A pink square", "A blue square"]
    assert all(not p["published"] and p["content_type"] == "image/png" for p in graph.photos)
    (post,) = graph.posts
    assert post["message"] == "Two pictures"
    assert post["attached_media"] == [p["id"] for p in graph.photos]
    assert [r[1].rsplit("/", 1)[1] for r in graph.requests if r[0] == "POST"] == ["photos", "photos", "feed"]
    publication.refresh_from_db()
    assert publication.platform_post_id == post["id"]


def test_it_shrinks_a_photo_over_the_limit(personas, draft, graph, channel, monkeypatch):
    from publishing.adapters import facebook

    original = add_image(draft, width=400, height=300, noisy=True).size
    monkeypatch.setattr(facebook, "MAX_PHOTO_BYTES", original // 2)  # 4 MB in production
    schedule(draft, personas, "A big picture")
    assert run_due() == ["published"]
    assert len(graph.photos[0]["data"]) <= original // 2
    assert graph.photos[0]["content_type"] == "image/jpeg"


def test_a_failed_photo_upload_is_retried_later_without_a_post(personas, draft, graph, channel):
    add_image(draft)
    publication = schedule(draft, personas, "With a picture")
    graph.script = [Fault(status=503, code=2, message="Service temporarily unavailable", edge="photos")]
    assert run_due() == ["pending"]
    assert graph.posts == []
    publication.refresh_from_db()
    assert "code 2" in publication.last_error
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(graph.posts) == 1
    assert graph.posts[0]["attached_media"] == [graph.photos[0]["id"]]


def test_a_photo_upload_timeout_is_retried_and_never_makes_a_second_post(personas, draft, graph, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    add_image(draft)
    schedule(draft, personas, "Slow upload")
    graph.script = [Fault(delay=1.0, edge="photos")]
    assert run_due() == ["pending"]
    assert graph.posts == []
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(graph.posts) == 1


def test_a_refused_token_on_the_upload_fails_at_once_without_a_post(personas, draft, graph):
    facebook(personas.board, graph, token="expired")
    add_image(draft)
    publication = schedule(draft, personas, "With a picture")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "code 190" in publication.last_error
    assert graph.posts == []
    assert graph.photos == []
    assert ("POST", f"/v21.0/{graph.page_id}/feed") not in graph.requests


# --- Reading a post back, and the channel's configuration --------------------------------------------------


def test_a_check_reads_the_post_back_live_with_its_permalink(personas, draft, graph, channel):
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    page, _, number = graph.posts[0]["id"].partition("_")
    assert checked.live is True
    assert checked.platform_url == f"https://www.facebook.com/{page}/posts/{number}"
    assert checked.check_detail == "Live on Facebook."


def test_a_check_finds_a_deleted_post_gone(personas, draft, graph, channel):
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    graph.delete(graph.posts[0]["id"])
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert (checked.live, checked.check_detail) == (False, "Deleted from the Facebook page (or removed by Facebook).")


def test_a_check_that_cannot_reach_facebook_changes_nothing(personas, draft, graph, channel):
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    before = Publication.objects.get(pk=publication.pk)
    graph.script = [Fault(status=503, code=2, message="Service temporarily unavailable", edge="read")]
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert "503" in refused.value.message
    after = Publication.objects.get(pk=publication.pk)
    assert (after.live, after.checked_at, after.check_detail, after.platform_url) == (
        None,
        None,
        "",
        before.platform_url,
    )


def test_a_check_with_an_expired_token_raises_instead_of_saying_gone(personas, draft, graph, channel):
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["published"]
    channel.credentials = {"page_access_token": "expired"}
    channel.save()
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert "code 190" in refused.value.message


def test_a_channel_needs_its_page_and_token(personas):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="facebook", name="Page", settings={}, credentials={}
        )
    assert refused.value.message_dict == {
        "settings": ["Facebook page needs these settings: page_id."],
        "credentials": ["Facebook page needs these credentials: page_access_token."],
    }
