"""Every event tells the right people, and nobody else; e-mails go once, the digest at the person's hour, and
the unsubscribe link works in one click and cannot be forged."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from contributors.notifications.fanout import brief_deadlines_remind, mentioned_names
from contributors.notifications.kinds import Delivery, Kind, Timing
from contributors.notifications.mail import (
    digests_send,
    notifications_email,
    unsubscribe_token,
)
from contributors.notifications.models import DigestSchedule, Email, Notification, NotificationPreference
from drafts.services import comment_create, draft_transition
from tests.factories import advance, member
from tests.matrix_agreements import make_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service and the work it leaves for after commit (its notification and e-mail tasks)."""

    def _run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return _run


def told(kind=None, **filters):
    rows = Notification.objects.filter(**({"kind": kind} if kind else {}), **filters)
    return sorted(rows.values_list("recipient__username", flat=True))


def test_a_submit_tells_the_reviewers_and_managers_only(personas, draft, run):
    run(draft_transition, draft_id=draft.pk, name="submit", actor=personas.contributor)
    assert told(Kind.SUBMITTED) == ["manager", "reviewer"]
    assert sorted(m.to[0] for m in mail.outbox) == ["manager@example.com", "reviewer@example.com"]
    notification = Notification.objects.filter(kind=Kind.SUBMITTED).first()
    assert notification.title == "@contributor submitted ‘Spring launch post’ for review"
    assert notification.url == f"/drafts/{draft.pk}/"


def test_an_outsider_and_an_unsigned_member_hear_nothing(personas, draft, run):
    from contributors.agreements.services import agreement_accept

    agreement = make_agreement(personas.board)
    for person in (personas.contributor, personas.manager):  # the reviewer has still to sign
        agreement_accept(agreement=agreement, user=person, signature="Full Name")
    run(draft_transition, draft_id=draft.pk, name="submit", actor=personas.contributor)
    assert told(Kind.SUBMITTED) == ["manager"]


def test_changes_requested_tells_the_authors_with_the_reason(personas, draft, run):
    coauthor = member(personas.board, "contributor", username="coauthor")
    from drafts.services import draft_coauthors_set

    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[coauthor.pk])
    advance(draft, "review", personas)
    mail.outbox.clear()
    run(draft_transition, draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="Shorter.")
    assert told(Kind.CHANGES_REQUESTED) == sorted(["contributor", "coauthor"])
    message = mail.outbox[0]
    assert message.subject == "@reviewer asked for changes on ‘Spring launch post’"
    assert "Shorter." in message.body
    html = message.alternatives[0][0]
    assert "Shorter." in html
    assert f"http://testserver/drafts/{draft.pk}/" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/unsubscribe/")


def test_approval_says_how_many_of_how_many(personas, draft, run):
    personas.board.required_approvals = 2
    personas.board.save()
    advance(draft, "review", personas)
    run(draft_transition, draft_id=draft.pk, name="approve", actor=personas.reviewer)
    assert Notification.objects.get(kind=Kind.APPROVED).title.endswith("(approved by 1 of 2)")


def test_a_failure_tells_the_authors_and_managers(personas, draft, run):
    advance(draft, "scheduled", personas)
    run(draft_transition, draft_id=draft.pk, name="mark_failed", actor=None, comment="Mastodon: 422")
    assert told(Kind.FAILED) == ["contributor", "manager"]


def test_preferences_are_honoured(personas, draft, run):
    NotificationPreference.objects.create(
        user=personas.reviewer, kind=Kind.SUBMITTED, delivery=Delivery.IN_APP, timing=Timing.NOW
    )
    NotificationPreference.objects.create(
        user=personas.manager, kind=Kind.SUBMITTED, delivery=Delivery.NONE, timing=Timing.NOW
    )
    run(draft_transition, draft_id=draft.pk, name="submit", actor=personas.contributor)
    assert told(Kind.SUBMITTED) == ["reviewer"]
    assert mail.outbox == []


def test_a_comment_tells_the_authors_and_the_thread_and_a_mention_wins(personas, draft, run):
    thread = run(comment_create, draft_id=draft.pk, author=personas.reviewer, body="First thought.")
    assert told(Kind.COMMENT) == ["contributor"]
    Notification.objects.all().delete()
    reply = run(
        comment_create,
        draft_id=draft.pk,
        author=personas.manager,
        parent_id=thread.pk,
        body="Agree, @Contributor. And @outsider, @nobody and `@reviewer` in code. Mail a@reviewer.com",
    )
    assert told(Kind.MENTION) == ["contributor"]  # the outsider is no member; code and addresses are no mentions
    assert told(Kind.COMMENT) == ["reviewer"]  # the thread's author; the contributor got the mention instead
    assert Notification.objects.get(kind=Kind.MENTION).url == f"/drafts/{draft.pk}/#comment-{reply.pk}"


