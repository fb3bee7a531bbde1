"""E-mails are sent after commit: no send holds a database transaction open while it talks to SMTP, so a
slow mail server delays no workflow transition (on SQLite an open write transaction stops every writer)."""

import threading
import time
from datetime import timedelta
from smtplib import SMTPDataError
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from contributors.agreements import services as agreements
from contributors.invitations.models import Invitation
from contributors.invitations.services import invitation_create
from contributors.notifications.kinds import Kind
from contributors.notifications.mail import digests_send, notifications_email
from contributors.notifications.models import Notification
from contributors.profiles.password_reset import password_reset_send
from drafts.models import Draft, DraftEvent
from drafts.services import comment_create, draft_event_notify, draft_transition
from publishing import services as publishing
from publishing.standins.email import Fault, SmtpStandIn
from publishing.standins.webhook import WebhookStandIn
from tests.factories import advance, make_channel

pytestmark = pytest.mark.django_db(transaction=True)  # real commits, as in production

SLOW_SMTP_SECONDS = 1.5  # stands in for the 10 s of a slow server: long enough to tell waiting from not


class TransactionProbeBackend(EmailBackend):
    """The locmem outbox, noting for each send whether the database connection was inside a transaction."""

    in_transaction: list[bool] = []

    def send_messages(self, messages):
        TransactionProbeBackend.in_transaction.append(connection.in_atomic_block)
        return super().send_messages(messages)


@pytest.fixture
def probe(settings):
    settings.EMAIL_BACKEND = f"{__name__}.TransactionProbeBackend"
    TransactionProbeBackend.in_transaction = []
    mail.outbox = []
    return TransactionProbeBackend.in_transaction


@pytest.fixture
def smtp(settings):
    stand_in = SmtpStandIn(user="cocreate", password="smtp-secret")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", stand_in.start()
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = stand_in.user, stand_in.password
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 10
    yield stand_in
    stand_in.stop()


def test_the_draft_notification_is_sent_outside_any_transaction(personas, draft, probe):
    advance(draft, "review", personas)
    probe.clear()
    mail.outbox = []
    draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="Shorter.")
    assert [m.to for m in mail.outbox] == [[personas.contributor.email]]
    assert probe == [False]
    assert Notification.objects.get(kind=Kind.CHANGES_REQUESTED).emailed_at is not None


def test_the_digest_is_sent_outside_any_transaction(personas, draft, probe):
    advance(draft, "review", personas)
    comment_create(draft_id=draft.pk, author=personas.reviewer, body="Looks good so far.")
    probe.clear()
    mail.outbox = []
    noon_tomorrow = (timezone.now() + timedelta(days=1)).astimezone(ZoneInfo(personas.board.time_zone)).replace(hour=12)
    assert digests_send(now=noon_tomorrow) == 1
    assert [m.to for m in mail.outbox] == [[personas.contributor.email]]
    assert probe == [False]


def test_the_invitation_is_sent_outside_any_transaction(personas, probe):
    invitation_create(
        board=personas.board, email="gina@example.com", role="contributor", inviter=personas.manager,
        site_url="http://testserver",
    )  # fmt: skip
    assert [m.to for m in mail.outbox] == [["gina@example.com"]]
    assert Invitation.objects.get().send_count == 1
    assert probe == [False]


def test_the_agreement_reminders_are_sent_outside_any_transaction(personas, probe):
    agreement = agreements.agreement_create(title="Launch NDA", actor=personas.admin)
    agreements.agreement_require(agreement=agreement, board=personas.board, role="contributor", actor=personas.admin)
    ends_on = timezone.localdate() + timedelta(days=5)
    agreements.agreement_update(agreement=agreement, title=agreement.title, ends_on=ends_on, actor=personas.admin)
    assert agreements.agreement_expiry_reminders_send() == 1
    assert mail.outbox
    assert probe == [False] * len(mail.outbox)
    assert agreements.agreement_expiry_reminders_send() == 0  # once per end date


