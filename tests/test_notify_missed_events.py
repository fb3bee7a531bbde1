"""An event whose notification task was lost (a worker killed in the middle of a publishing batch, a broker
restart, retries spent while the database was away) is told by the sweep beat runs, once, and only while it is
news: the sweep leaves alone what is still on its way, what is old history, and events nobody is told about.
The notification's e-mail then goes after the sweep's task commits (in the test, its on-commit callbacks)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from contributors.notifications.kinds import Kind
from contributors.notifications.models import Notification
from drafts.models import DraftEvent
from drafts.services import NOTIFY_SWEEP_GRACE, NOTIFY_SWEEP_WINDOW, draft_events_notify_missed, draft_transition
from tests.factories import advance

pytestmark = pytest.mark.django_db


def _sent_back_and_lost(personas, draft, *, age: timedelta) -> DraftEvent:
    """A real 'request_changes' event whose e-mail never went: as if its task had been lost."""
    advance(draft, "review", personas)
    draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="Shorter, please.")
    event = DraftEvent.objects.get(draft=draft, transition="request_changes")
    DraftEvent.objects.filter(pk=event.pk).update(notified_at=None, created_at=timezone.now() - age)
    mail.outbox = []
    return event


def test_a_lost_e_mail_goes_out_once(personas, draft, django_capture_on_commit_callbacks):
    event = _sent_back_and_lost(personas, draft, age=NOTIFY_SWEEP_GRACE + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert draft_events_notify_missed() == 1
    assert [m.to for m in mail.outbox] == [[personas.contributor.email]]
    assert "Shorter, please." in mail.outbox[0].body
    told = Notification.objects.get(kind=Kind.CHANGES_REQUESTED)
    assert told.recipient == personas.contributor
    assert told.emailed_at is not None
    event.refresh_from_db()
    assert event.notified_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert draft_events_notify_missed() == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_an_event_still_on_its_way_is_left_to_its_task(personas, draft):
    _sent_back_and_lost(personas, draft, age=NOTIFY_SWEEP_GRACE - timedelta(minutes=1))
    assert draft_events_notify_missed() == 0
    assert mail.outbox == []


def test_old_history_is_not_news(personas, draft):
    _sent_back_and_lost(personas, draft, age=NOTIFY_SWEEP_WINDOW + timedelta(hours=1))
    assert draft_events_notify_missed() == 0
    assert mail.outbox == []


def test_events_no_e_mail_is_about_are_left_alone(personas, draft):
    DraftEvent.objects.filter(draft=draft).update(created_at=timezone.now() - timedelta(hours=1))
    assert DraftEvent.objects.filter(draft=draft, transition="create", notified_at=None).exists()
    assert draft_events_notify_missed() == 0
