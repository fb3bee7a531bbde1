"""The publishing pipeline against a stand-in webhook receiver: on time, once, and honest about failures."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from cocreate.errors import Conflict
from drafts.models import Draft, DraftEvent
from drafts.services import draft_transition
from publishing import services
from publishing.models import Channel, Publication, PublicationAttempt
from publishing.standins.webhook import Fault, WebhookStandIn
from publishing.tasks import claim_due_publications
from tests.adapter_image_helpers import add_image
from tests.factories import advance, make_channel, run_due

SECRET = "stand-in-signing-secret"


@pytest.fixture
def receiver():
    stand_in = WebhookStandIn(secret=SECRET)
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def webhook(board, receiver, name="Site hook", **settings) -> Channel:
    settings = {"url": receiver.url, **settings}
    return make_channel(board, "webhook", name=name, settings=settings, credentials={"secret": SECRET})


@pytest.fixture
def scheduled(personas, draft, receiver):
    """The contributor's draft, scheduled on a board with one webhook channel."""
    webhook(personas.board, receiver)
    advance(draft, "scheduled", personas)
    return draft


def test_it_creates_one_publication_per_channel_when_a_draft_is_scheduled(personas, draft, receiver):
    webhook(personas.board, receiver, name="One")
    webhook(personas.board, receiver, name="Two")
    webhook(personas.other_board, receiver, name="Elsewhere")
    advance(draft, "scheduled", personas)
    publications = Publication.objects.filter(draft=draft)
    assert publications.count() == 2
    assert {p.due_at for p in publications} == {draft.publish_at}


def test_it_claims_nothing_before_its_time(scheduled):
    assert services.publications_claim_due(now=scheduled.publish_at - timedelta(seconds=1)) == []


def test_it_publishes_once_at_its_time_and_marks_the_draft_published(scheduled, receiver):
    assert run_due(at=scheduled.publish_at) == ["published"]
    assert len(receiver.posts) == 1
    assert receiver.posts[0]["title"] == scheduled.title
    publication = Publication.objects.get(draft=scheduled)
    assert publication.platform_post_id == "post-1"
    assert publication.platform_url == "https://receiver.example/posts/1"
    scheduled.refresh_from_db()
    assert scheduled.state == "published"
    assert DraftEvent.objects.filter(draft=scheduled, transition="mark_published", actor=None).count() == 1


def test_it_sends_the_channels_variant_when_the_draft_has_one(personas, draft, receiver):
    channel = webhook(personas.board, receiver)
    draft.variants = {f"channel:{channel.pk}": "Short and sweet"}
    draft.save()
    advance(draft, "scheduled", personas)
    run_due()
    assert receiver.posts[0]["text"] == "Short and sweet"


def test_it_does_nothing_when_the_same_task_arrives_twice(scheduled, receiver):
    (pk,) = services.publications_claim_due(now=scheduled.publish_at)
    assert services.publication_publish(publication_id=pk) == "published"
    assert services.publication_publish(publication_id=pk) == "skipped"
    assert receiver.requests == 1


def test_it_retries_a_temporary_error_later_with_backoff(scheduled, receiver, settings):
    receiver.script = [Fault(status=503)]
    before = timezone.now()
    assert run_due() == ["pending"]
    publication = Publication.objects.get(draft=scheduled)
    assert publication.due_at >= before + timedelta(seconds=settings.PUBLISHING_BACKOFF_BASE_SECONDS * 0.8)
    assert "503" in publication.last_error
    assert run_due(at=publication.due_at) == ["published"]
    assert len(receiver.posts) == 1
    assert list(publication.log.values_list("outcome", flat=True)) == ["transient", "published"]


def test_it_honours_retry_after_on_429(scheduled, receiver):
    receiver.script = [Fault(status=429, retry_after=600)]
    before = timezone.now()
    run_due()
    assert Publication.objects.get(draft=scheduled).due_at >= before + timedelta(seconds=600)


def test_it_fails_at_once_on_a_permanent_error_with_the_platforms_message(scheduled, receiver):
    receiver.script = [Fault(status=422, body="Text contains a forbidden word")]
    assert run_due() == ["failed"]
    publication = Publication.objects.get(draft=scheduled)
    assert "forbidden word" in publication.last_error
    scheduled.refresh_from_db()
    assert scheduled.state == "failed"
    event = DraftEvent.objects.get(draft=scheduled, transition="mark_failed")
    assert "Site hook" in event.comment
    assert "forbidden word" in event.comment


