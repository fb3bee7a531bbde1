"""Bluesky through the publishing pipeline against a REAL PDS: the reference `@atproto/pds` (0.4.217) with its own
PLC directory, both on loopback (tests/realservers/bluesky.py; `.ci/setup_pds.sh` installs them). One server
for the module, a fresh account per test (so a repository holds only what its test wrote).

What the stand-in (tests/test_adapter_bluesky.py) can only assume is checked here on the real server: that the
adapter's record is valid (TID rkey, createdAt, langs, facets, image embeds), that link facets count UTF-8 bytes,
that a resend of a publication leaves one record (the real PDS answers a repeated rkey with 500), how a wrong
password, a dead and an expired session answer, and the text limit (300 graphemes and 3000 UTF-8 bytes).
Without Node or the installed servers these tests skip and say why; REQUIRE_SERVICES=1 turns that into a failure.
"""

import os
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from publishing import services
from publishing.adapters import AdapterError, Post
from publishing.adapters.bluesky import COLLECTION, rkey_for
from publishing.models import Channel, Publication
from publishing.services import adapter_for  # as the workers have it: storing refreshed sessions
from tests.factories import advance, make_channel, run_due
from tests.realservers.bluesky import RealBluesky, missing_requirements

pytestmark = pytest.mark.django_db

LINK = "https://example.com/spring/launch?utm_source=cocreate&lang=nb"


@pytest.fixture(scope="module")
def real_pds():
    missing = missing_requirements()
    if missing:
        reason = "no real Bluesky PDS here, missing: " + ", ".join(missing)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason} (run .ci/setup_pds.sh).")
        pytest.skip(f"{reason}: run .ci/setup_pds.sh to install it.")
    pds = RealBluesky().start()
    yield pds
    pds.stop()


@pytest.fixture
def account(real_pds):
    """A fresh account per test, so its repository holds only what the test wrote."""
    return real_pds.create_account()


@pytest.fixture
def calls(monkeypatch):
    """The XRPC methods the adapter calls, in order (the calls still go to the real PDS)."""
    from publishing.adapters import bluesky as adapter_module

    made = []
    send = adapter_module.send

    def recording_send(method, url, **kwargs):
        made.append(url.rsplit("/xrpc/", 1)[-1])
        return send(method, url, **kwargs)

    monkeypatch.setattr(adapter_module, "send", recording_send)
    return made


def bluesky(board, real_pds, account, *, name="Bluesky", password=None, **settings) -> Channel:
    settings = {"pds": real_pds.url, **settings}
    credentials = {"identifier": account.handle, "password": password or account.password}
    return make_channel(board, "bluesky", name=name, settings=settings, credentials=credentials)


def schedule(draft, personas, text) -> Publication:
    draft.body = text
    draft.save()
    advance(draft, "scheduled", personas)
    return Publication.objects.get(draft=draft)


def get_record(real_pds, did: str, rkey: str) -> dict:
    response = real_pds.xrpc(
        "GET", "com.atproto.repo.getRecord", params={"repo": did, "collection": COLLECTION, "rkey": rkey}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_scheduled_draft_becomes_one_real_post_with_utf8_byte_link_facets(personas, draft, real_pds, account, calls):
    channel = bluesky(personas.board, real_pds, account, langs=["nb", "en"])
    text = f"Vårslipp 🌷👩‍👩‍👧 æøå, ÆØÅ og café! Les mer: {LINK}. Vi sees 🎉"
    publication = schedule(draft, personas, text)

    assert run_due() == ["published"], Publication.objects.get(pk=publication.pk).last_error
    assert calls == ["com.atproto.server.createSession", "com.atproto.repo.createRecord"]  # no lookup first

    publication.refresh_from_db()
    rkey = rkey_for(str(publication.idempotency_key), publication.created_at)
    assert publication.platform_post_id == f"at://{account.did}/{COLLECTION}/{rkey}"
    assert publication.platform_url == f"https://bsky.app/profile/{account.handle}/post/{rkey}"
    draft.refresh_from_db()
    assert draft.state == "published"

    stored = get_record(real_pds, account.did, publication.platform_post_id.rsplit("/", 1)[-1])
    assert stored["uri"] == publication.platform_post_id
    record = stored["value"]
    assert record["$type"] == COLLECTION
    assert record["text"] == text
    assert record["langs"] == ["nb", "en"]
    encoded = record["text"].encode("utf-8")
    (facet,) = record["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert encoded[start:end] == LINK.encode("utf-8")
    assert start != text.index(LINK)  # bytes, not characters, before the link
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}]

    assert [r["uri"] for r in real_pds.records(account.did)] == [publication.platform_post_id]
    channel.refresh_from_db()
    assert channel.credentials["session"]["did"] == account.did  # the session is kept for the next post