def test_a_mention_reaches_only_who_may_see_the_draft(personas, draft, run):
    member(personas.board, "contributor", username="other")
    run(comment_create, draft_id=draft.pk, author=personas.reviewer, body="@other have a look")
    assert told(Kind.MENTION) == []  # a contributor sees only their own drafts


def test_mentions_are_parsed_robustly():
    assert mentioned_names("Hi @alice, @Bob. mail@x.com @carol.j! ```\n@dave\n``` @alice") == [
        "alice",
        "bob",
        "carol.j",
    ]


def test_an_invited_account_holder_is_told_in_the_app(personas, run):
    from contributors.invitations.services import invitation_create

    run(
        invitation_create,
        board=personas.board, email=personas.outsider.email, role="reviewer", inviter=personas.manager,
        site_url="http://testserver",
    )  # fmt: skip
    notification = Notification.objects.get(kind=Kind.INVITED)
    assert notification.recipient == personas.outsider
    assert notification.url.startswith("/invitations/")
    assert [m.to for m in mail.outbox] == [[personas.outsider.email]]  # the invitation's own mail, once


def test_a_new_agreement_version_tells_who_must_sign(personas, run):
    agreement = run(make_agreement, personas.board)
    assert "contributor" in told(Kind.AGREEMENT)
    assert "outsider" not in told(Kind.AGREEMENT)
    assert agreement


def test_a_brief_claim_and_its_deadline(personas, run):
    from contributors.briefs.services import brief_claim, brief_create

    brief = brief_create(
        board=personas.board, actor=personas.manager, topic="Launch recap", deadline=timezone.now() + timedelta(days=5)
    )
    run(brief_claim, brief_id=brief.pk, actor=personas.contributor)
    assert told(Kind.BRIEF_CLAIMED) == ["manager"]
    brief_deadlines_remind(now=brief.deadline - timedelta(hours=72))
    assert told(Kind.BRIEF_DEADLINE) == []
    brief_deadlines_remind(now=brief.deadline - timedelta(hours=40))
    brief_deadlines_remind(now=brief.deadline - timedelta(hours=39))  # beat again: once per step
    assert told(Kind.BRIEF_DEADLINE) == ["contributor"]
    brief_deadlines_remind(now=brief.deadline - timedelta(hours=20))
    assert told(Kind.BRIEF_DEADLINE) == ["contributor", "contributor"]
    claim_draft = Notification.objects.filter(kind=Kind.BRIEF_DEADLINE).first().draft
    draft_transition(draft_id=claim_draft.pk, name="submit", actor=personas.contributor)
    Notification.objects.filter(kind=Kind.BRIEF_DEADLINE).delete()
    brief_deadlines_remind(now=brief.deadline - timedelta(hours=20))
    assert told(Kind.BRIEF_DEADLINE) == []  # submitted: nothing to remind


def test_a_mail_task_run_twice_sends_one_mail(personas, draft):
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    from drafts.models import DraftEvent
    from drafts.services import draft_event_notify

    draft_event_notify(event_id=DraftEvent.objects.get(transition="submit").pk)  # on_commit held: no mail yet
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert notifications_email(notification_ids=ids) == 2
    assert notifications_email(notification_ids=ids) == 0
    assert len(mail.outbox) == 2


def _comment_for_digest(personas, draft, run, body="Nice."):
    run(comment_create, draft_id=draft.pk, author=personas.reviewer, body=body)


def test_the_digest_collects_the_day_in_one_mail_at_the_local_hour(personas, draft, run):
    _comment_for_digest(personas, draft, run, "One.")
    _comment_for_digest(personas, draft, run, "Two.")
    assert mail.outbox == []  # comments go in the digest by default
    zone = ZoneInfo("Europe/Copenhagen")  # the board's: the default digest zone
    tomorrow = (timezone.now() + timedelta(days=1)).astimezone(zone).date()
    at = lambda hour, minute=0: datetime(tomorrow.year, tomorrow.month, tomorrow.day, hour, minute, tzinfo=zone)  # noqa: E731
    assert digests_send(now=at(7, 45)) == 0
    assert digests_send(now=at(8, 0)) == 1
    assert digests_send(now=at(8, 15)) == 0  # delivered twice, or the next tick: one mail
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [personas.contributor.email]
    assert "One." in mail.outbox[0].body
    assert "Two." in mail.outbox[0].body
    assert DigestSchedule.objects.get(user=personas.contributor).time_zone == "Europe/Copenhagen"
    assert not Notification.objects.filter(email=Email.DIGEST, emailed_at=None).exists()