def test_the_managers_and_the_author_hear_which_channel_failed_and_why(
    scheduled, receiver, personas, mailoutbox, django_capture_on_commit_callbacks
):
    receiver.script = [Fault(status=422, body="Text contains a forbidden word")]
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due() == ["failed"]
    by_recipient = {tuple(message.to): message for message in mailoutbox}
    assert set(by_recipient) == {(personas.manager.email,), (personas.contributor.email,)}
    to_managers = by_recipient[(personas.manager.email,)]
    assert to_managers.subject == f"‘{scheduled.title}’ did not go out everywhere it was scheduled for"
    assert "Site hook" in to_managers.body
    assert "forbidden word" in to_managers.body
    assert "retry" in to_managers.body


def test_it_gives_up_after_the_last_attempt(scheduled, receiver):
    receiver.script = [Fault(status=503)] * services.MAX_ATTEMPTS
    states = []
    for _ in range(services.MAX_ATTEMPTS):
        states += run_due(at=timezone.now() + timedelta(days=2))
    assert states[-1] == "failed"
    assert states[:-1] == ["pending"] * (services.MAX_ATTEMPTS - 1)
    assert receiver.posts == []


def test_it_retries_only_the_failed_channel_without_reposting_the_others(personas, draft, receiver):
    webhook(personas.board, receiver, name="Good")
    bad = webhook(personas.board, receiver, name="Bad")
    bad.credentials = {"secret": "wrong-secret"}
    bad.save()
    advance(draft, "scheduled", personas)
    run_due()
    draft.refresh_from_db()
    assert draft.state == "failed"
    assert len(receiver.posts) == 1

    bad.credentials = {"secret": SECRET}
    bad.save()
    draft_transition(draft_id=draft.pk, name="retry", actor=personas.manager)
    run_due()
    draft.refresh_from_db()
    assert draft.state == "published"
    assert len(receiver.posts) == 2  # the good channel was not posted twice


