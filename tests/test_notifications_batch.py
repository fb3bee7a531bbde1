"""The notifications of a batch of events are decided together: who may hear is the same answer as asking for
each person and board on its own, and the statements do not grow with the batch."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import assign_perm

from contributors.agreements.gate import is_gated
from contributors.agreements.models import Agreement
from contributors.agreements.selectors import cleared_to_open
from contributors.agreements.services import agreement_accept, agreement_update
from contributors.models import Board, User
from contributors.notifications.models import Notification
from contributors.permissions import has_board_perm
from contributors.roles import VIEW
from drafts.models import DraftEvent
from drafts.services import draft_events_notify
from tests.factories import UserFactory, member
from tests.matrix_agreements import make_agreement
from tests.test_publishing_bulk_outcomes import record, scheduled_drafts, sending

pytestmark = pytest.mark.django_db


def one_by_one(pairs) -> set[tuple[int, int]]:
    users = User.objects.in_bulk({u for u, _ in pairs})
    boards = Board.objects.in_bulk({b for _, b in pairs})
    return {
        (u, b)
        for u, b in pairs
        if u in users and has_board_perm(users[u], boards[b], VIEW) and not is_gated(users[u], boards[b])
    }


def test_who_may_open_which_board_is_the_same_answer_as_asking_one_by_one(personas):
    board, other = personas.board, personas.other_board
    nda = make_agreement(board)  # every role on Launch must sign
    agreement_accept(agreement=nda, user=personas.reviewer, signature="Rui Reviewer")  # signed: may open
    # personas.contributor and personas.manager have not signed: kept off Launch
    make_agreement(other)
    grouped = UserFactory(username="grouped")
    group = Group.objects.create(name="editors")
    grouped.groups.add(group)
    for codename in ("view_board", "contribute_board"):  # a contributor through a group, unsigned on other
        assign_perm(f"contributors.{codename}", group, other)
    signed_grouped = UserFactory(username="signed-grouped")
    signed_grouped.groups.add(group)
    for agreement in other.agreement_requirements.values_list("agreement", flat=True).distinct():
        agreement_accept(agreement=Agreement.objects.get(pk=agreement), user=signed_grouped, signature="Signed Person")
    inactive = member(board, "contributor", username="gone", is_active=False)
    people = [
        personas.admin,
        personas.manager,
        personas.reviewer,
        personas.contributor,
        personas.outsider,
        grouped,
        signed_grouped,
        inactive,
    ]
    pairs = {(user.pk, b.pk) for user in people for b in (board, other)}
    expected = one_by_one(pairs)
    assert cleared_to_open(pairs) == expected
    assert (personas.reviewer.pk, board.pk) in expected
    assert (personas.contributor.pk, board.pk) not in expected
    assert (signed_grouped.pk, other.pk) in expected
    assert (grouped.pk, other.pk) not in expected

    # A contract that has ended keeps even those who signed it off the board.
    agreement_update(agreement=nda, title=nda.title, ends_on=timezone.localdate() - timedelta(days=1), actor=None)
    assert (personas.reviewer.pk, board.pk) not in cleared_to_open(pairs)
    assert cleared_to_open(pairs) == one_by_one(pairs)


def published_events(personas, count: int) -> list[int]:
    drafts = scheduled_drafts(personas, count)
    DraftEvent.objects.update(notified_at=timezone.now())  # the steps before are not what is measured
    record(sending(drafts))
    return list(DraftEvent.objects.filter(transition="mark_published", notified_at=None).values_list("pk", flat=True))


def test_the_statements_for_a_batch_of_events_do_not_grow_with_it(personas):
    few = published_events(personas, 2)
    with CaptureQueriesContext(connection) as two:
        assert draft_events_notify(event_ids=few) == 2
    many = published_events(personas, 8)
    with CaptureQueriesContext(connection) as eight:
        assert draft_events_notify(event_ids=many) == 8
    assert len(eight.captured_queries) == len(two.captured_queries)
    told = Notification.objects.filter(source__in=[f"event:{pk}" for pk in many])
    assert sorted(told.values_list("recipient", flat=True)) == [personas.contributor.pk] * 8
    assert all(title.endswith("is live") for title in told.values_list("title", flat=True))


def test_a_batch_delivered_twice_tells_nobody_twice(personas):
    events = published_events(personas, 3)
    assert draft_events_notify(event_ids=events) == 3
    DraftEvent.objects.filter(pk__in=events).update(notified_at=None)  # as if its claims were given back
    assert draft_events_notify(event_ids=events) == 3
    assert Notification.objects.filter(source__in=[f"event:{pk}" for pk in events]).count() == 3
    assert draft_events_notify(event_ids=events) == 0  # claimed already: nothing to do
