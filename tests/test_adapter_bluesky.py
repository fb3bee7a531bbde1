"""Bluesky through the publishing pipeline, against a stand-in PDS that follows the documented contract."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from publishing import services
from publishing.adapters import AdapterError, Post, adapter_for
from publishing.adapters.bluesky import rkey_for
from publishing.models import Channel, Publication, PublicationAttempt
from tests.factories import advance
from tests.standins.bluesky import BlueskyStandIn, Fault


@pytest.fixture
def pds():
    stand_in = BlueskyStandIn()
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def bluesky(board, pds, name="Bluesky", password=None, **credentials) -> Channel:
    channel = Channel(board=board, kind="bluesky", name=name, settings={"pds": pds.url})
    channel.credentials = {"identifier": pds.identifier, "password": password or pds.password, **credentials}
    channel.save()
    return channel


def schedule(draft, personas, text):
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


def run_due(at=None) -> list[str]:
    at = at or timezone.now() + timedelta(days=1)
    return [services.publication_publish(publication_id=pk) for pk in services.publications_claim_due(now=at)]


@pytest.fixture
def channel(personas, pds):
    return bluesky(personas.board, pds)


def test_it_publishes_once_with_a_deterministic_rkey_and_the_web_url(personas, draft, pds, channel):
    publication = schedule(draft, personas, "Spring is here")
    assert run_due() == ["published"]
    assert [p["text"] for p in pds.posts] == ["Spring is here"]
    publication.refresh_from_db()
    rkey = rkey_for(str(publication.idempotency_key))
    assert publication.platform_post_id == f"at://{pds.did}/app.bsky.feed.post/{rkey}"
    assert publication.platform_url == f"https://bsky.app/profile/{pds.handle}/post/{rkey}"
    assert "com.atproto.repo.getRecord" not in pds.calls  # a first attempt sends without looking up
    draft.refresh_from_db()
    assert draft.state == "published"


def test_it_stores_the_session_encrypted_and_reuses_it(personas, draft, pds, channel):
    schedule(draft, personas, "First")
    run_due()
    channel.refresh_from_db()
    session = channel.credentials["session"]
    assert session["did"] == pds.did
    assert session["accessJwt"] not in channel.credentials_token
    assert adapter_for(channel).test_connection() == f"Signed in to Bluesky at {pds.url} as @{pds.handle}."
    assert pds.sessions_created == 1


def test_it_refreshes_an_expired_session_and_stores_the_new_tokens(personas, draft, pds, channel):
    adapter_for(channel).test_connection()
    old = Channel.objects.get(pk=channel.pk).credentials["session"]
    pds.expire_access_tokens()
    schedule(draft, personas, "After the refresh")
    assert run_due() == ["published"]
    new = Channel.objects.get(pk=channel.pk).credentials["session"]
    assert new["accessJwt"] != old["accessJwt"]
    assert new["refreshJwt"] != old["refreshJwt"]
    assert pds.sessions_created == 1  # refreshed, not signed in again
    assert "com.atproto.server.refreshSession" in pds.calls
    assert len(pds.posts) == 1


def test_it_signs_in_again_when_the_refresh_token_is_spent_too(personas, draft, pds, channel):
    dead = {"accessJwt": "gone", "refreshJwt": "gone", "did": pds.did, "handle": pds.handle}
    channel.credentials = {**channel.credentials, "session": dead}
    channel.save()
    schedule(draft, personas, "Fresh start")
    assert run_due() == ["published"]
    assert pds.sessions_created == 1


def test_it_sends_link_facets_in_utf8_bytes_after_emoji_and_accents(personas, draft, pds, channel):
    text = "Café ☕ déjà vu 👩‍👩‍👧 see https://example.com/spring?a=1. Then https://ünï.example/ok"
    schedule(draft, personas, text)
    assert run_due() == ["published"]
    record = pds.posts[0]
    encoded = record["text"].encode("utf-8")
    links = [
        (encoded[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(), f["features"][0]["uri"])
        for f in record["facets"]
    ]
    assert links == [
        ("https://example.com/spring?a=1", "https://example.com/spring?a=1"),
        ("https://ünï.example/ok", "https://ünï.example/ok"),
    ]
    assert record["facets"][0]["index"]["byteStart"] != text.index("https://")  # bytes, not characters


def test_it_counts_graphemes_not_code_points(personas, draft, pds, channel):
    family = "👩‍👩‍👧"  # five code points, one grapheme
    schedule(draft, personas, family * 300)
    assert run_due() == ["published"]


def test_it_refuses_to_schedule_a_post_over_300_graphemes(personas, draft, pds, channel):
    draft.body = "é" * 301
    draft.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    expected = "Bluesky: Bluesky posts are at most 300 characters; this one has 301."
    assert refused.value.message_dict["channels"] == [expected]


def test_it_fails_at_once_on_a_wrong_app_password(personas, draft, pds):
    bluesky(personas.board, pds, password="wrong")
    publication = schedule(draft, personas, "Hello")
    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert "401" in publication.last_error
    assert "AuthenticationRequired" in publication.last_error
    assert pds.posts == []


def test_it_waits_for_the_rate_limit_reset_on_429(personas, draft, pds, channel):
    publication = schedule(draft, personas, "Hello")
    pds.script = [Fault(status=429, reset_in=900)]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication.refresh_from_db()
    assert publication.due_at >= before + timedelta(seconds=890)
    assert PublicationAttempt.objects.get().outcome == "transient"
    assert run_due(at=publication.due_at) == ["published"]
    assert len(pds.posts) == 1


def test_it_retries_a_server_error_without_dropping_the_credentials(personas, draft, pds, channel):
    publication = schedule(draft, personas, "Hello")
    pds.script = [Fault(status=502, error="UpstreamFailure")]
    assert run_due() == ["pending"]
    channel.refresh_from_db()
    assert channel.credentials["password"] == pds.password
    assert channel.credentials["session"]["accessJwt"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    publication.refresh_from_db()
    assert list(publication.log.values_list("outcome", flat=True)) == ["transient", "published"]
    assert len(pds.posts) == 1


def test_it_keeps_the_credentials_when_sign_in_is_temporarily_unavailable(personas, draft, pds, channel):
    schedule(draft, personas, "Hello")
    pds.script = [Fault(status=503, method="com.atproto.server.createSession")]
    assert run_due() == ["pending"]
    channel.refresh_from_db()
    assert channel.credentials["password"] == pds.password
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]


def test_it_looks_the_record_up_after_a_timeout_instead_of_posting_twice(personas, draft, pds, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    publication = schedule(draft, personas, "Slow day")
    pds.script = [Fault(delay=1.0)]  # written, but the answer comes too late
    assert run_due() == ["pending"]
    assert PublicationAttempt.objects.get().outcome == "ambiguous"
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(pds.posts) == 1
    assert pds.calls.count("com.atproto.repo.createRecord") == 1
    assert "com.atproto.repo.getRecord" in pds.calls
    publication.refresh_from_db()
    assert publication.platform_url.endswith(rkey_for(str(publication.idempotency_key)))


def test_it_resends_after_a_timeout_when_nothing_was_written(personas, draft, pds, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    schedule(draft, personas, "Lost on the way")
    pds.script = [Fault(status=503, delay=1.0)]  # nothing written, and no answer in time
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(pds.posts) == 1


@pytest.mark.parametrize("collision", ["error", "noop"])
def test_it_treats_a_repeated_rkey_as_already_published(personas, pds, channel, collision):
    pds.collision = collision
    adapter = adapter_for(channel)
    post = Post(draft_id=1, title="t", text="Only once", tags=[], idempotency_key="same-key", board="Launch")
    first = adapter.publish(post)
    second = adapter.publish(post)  # e.g. a second worker: the rkey collides
    assert first == second
    assert len(pds.posts) == 1


def test_it_reports_a_content_rejection_as_permanent(personas, pds, channel):
    adapter = adapter_for(channel)
    post = Post(draft_id=1, title="t", text="x" * 301, tags=[], idempotency_key="k", board="Launch")
    with pytest.raises(AdapterError) as error:
        adapter.publish(post)
    assert error.value.permanent
    assert "300 graphemes" in error.value.message


def test_it_reports_a_wrong_password_from_test_connection(personas, pds):
    channel = bluesky(personas.board, pds, password="wrong")
    with pytest.raises(AdapterError) as error:
        adapter_for(channel).test_connection()
    assert error.value.permanent
    assert error.value.status_code == 401


def test_it_derives_a_stable_tid_rkey_from_the_publication(personas, draft, pds, channel):
    publication = schedule(draft, personas, "Hello")
    rkey = rkey_for(str(publication.idempotency_key))
    assert re.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", rkey)
    assert rkey == rkey_for(str(publication.idempotency_key))
    number = 0
    for char in rkey:
        number = number * 32 + "234567abcdefghijklmnopqrstuvwxyz".index(char)
    assert abs((number >> 10) / 1_000_000 - publication.created_at.timestamp()) < 1
    assert re.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", rkey_for("not-a-publication"))


def test_it_uses_a_session_another_worker_refreshed_meanwhile(personas, pds, channel):
    adapter = adapter_for(channel)
    adapter.test_connection()
    pds.expire_access_tokens()
    other = Channel.objects.get(pk=channel.pk)
    adapter_for(other).test_connection()  # the other worker refreshes (spending the refresh token)
    post = Post(draft_id=1, title="t", text="Hello", tags=[], idempotency_key="key", board="Launch")
    adapter.publish(post)  # this one still holds the old session
    assert len(pds.posts) == 1
    assert pds.sessions_created == 1
    assert pds.calls.count("com.atproto.server.refreshSession") == 1