def test_the_password_reset_is_sent_outside_any_transaction(personas, probe):
    password_reset_send(email=personas.contributor.email, domain="testserver", use_https=True)
    assert [m.to for m in mail.outbox] == [[personas.contributor.email]]
    assert probe == [False]


def test_the_preflight_warning_is_sent_outside_any_transaction(personas, draft, probe):
    receiver = WebhookStandIn(secret="stand-in-signing-secret")
    url = receiver.start()
    try:
        channel = make_channel(
            personas.board, "webhook", settings={"url": url}, credentials={"secret": "stand-in-signing-secret"}
        )
        advance(draft, "scheduled", personas)
        probe.clear()
        mail.outbox = []
        Draft.objects.filter(pk=draft.pk).update(variants={f"channel:{channel.pk}": "Changed after approval"})
        assert publishing.publications_preflight(now=draft.publish_at - timedelta(minutes=5)) == 1
    finally:
        receiver.stop()
    assert mail.outbox
    assert probe == [False] * len(mail.outbox)


def test_a_failed_send_gives_the_claim_back_so_the_retry_sends(personas, draft, smtp):
    advance(draft, "review", personas)
    smtp.messages.clear()
    smtp.script = [Fault(reply="451 4.3.0 Try again later")]
    with pytest.raises(SMTPDataError):  # in-process tasks: the mail task's error reaches the caller
        draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="Again.")
    assert Draft.objects.get(pk=draft.pk).state == "draft"  # the transition is committed
    told = Notification.objects.get(kind=Kind.CHANGES_REQUESTED)
    assert told.emailed_at is None  # its e-mail still owed: the claim was given back
    assert notifications_email(notification_ids=[told.pk]) == 1  # the task's retry
    assert [m["To"] for m in smtp.messages] == [personas.contributor.email]
    assert notifications_email(notification_ids=[told.pk]) == 0  # and only once
    # The event's own claim was given back too (its task failed with the mail): telling it again makes nothing new.
    event = DraftEvent.objects.get(draft=draft, transition="request_changes")
    draft_event_notify(event_id=event.pk)
    assert Notification.objects.filter(kind=Kind.CHANGES_REQUESTED).count() == 1
    assert len(smtp.messages) == 1


def test_a_slow_smtp_server_delays_no_transition(personas, draft, smtp):
    advance(draft, "review", personas)
    smtp.messages.clear()
    smtp.script = [Fault(delay=SLOW_SMTP_SECONDS)]  # stores the message, then waits before answering

    def send_back():  # as a worker would: the transition commits, then its notification is sent
        try:
            draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="No.")
        finally:
            connection.close()

    worker = threading.Thread(target=send_back)
    started = time.monotonic()
    worker.start()
    while not smtp.messages and time.monotonic() - started < 10:
        time.sleep(0.01)
    assert smtp.messages, "the notification never reached the SMTP server"
    waiting_since = time.monotonic()

    # The SMTP server is still waiting. The transition and the claims are committed and nothing holds them.
    event = DraftEvent.objects.get(draft=draft, transition="request_changes")
    assert event.notified_at is not None
    assert Notification.objects.get(kind=Kind.CHANGES_REQUESTED).emailed_at is not None
    assert Draft.objects.get(pk=draft.pk).state == "draft"
    if connection.features.has_select_for_update_nowait:
        try:
            with transaction.atomic():
                list(DraftEvent.objects.select_for_update(nowait=True).filter(pk=event.pk))
        except DatabaseError:
            pytest.fail("the notification holds the event's row locked while it talks to SMTP")

    # Another transition of the same draft goes through at once.
    before = time.monotonic()
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    took = time.monotonic() - before
    still_waiting = time.monotonic() - waiting_since < SLOW_SMTP_SECONDS
    worker.join(timeout=10)
    assert still_waiting, "the check ran after the SMTP server had answered: it proves nothing"
    assert took < SLOW_SMTP_SECONDS / 3
    assert Draft.objects.get(pk=draft.pk).state == "review"