def test_the_digest_follows_the_persons_own_time_zone(personas, draft, run):
    DigestSchedule.objects.create(user=personas.contributor, hour=18, time_zone="America/New_York")
    _comment_for_digest(personas, draft, run)
    zone = ZoneInfo("America/New_York")
    tomorrow = (timezone.now() + timedelta(days=1)).astimezone(zone).date()
    assert digests_send(now=datetime(tomorrow.year, tomorrow.month, tomorrow.day, 17, 50, tzinfo=zone)) == 0
    assert digests_send(now=datetime(tomorrow.year, tomorrow.month, tomorrow.day, 18, 5, tzinfo=zone)) == 1


def test_nothing_to_digest_sends_nothing(personas):
    assert digests_send(now=timezone.now() + timedelta(days=1)) == 0
    assert mail.outbox == []


def test_unsubscribe_confirms_then_stops_that_kind(personas, client):
    token = unsubscribe_token(personas.reviewer, [Kind.SUBMITTED])
    page = client.get(f"/unsubscribe/{token}/")
    assert page.status_code == 200
    assert b"Stop these e-mails?" in page.content
    assert not NotificationPreference.objects.exists()  # a GET (a link scanner) changes nothing
    done = client.post(f"/unsubscribe/{token}/")
    assert done.status_code == 200
    preference = NotificationPreference.objects.get(user=personas.reviewer, kind=Kind.SUBMITTED)
    assert preference.delivery == Delivery.IN_APP


def test_one_click_post_from_a_mail_client_works_without_csrf(personas):
    from django.test import Client

    token = unsubscribe_token(personas.reviewer, [Kind.COMMENT, Kind.MENTION])
    response = Client(enforce_csrf_checks=True).post(f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert set(NotificationPreference.objects.values_list("kind", "delivery")) == {
        (Kind.COMMENT, Delivery.IN_APP),
        (Kind.MENTION, Delivery.IN_APP),
    }


@pytest.mark.parametrize("how", ["tampered", "other_kind", "garbage"])
def test_an_unsubscribe_link_cannot_be_forged(personas, client, how):
    token = unsubscribe_token(personas.reviewer, [Kind.SUBMITTED])
    value, signature = token.rsplit(":", 1)[0], token.rsplit(":", 1)[1]
    forged = {
        "tampered": value.replace(value[2], "x" if value[2] != "x" else "y", 1) + ":" + signature,
        "other_kind": unsubscribe_token(personas.reviewer, [Kind.APPROVED]).rsplit(":", 1)[0] + ":" + signature,
        "garbage": "not-a-token",
    }[how]
    response = client.post(f"/unsubscribe/{forged}/")
    assert response.status_code == 400
    assert b"This unsubscribe link does not work" in response.content
    assert not NotificationPreference.objects.exists()


def test_unsubscribing_stops_the_mail_still_owed(personas, draft):
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    from drafts.models import DraftEvent
    from drafts.services import draft_event_notify

    draft_event_notify(event_id=DraftEvent.objects.get(transition="submit").pk)
    from contributors.notifications.mail import unsubscribe

    unsubscribe(unsubscribe_token(personas.reviewer, [Kind.SUBMITTED]))
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert notifications_email(notification_ids=ids) == 1  # the manager's only
    assert [m.to for m in mail.outbox] == [[personas.manager.email]]


def test_every_demo_login_has_unread_notifications_and_a_second_seed_adds_none(db):
    from io import StringIO

    from django.core.management import call_command

    from cocreate.demo import DEMO_USERS
    from contributors.models import User
    from contributors.notifications.selectors import unread_count

    call_command("seed_demo", stdout=StringIO())
    for username, *_ in DEMO_USERS:
        assert unread_count(User.objects.get(username=username)) > 0, username
    count = Notification.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Notification.objects.count() == count
    assert set(Notification.objects.filter(recipient__username="carol").values_list("kind", flat=True)) <= {
        Kind.AGREEMENT,
        Kind.INVITED,
    }  # carol has not signed the Launch NDA: she hears of nothing else on Launch


def test_published_carries_each_channels_live_link(personas, draft, run):
    from publishing.models import Channel, Publication

    advance(draft, "scheduled", personas)
    channel = Channel.objects.create(board=personas.board, kind="webhook", name="Site hook", settings={})
    Publication.objects.create(
        draft=draft, channel=channel, state="published", due_at=timezone.now(), platform_url="https://example.com/p/1"
    )
    run(draft_transition, draft_id=draft.pk, name="mark_published", actor=None)
    notification = Notification.objects.get(kind=Kind.PUBLISHED)
    assert notification.recipient == personas.contributor
    assert "Site hook: https://example.com/p/1" in notification.body
    assert "https://example.com/p/1" in mail.outbox[-1].body