def test_it_resends_after_a_timeout_only_because_the_receiver_deduplicates(scheduled, receiver, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    receiver.script = [Fault(delay=1.0)]  # posted, but the answer comes too late
    assert run_due() == ["pending"]
    assert PublicationAttempt.objects.get().outcome == "ambiguous"
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert receiver.requests == 2
    assert len(receiver.posts) == 1


def test_it_cancels_what_has_not_started_when_a_draft_is_unscheduled(scheduled, personas):
    draft_transition(draft_id=scheduled.pk, name="unschedule", actor=personas.manager)
    assert Publication.objects.get(draft=scheduled).state == "cancelled"
    assert run_due() == []


def test_it_publishes_a_draft_without_channels_at_its_time(personas, draft):
    advance(draft, "scheduled", personas)
    assert services.drafts_without_channels_publish(now=draft.publish_at - timedelta(seconds=1)) == 0
    assert services.drafts_without_channels_publish(now=draft.publish_at) == 1
    draft.refresh_from_db()
    assert draft.state == "published"


def test_it_runs_the_beat_task_end_to_end(scheduled, receiver, django_capture_on_commit_callbacks):
    Publication.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        claim_due_publications.delay()
    scheduled.refresh_from_db()
    assert scheduled.state == "published"
    assert len(receiver.posts) == 1


def test_it_stores_credentials_encrypted_and_never_shows_them(personas, receiver):
    channel = webhook(personas.board, receiver)
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials_token FROM publishing_channel WHERE id = %s", [channel.pk])
        (stored,) = cursor.fetchone()
    assert SECRET not in stored
    assert SECRET not in repr(channel)
    assert SECRET not in str(channel)
    assert Channel.objects.get(pk=channel.pk).credentials == {"secret": SECRET}


def test_it_reads_credentials_after_a_key_rotation(personas, receiver, settings):
    from cryptography.fernet import Fernet

    from publishing.crypto import rotate_credentials

    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CHANNEL_CREDENTIAL_KEYS = [old_key]
    channel = webhook(personas.board, receiver)
    settings.CHANNEL_CREDENTIAL_KEYS = [new_key, old_key]
    channel.credentials_token = rotate_credentials(channel.credentials_token)
    channel.save()
    settings.CHANNEL_CREDENTIAL_KEYS = [new_key]
    assert Channel.objects.get(pk=channel.pk).credentials == {"secret": SECRET}


def test_it_does_not_resend_a_timed_out_post_where_the_receiver_cannot_deduplicate(personas, draft, receiver, settings):
    webhook(personas.board, receiver, receiver_deduplicates=False)
    advance(draft, "scheduled", personas)
    settings.PUBLISHING_HTTP_TIMEOUT = 0.3
    receiver.script = [Fault(delay=1.0)]
    assert run_due() == ["failed"]
    assert "did not answer in time" in Publication.objects.get(draft=draft).last_error
    assert receiver.requests == 1


def test_it_refuses_to_schedule_what_a_channel_would_reject(personas, draft, receiver):
    webhook(personas.board, receiver)
    Channel.objects.create(board=personas.board, kind="webhook", name="No URL", settings={})
    with pytest.raises(ValidationError) as refused:
        advance(draft, "scheduled", personas)
    assert refused.value.message_dict["channels"] == ["No URL: The webhook channel has no http(s) URL."]
    draft.refresh_from_db()
    assert draft.state == "approved"
    assert not Publication.objects.filter(draft=draft).exists()


def test_it_warns_the_managers_before_a_publication_would_fail(scheduled, receiver, personas, mailoutbox):
    channel = Channel.objects.get()  # its secret was changed on the receiving side after scheduling
    channel.credentials = {"secret": "rotated-on-the-platform"}
    channel.save()
    assert services.publications_preflight(now=scheduled.publish_at - timedelta(minutes=5)) == 1
    publication = Publication.objects.get(draft=scheduled)
    assert "answered 401" in publication.preflight_problem
    assert [m.to for m in mailoutbox] == [[personas.manager.email]]
    assert "Site hook" in mailoutbox[0].body
    assert "answered 401" in mailoutbox[0].body
    # Checked once: the next run leaves it alone.
    assert services.publications_preflight(now=scheduled.publish_at - timedelta(minutes=4)) == 0
    assert len(mailoutbox) == 1


def test_it_stays_quiet_when_the_pre_flight_check_passes(scheduled, receiver, mailoutbox):
    assert services.publications_preflight(now=scheduled.publish_at - timedelta(minutes=5)) == 0
    publication = Publication.objects.get(draft=scheduled)
    assert publication.preflight_at is not None
    assert publication.preflight_problem == ""
    assert mailoutbox == []
    assert receiver.posts == [{"event": "ping"}]


def test_content_changed_after_scheduling_is_flagged_and_never_sent(personas, draft, receiver, mailoutbox):
    channel = webhook(personas.board, receiver)
    advance(draft, "scheduled", personas)
    # A text for this channel written into the row after the draft was approved, outside the app.
    Draft.objects.filter(pk=draft.pk).update(variants={f"channel:{channel.pk}": "The approved short text"})

    assert services.publications_preflight(now=draft.publish_at - timedelta(minutes=5)) == 1
    assert "no longer what was approved" in Publication.objects.get(draft=draft).preflight_problem
    assert "no longer what was approved" in mailoutbox[0].body

    assert run_due(at=draft.publish_at) == ["failed"]
    assert [post for post in receiver.posts if post.get("event") != "ping"] == []
    assert PublicationAttempt.objects.get().outcome == "permanent"
    draft.refresh_from_db()
    assert draft.state == "failed"

    # The manager looks, and retries: that sends the content as it is now.
    draft_transition(draft_id=draft.pk, name="retry", actor=personas.manager)
    assert run_due() == ["published"]
    assert receiver.posts[-1]["text"] == "The approved short text"


def test_it_refuses_to_send_a_draft_edited_behind_the_workflows_back(scheduled, receiver):
    type(scheduled).objects.filter(pk=scheduled.pk).update(body="Not what the reviewers approved")
    assert run_due(at=scheduled.publish_at) == ["failed"]
    assert "no longer what was approved" in Publication.objects.get(draft=scheduled).last_error
    assert receiver.posts == []


def test_it_does_not_check_what_is_not_due_soon(scheduled, receiver):
    assert services.publications_preflight(now=scheduled.publish_at - timedelta(hours=2)) == 0
    assert Publication.objects.get(draft=scheduled).preflight_at is None
    assert receiver.requests == 0


def test_it_takes_back_a_claim_whose_task_was_lost(scheduled, receiver, settings):
    (pk,) = services.publications_claim_due(now=scheduled.publish_at)
    assert services.publications_recover_stale(now=scheduled.publish_at + timedelta(seconds=5)) == 0
    later = scheduled.publish_at + timedelta(seconds=settings.PUBLISHING_CLAIM_STALE_SECONDS + 1)
    assert services.publications_recover_stale(now=later) == 1
    assert run_due(at=later) == ["published"]
    assert len(receiver.posts) == 1


def test_it_resends_an_interrupted_send_only_where_the_receiver_deduplicates(personas, draft, receiver, settings):
    webhook(personas.board, receiver, name="Dedup")
    webhook(personas.board, receiver, name="No dedup", receiver_deduplicates=False)
    advance(draft, "scheduled", personas)
    services.publications_claim_due(now=draft.publish_at)
    Publication.objects.update(state="sending")  # as a worker killed in the middle of the call leaves them
    later = draft.publish_at + timedelta(seconds=settings.PUBLISHING_SENDING_STALE_SECONDS + 1)
    services.publications_recover_stale(now=later)
    states = dict(Publication.objects.values_list("channel__name", "state"))
    assert states == {"Dedup": "pending", "No dedup": "failed"}
    assert "check on the platform" in Publication.objects.get(channel__name="No dedup").last_error
    draft.refresh_from_db()
    assert draft.state == "scheduled"  # the other channel is still on its way


# --- The webhook's images -----------------------------------------------------------------------------------


def test_the_webhook_sends_the_images_in_the_signed_body(personas, draft, receiver):
    import base64
    import hashlib

    webhook(personas.board, receiver)
    first = add_image(draft, alt_text="A pink square")
    second = add_image(draft, alt_text="A blue square", width=32, height=32, color=(0, 0, 200))
    advance(draft, "scheduled", personas)
    assert run_due() == ["published"]  # the stand-in checked the signature over the whole body
    (post,) = receiver.posts
    images = post["images"]
    assert [base64.b64decode(i["data_base64"]) for i in images] == [first.data, second.data]
    assert images[0] == {
        "filename": first.file.name.rsplit("/", 1)[-1],
        "content_type": "image/png",
        "alt_text": "A pink square",
        "width": 64,
        "height": 48,
        "size": len(first.data),
        "sha256": hashlib.sha256(first.data).hexdigest(),
        "data_base64": base64.b64encode(first.data).decode(),
    }
    assert (images[1]["width"], images[1]["height"], images[1]["alt_text"]) == (32, 32, "A blue square")


def test_the_webhook_sends_an_empty_image_list_without_images(scheduled, receiver):
    assert run_due() == ["published"]
    assert receiver.posts[0]["images"] == []


def test_the_webhook_retries_a_post_with_images_after_a_503_and_posts_once(personas, draft, receiver):
    webhook(personas.board, receiver)
    add_image(draft)
    advance(draft, "scheduled", personas)
    receiver.script = [Fault(status=503)]
    assert run_due() == ["pending"]
    assert receiver.posts == []
    assert run_due(at=timezone.now() + timedelta(days=2)) == ["published"]
    assert len(receiver.posts) == 1
    assert len(receiver.posts[0]["images"]) == 1


def test_the_webhook_fails_at_once_when_the_receiver_refuses_the_signature(personas, draft, receiver):
    channel = webhook(personas.board, receiver)
    channel.credentials = {"secret": "not-the-receivers-secret"}
    channel.save()
    add_image(draft)
    advance(draft, "scheduled", personas)
    assert run_due() == ["failed"]
    assert "401" in Publication.objects.get(draft=draft).last_error
    assert receiver.posts == []


# --- Reading back, and the webhook channel's configuration --------------------------------------------------


def test_a_webhook_post_cannot_be_checked_on_the_platform(scheduled, receiver, personas):
    assert run_due() == ["published"]
    publication = Publication.objects.get(draft=scheduled)
    assert publication.platform_post_id == "post-1"
    with pytest.raises(Conflict) as refused:
        services.publication_check(publication_id=publication.pk, actor=personas.manager)
    assert refused.value.message == "Generic webhook does not let us read a post back."
    publication.refresh_from_db()
    assert (publication.live, publication.checked_at) == (None, None)
    assert receiver.requests == 1  # nothing was asked of the receiver


def test_a_webhook_channel_needs_its_url_and_signing_secret(personas):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            board=personas.board, actor=personas.manager, kind="webhook", name="Hook", settings={}, credentials={}
        )
    assert refused.value.message_dict == {
        "settings": ["Generic webhook needs these settings: url."],
        "credentials": ["Generic webhook needs these credentials: secret."],
    }