def test_a_publication_resent_after_a_lost_worker_stays_one_record(personas, draft, real_pds, account, settings, calls):
    channel = bluesky(personas.board, real_pds, account)
    publication = schedule(draft, personas, "Sent once, even if the worker dies 💥")
    (pk,) = services.publications_claim_due(now=timezone.now() + timedelta(days=1))
    # A worker takes it, posts it, and dies before it can write down the result.
    Publication.objects.filter(pk=pk).update(state="sending", attempts=1)
    first = adapter_for(channel).publish(services.post_for(Publication.objects.get(pk=pk)))
    assert len(real_pds.records(account.did)) == 1

    later = timezone.now() + timedelta(days=1, seconds=settings.PUBLISHING_SENDING_STALE_SECONDS + 1)
    assert services.publications_recover_stale(now=later) == 1  # Bluesky deduplicates: it goes again
    calls.clear()
    assert run_due(at=later) == ["published"]
    assert calls == ["com.atproto.repo.getRecord"]  # found: not sent again

    publication.refresh_from_db()
    assert publication.platform_post_id == first.post_id
    assert [r["uri"] for r in real_pds.records(account.did)] == [first.post_id]


def test_a_repeated_rkey_is_refused_by_the_real_pds_and_taken_as_published(personas, real_pds, account, calls):
    """Not known to be a resend (no earlier attempt on record, e.g. a second worker): the createRecord with the
    same rkey is what stops the duplicate. The reference PDS answers it with 500 InternalServerError."""
    channel = bluesky(personas.board, real_pds, account)
    post = Post(draft_id=1, title="t", text="Only once 🙂", tags=[], idempotency_key="same-key", board="Launch")
    first = adapter_for(channel).publish(post)

    session = Channel.objects.get(pk=channel.pk).credentials["session"]
    rkey = first.post_id.rsplit("/", 1)[-1]
    again = real_pds.xrpc(
        "POST",
        "com.atproto.repo.createRecord",
        token=session["accessJwt"],
        json={
            "repo": account.did,
            "collection": COLLECTION,
            "rkey": rkey,
            "record": {"$type": COLLECTION, "text": "Only once 🙂", "createdAt": "2026-01-01T00:00:00.000Z"},
        },
    )
    # A collision, not an overwrite, and answered with a status after which the adapter looks the record up.
    assert again.status_code == 400 or again.status_code >= 500, again.text

    calls.clear()
    second = adapter_for(Channel.objects.get(pk=channel.pk)).publish(post)
    assert second == first
    assert calls == ["com.atproto.repo.createRecord", "com.atproto.repo.getRecord"]  # refused, then found
    assert [r["uri"] for r in real_pds.records(account.did)] == [first.post_id]
    assert get_record(real_pds, account.did, rkey)["value"]["text"] == "Only once 🙂"


