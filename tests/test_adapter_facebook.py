"""Facebook page posts through the publishing pipeline, against a stand-in Graph API."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from publishing import services
from publishing.adapters import AdapterError, adapter_for
from publishing.models import Channel, Publication, PublicationAttempt
from tests.factories import advance
from tests.standins.facebook import FacebookStandIn, Fault


@pytest.fixture
def graph():
    stand_in = FacebookStandIn()
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def facebook(board, graph, token=None) -> Channel:
    channel = Channel(board=board, kind="facebook", name="Page", settings={"api": graph.url, "page_id": graph.page_id})
    channel.credentials = {"page_access_token": token or graph.token}
    channel.save()
    return channel


@pytest.fixture
def channel(personas, graph):
    return facebook(personas.board, graph)


def schedule(draft, personas, text):
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


def run_due(at=None) -> list[str]:
    at = at or timezone.now() + timedelta(days=1)
    return [services.publication_publish(publication_id=pk) for pk in services.publications_claim_due(now=at)]


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
