"""LinkedIn through the publishing pipeline, against a stand-in Posts API that follows the documented contract."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from drafts.services import draft_transition
from publishing import services
from publishing.adapters import AdapterError, adapter_for
from publishing.models import Channel, Publication
from tests.factories import advance
from tests.standins.linkedin import Fault, LinkedInStandIn


@pytest.fixture
def api():
    stand_in = LinkedInStandIn()
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def linkedin(board, api, token=None) -> Channel:
    channel = Channel(board=board, kind="linkedin", name="LinkedIn", settings={"api": api.url, "author": api.author})
    channel.credentials = {"access_token": token or api.token}
    channel.save()
    return channel


@pytest.fixture
def channel(personas, api):
    return linkedin(personas.board, api)


def schedule(draft, personas, text):
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


def run_due(at=None) -> list[str]:
    at = at or timezone.now() + timedelta(days=1)
    return [services.publication_publish(publication_id=pk) for pk in services.publications_claim_due(now=at)]


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
    assert commentary == r"Hi \@team \(beta\) \#launch\_day \*now\* \[x\] \{y\} \<z\> \~ \| back\\slash"
    assert re.sub(r"\\(.)", r"\1", commentary) == text


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