def test_a_wrong_password_fails_for_good_and_the_connection_test_says_so(personas, draft, real_pds, account):
    wrong = bluesky(personas.board, real_pds, account, name="Wrong", password="not-the-app-password")
    publication = schedule(draft, personas, "Hello from the wrong password")

    assert run_due() == ["failed"]
    publication.refresh_from_db()
    assert publication.attempts == 1  # permanent: not retried
    assert "401" in publication.last_error
    assert "AuthenticationRequired" in publication.last_error
    assert real_pds.records(account.did) == []

    worked, message = services.channel_test(channel=wrong, actor=personas.manager)
    assert not worked
    assert "401" in message

    with pytest.raises(AdapterError) as error:
        adapter_for(wrong).test_connection()
    assert error.value.permanent
    assert error.value.status_code == 401

    right = bluesky(personas.board, real_pds, account, name="Right")
    worked, message = services.channel_test(channel=right, actor=personas.manager)
    assert worked, message
    assert message == f"Signed in to Bluesky at {real_pds.url} as @{account.handle}."


def test_a_dead_stored_session_is_replaced_by_signing_in_again(personas, draft, real_pds, account, calls):
    channel = bluesky(personas.board, real_pds, account)
    dead = {"accessJwt": "not-a-jwt", "refreshJwt": "not-a-jwt", "did": account.did, "handle": account.handle}
    channel.credentials = {**channel.credentials, "session": dead}
    channel.save()
    schedule(draft, personas, "After a fresh sign-in")

    assert run_due() == ["published"], Publication.objects.get(draft=draft).last_error
    assert len(real_pds.records(account.did)) == 1
    assert Channel.objects.get(pk=channel.pk).credentials["session"]["accessJwt"] != "not-a-jwt"
    assert calls == [
        "com.atproto.repo.createRecord",  # 400 InvalidToken "Token could not be verified"
        "com.atproto.server.createSession",
        "com.atproto.repo.createRecord",
    ]


def test_an_expired_access_token_is_refreshed_not_signed_in_again(personas, draft, real_pds, account, calls):
    channel = bluesky(personas.board, real_pds, account)
    adapter_for(channel).test_connection()
    session = Channel.objects.get(pk=channel.pk).credentials["session"]
    expired = real_pds.expired(session["accessJwt"])
    answer = real_pds.xrpc("GET", "com.atproto.server.getSession", token=expired)
    assert (answer.status_code, answer.json()["error"]) == (400, "ExpiredToken")  # what the adapter waits for

    channel = Channel.objects.get(pk=channel.pk)
    channel.credentials = {**channel.credentials, "session": {**session, "accessJwt": expired}}
    channel.save()
    schedule(draft, personas, "After a refresh")
    calls.clear()
    assert run_due() == ["published"], Publication.objects.get(draft=draft).last_error

    new = Channel.objects.get(pk=channel.pk).credentials["session"]
    assert new["accessJwt"] != expired
    assert real_pds.xrpc("GET", "com.atproto.server.getSession", token=new["accessJwt"]).status_code == 200
    assert new["refreshJwt"] != session["refreshJwt"]  # rotated by refreshSession
    assert calls == [
        "com.atproto.repo.createRecord",  # 400 ExpiredToken
        "com.atproto.server.refreshSession",
        "com.atproto.repo.createRecord",
    ]
    assert len(real_pds.records(account.did)) == 1


# --- Limits ------------------------------------------------------------------------------------------------

FAMILY = "👩‍👩‍👧"  # one grapheme, five code points, 18 UTF-8 bytes


def test_the_real_pds_counts_300_graphemes_and_also_3000_utf8_bytes(personas, real_pds, account):
    """The lexicon's text limit is maxGraphemes 300 *and* maxLength 3000 (UTF-8 bytes): 167 family emoji are
    167 graphemes but 3006 bytes, and the real PDS refuses them; 300 accented letters (600 bytes) pass."""
    adapter = adapter_for(bluesky(personas.board, real_pds, account))
    accented = Post(draft_id=1, title="t", text="é" * 300, tags=[], idempotency_key="accented", board="Launch")
    assert adapter.validate(accented) == []
    adapter.publish(accented)

    heavy = Post(draft_id=1, title="t", text=FAMILY * 167, tags=[], idempotency_key="heavy", board="Launch")
    with pytest.raises(AdapterError) as refused:
        adapter.publish(heavy)
    assert refused.value.permanent
    assert refused.value.status_code == 400
    assert "string too big (maximum 3000, got 3006)" in refused.value.message
    assert len(real_pds.records(account.did)) == 1


