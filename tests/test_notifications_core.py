"""notify(): who hears about what, how their preference shapes it, and that it happens once."""

import pytest

from contributors.notifications.kinds import Delivery, Kind, Timing
from contributors.notifications.models import Email, Notification, NotificationPreference
from contributors.notifications.selectors import preferences_table, unread_count
from contributors.notifications.services import notification_mark_read, notifications_mark_all_read, notify
from tests.matrix_agreements import make_agreement

pytestmark = pytest.mark.django_db


def tell(personas, recipients, *, kind=Kind.SUBMITTED, source="event:1", actor=None):
    return notify(
        kind=kind,
        recipients=recipients,
        source=source,
        title="Connie submitted “Launch post” for review",
        url="/drafts/1/",
        actor=actor,
        board=personas.board,
    )


def test_board_members_hear_and_the_actor_and_outsiders_do_not(personas):
    made = tell(
        personas,
        [personas.reviewer, personas.manager, personas.contributor, personas.outsider],
        actor=personas.contributor,
    )
    assert len(made) == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"reviewer", "manager"}


def test_a_member_who_has_not_signed_hears_nothing_about_the_board_but_the_agreement(personas):
    make_agreement(personas.board)
    assert tell(personas, [personas.contributor]) == []
    assert len(tell(personas, [personas.contributor], kind=Kind.AGREEMENT, source="agreement:1")) == 1


def test_the_same_source_makes_one_notification_however_often_it_runs(personas):
    first = tell(personas, [personas.reviewer])
    second = tell(personas, [personas.reviewer])
    assert first == second
    assert Notification.objects.count() == 1


def test_the_preference_decides_in_app_and_email(personas):
    reviewer, manager = personas.reviewer, personas.manager
    NotificationPreference.objects.create(
        user=reviewer, kind=Kind.SUBMITTED, delivery=Delivery.EMAIL, timing=Timing.DIGEST
    )
    NotificationPreference.objects.create(user=manager, kind=Kind.SUBMITTED, delivery=Delivery.NONE, timing=Timing.NOW)
    tell(personas, [reviewer, manager])
    only = Notification.objects.get()
    assert (only.recipient, only.in_app, only.email) == (reviewer, False, Email.DIGEST)
    assert unread_count(reviewer) == 0  # an e-mail-only notification is not counted by the bell


def test_defaults_email_what_needs_action_at_once(personas):
    tell(personas, [personas.reviewer])
    assert Notification.objects.get().email == Email.NOW
    table = {choice.kind: choice for choice in preferences_table(personas.reviewer)}
    assert table[Kind.COMMENT].timing == Timing.DIGEST
    assert table[Kind.COMMENT].is_default


def test_reading_one_and_all(personas):
    first, second = (tell(personas, [personas.reviewer], source=f"event:{n}")[0] for n in (1, 2))
    assert unread_count(personas.reviewer) == 2
    notification_mark_read(user=personas.reviewer, notification_id=first)
    assert unread_count(personas.reviewer) == 1
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(user=personas.manager, notification_id=second)
    assert notifications_mark_all_read(user=personas.reviewer) == 1
    assert unread_count(personas.reviewer) == 0
