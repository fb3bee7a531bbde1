"""Bluesky through the publishing pipeline, against a stand-in PDS that follows the documented contract."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from publishing import services
from publishing.adapters import AdapterError, Post
from publishing.adapters.bluesky import rkey_for
from publishing.models import Channel, Publication, PublicationAttempt
from publishing.services import adapter_for  # as the workers have it: storing refreshed tokens
from publishing.standins.bluesky import BlueskyStandIn, Fault, cid_for
from tests.adapter_image_helpers import add_image, noisy_png
from tests.factories import advance, make_channel, make_image_bytes, run_due


@pytest.fixture
def pds():
    stand_in = BlueskyStandIn()
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def bluesky(board, pds, name="Bluesky", password=None, **credentials) -> Channel:
    credentials = {"identifier": pds.identifier, "password": password or pds.password, **credentials}
    return make_channel(board, "bluesky", name=name, settings={"pds": pds.url}, credentials=credentials)


def schedule(draft, personas, text):
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


@pytest.fixture
def channel(personas, pds):
    return bluesky(personas.board, pds)


def test_it_publishes_once_with_a_deterministic_rkey_and_the_web_url(personas, draft, pds, channel):
    publication = schedule(draft, personas, "Spring is here")
    assert run_due() == ["published"]
    assert [p["text"] for p in pds.posts] == ["Spring is here"]
    publication.refresh_from_db()
    rkey = rkey_for(str(publication.idempotency_key), publication.created_at)
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
    family = "👩‍👩‍👧"  # five code points (18 bytes), one grapheme
    schedule(draft, personas, family * 166)  # 166 graphemes, 2,988 bytes: under both limits
    assert run_due() == ["published"]


def test_it_refuses_to_schedule_text_over_3000_bytes_even_under_300_graphemes(personas, draft, pds, channel):
    draft.body = "👩‍👩‍👧" * 167  # 167 graphemes, 3,006 bytes
    draft.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    expected = "Bluesky: Bluesky posts are at most 3,000 bytes of text (an emoji takes up to 25); this one has 3,006."
    assert refused.value.message_dict["channels"] == [expected]


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
    assert publication.platform_url.endswith(rkey_for(str(publication.idempotency_key), publication.created_at))


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
    rkey = rkey_for(str(publication.idempotency_key), publication.created_at)
    assert re.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", rkey)
    assert rkey == rkey_for(str(publication.idempotency_key), publication.created_at)
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


# --- Images ---------------------------------------------------------------------------------------------


def test_it_uploads_the_images_as_blobs_and_embeds_them_with_alt_and_aspect_ratio(personas, draft, pds, channel):
    first = add_image(draft, alt_text="A pink square", data=make_image_bytes(64, 48, color=(200, 40, 90)))
    second = add_image(draft, alt_text="", data=make_image_bytes(30, 90, color=(10, 120, 30)))
    schedule(draft, personas, "With pictures")
    assert run_due() == ["published"]
    assert [blob["data"] for blob in pds.blobs.values()] == [first.data, second.data]
    assert len(pds.posts) == 1
    embed = pds.posts[0]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert [image["alt"] for image in embed["images"]] == ["A pink square", ""]
    assert [image["aspectRatio"] for image in embed["images"]] == [
        {"width": 64, "height": 48},
        {"width": 30, "height": 90},
    ]
    assert embed["images"][0]["image"] == {
        "$type": "blob",
        "ref": {"$link": cid_for(first.data)},
        "mimeType": "image/png",
        "size": len(first.data),
    }
    calls = [c for c in pds.calls if c.startswith("com.atproto.repo.")]
    assert calls == ["com.atproto.repo.uploadBlob", "com.atproto.repo.uploadBlob", "com.atproto.repo.createRecord"]


def test_it_re_encodes_an_image_over_a_million_bytes_to_a_jpeg_under_it(personas, draft, pds, channel):
    big = noisy_png(2000, 1500)
    assert len(big) > 1_000_000
    add_image(draft, alt_text="Static on a screen", data=big)
    schedule(draft, personas, "A big one")
    assert run_due() == ["published"]
    (blob,) = pds.blobs.values()
    assert blob["mimeType"] == "image/jpeg"
    assert blob["data"].startswith(b"\xff\xd8")
    assert len(blob["data"]) <= 1_000_000
    (image,) = pds.posts[0]["embed"]["images"]
    assert image["alt"] == "Static on a screen"
    ratio = image["aspectRatio"]
    assert abs(ratio["width"] / ratio["height"] - 2000 / 1500) < 0.01  # the re-encoded size, same shape


def test_the_stand_in_refuses_a_blob_over_a_million_bytes(pds, channel):
    adapter = adapter_for(channel)
    session, response = adapter._authed(
        "POST",
        "com.atproto.repo.uploadBlob",
        content=b"\x89PNG" + b"0" * 1_000_000,
        headers={"Content-Type": "image/png"},
    )
    assert response.status_code == 400
    assert pds.blobs == {}


def test_it_retries_a_blob_upload_server_error_without_posting(personas, draft, pds, channel):
    add_image(draft)
    publication = schedule(draft, personas, "Hello")
    pds.script = [Fault(status=503, error="UpstreamFailure", method="com.atproto.repo.uploadBlob")]
    assert run_due() == ["pending"]
    assert pds.posts == []
    assert "com.atproto.repo.createRecord" not in pds.calls
    publication.refresh_from_db()
    assert "503" in publication.last_error
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(pds.posts) == 1
    assert len(pds.posts[0]["embed"]["images"]) == 1


def test_it_fails_for_good_when_a_blob_upload_is_unauthorized(personas, draft, pds, channel):
    add_image(draft)
    publication = schedule(draft, personas, "Hello")
    # Refused, signed in again once, refused again: the account may not upload.
    refused = {"status": 401, "error": "AuthenticationRequired", "method": "com.atproto.repo.uploadBlob"}
    pds.script = [Fault(**refused), Fault(**refused)]
    assert run_due() == ["failed"]
    assert pds.posts == []
    assert "com.atproto.repo.createRecord" not in pds.calls
    publication.refresh_from_db()
    assert "401" in publication.last_error
    assert PublicationAttempt.objects.get().outcome == "permanent"


def test_it_looks_up_before_uploading_again_on_a_resend(personas, draft, pds, channel, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    add_image(draft)
    schedule(draft, personas, "Slow day")
    pds.script = [Fault(delay=1.0)]  # written, but the answer comes too late
    assert run_due() == ["pending"]
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(pds.posts) == 1
    assert pds.calls.count("com.atproto.repo.uploadBlob") == 1  # found by the lookup: nothing uploaded again


def test_it_refuses_to_schedule_more_than_four_images(personas, draft, pds, channel):
    for number in range(5):
        add_image(draft, alt_text=f"Picture {number}")
    draft.body = "Five pictures"
    draft.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == [
        "Bluesky: Bluesky takes at most 4 images per post; this draft has 5: remove 1."
    ]
    assert not Publication.objects.filter(draft=draft).exists()


# --- Channel configuration and reading a post back -------------------------------------------------------


def test_a_channel_without_the_identifier_and_app_password_is_refused(personas):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="bluesky", name="x", settings={}, credentials={}
        )
    assert refused.value.message_dict == {"credentials": ["Bluesky needs these credentials: identifier, password."]}


@pytest.fixture
def published(personas, draft, pds, channel) -> Publication:
    publication = schedule(draft, personas, "Read me back")
    assert run_due() == ["published"]
    publication.refresh_from_db()
    return publication


def test_checking_a_published_post_reads_the_record_back_with_its_web_url(personas, published, pds):
    Publication.objects.filter(pk=published.pk).update(platform_url="")
    pds.calls.clear()
    checked = services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert checked.live is True
    rkey = rkey_for(str(published.idempotency_key), published.created_at)
    assert checked.platform_url == f"https://bsky.app/profile/{pds.handle}/post/{rkey}"
    assert checked.check_detail == "Live on Bluesky."
    assert pds.calls == ["com.atproto.repo.getRecord"]  # the stored session is reused


def test_checking_a_deleted_post_marks_it_gone(personas, published, pds):
    pds.delete(published.platform_post_id.rsplit("/", 1)[-1])
    checked = services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert checked.live is False
    assert checked.check_detail == "Deleted on Bluesky."


def test_checking_refreshes_an_expired_session(personas, published, pds):
    pds.expire_access_tokens()
    assert services.publication_check(publication_id=published.pk, actor=personas.manager).live is True
    assert "com.atproto.server.refreshSession" in pds.calls
    assert pds.sessions_created == 1


def test_a_server_error_while_checking_is_a_conflict_and_changes_nothing(personas, published, pds):
    from cocreate.errors import Conflict

    pds.script = [Fault(status=503, error="UpstreamFailure", method="com.atproto.repo.getRecord")]
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=published.pk, actor=personas.manager)
    assert "503" in str(refused.value)
    stored = Publication.objects.get(pk=published.pk)
    assert (stored.checked_at, stored.live, stored.check_detail) == (None, None, "")
    assert stored.platform_url == published.platform_url