def test_a_draft_over_3000_utf8_bytes_is_refused_before_it_is_scheduled(personas, draft, real_pds, account):
    bluesky(personas.board, real_pds, account)
    draft.body = FAMILY * 167
    draft.save()
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert "Bluesky" in str(refused.value.message_dict["channels"])


# --- Images ------------------------------------------------------------------------------------------------


def test_images_are_uploaded_as_real_blobs_and_embedded_in_the_one_post(personas, draft, real_pds, account):
    from tests.adapter_image_helpers import add_image, noisy_png
    from tests.factories import make_image_bytes

    bluesky(personas.board, real_pds, account)
    small = make_image_bytes(64, 48, color=(200, 40, 90))
    add_image(draft, alt_text="A pink square, æøå", data=small)
    add_image(draft, alt_text="Static on a screen", data=noisy_png(1400, 1000))  # over 1,000,000 bytes as a PNG
    publication = schedule(draft, personas, "Two pictures 📷 https://example.com/gallery")

    assert run_due() == ["published"], Publication.objects.get(pk=publication.pk).last_error
    publication.refresh_from_db()
    record = get_record(real_pds, account.did, publication.platform_post_id.rsplit("/", 1)[-1])["value"]
    embed = record["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert [image["alt"] for image in embed["images"]] == ["A pink square, æøå", "Static on a screen"]
    assert embed["images"][0]["aspectRatio"] == {"width": 64, "height": 48}
    ratio = embed["images"][1]["aspectRatio"]
    assert abs(ratio["width"] / ratio["height"] - 1.4) < 0.01
    blobs = [image["image"] for image in embed["images"]]
    assert [blob["mimeType"] for blob in blobs] == ["image/png", "image/jpeg"]

    for blob, magic in zip(blobs, (b"\x89PNG", b"\xff\xd8"), strict=True):
        stored = real_pds.xrpc(
            "GET", "com.atproto.sync.getBlob", params={"did": account.did, "cid": blob["ref"]["$link"]}
        )
        assert stored.status_code == 200, stored.text
        assert stored.content.startswith(magic)
        assert len(stored.content) == blob["size"] <= 1_000_000
    assert (
        real_pds.xrpc(  # the small one went up as it was
            "GET", "com.atproto.sync.getBlob", params={"did": account.did, "cid": blobs[0]["ref"]["$link"]}
        ).content
        == small
    )
    assert len(real_pds.records(account.did)) == 1


# --- Reading a post back -----------------------------------------------------------------------------------


def test_checking_reads_the_real_record_back_and_sees_it_deleted(personas, draft, real_pds, account, calls):
    channel = bluesky(personas.board, real_pds, account)
    publication = schedule(draft, personas, "Still there? 🔎")
    assert run_due() == ["published"], Publication.objects.get(pk=publication.pk).last_error
    publication.refresh_from_db()

    calls.clear()
    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert calls == ["com.atproto.repo.getRecord"]  # with the session the publish stored
    assert checked.live is True
    assert checked.check_detail == "Live on Bluesky."
    rkey = rkey_for(str(publication.idempotency_key), publication.created_at)
    assert checked.platform_url == f"https://bsky.app/profile/{account.handle}/post/{rkey}"

    session = Channel.objects.get(pk=channel.pk).credentials["session"]
    deleted = real_pds.xrpc(
        "POST",
        "com.atproto.repo.deleteRecord",
        token=session["accessJwt"],
        json={"repo": account.did, "collection": COLLECTION, "rkey": rkey},
    )
    assert deleted.status_code == 200, deleted.text
    assert real_pds.records(account.did) == []
    gone = real_pds.xrpc(
        "GET", "com.atproto.repo.getRecord", params={"repo": account.did, "collection": COLLECTION, "rkey": rkey}
    )
    assert (gone.status_code, gone.json()["error"]) == (400, "RecordNotFound")  # what the adapter reads as gone

    checked = services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert checked.live is False
    assert checked.check_detail == "Deleted on Bluesky."
    assert Publication.objects.get(pk=publication.pk).live is False
