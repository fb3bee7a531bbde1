"""Two people open the same invitation link at the same moment on PostgreSQL: exactly one joins.

Same technique as tests/test_concurrency.py: the test holds the invitation's row lock until PostgreSQL
reports both accepting threads blocked on it, then lets them race.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from contributors.invitations import services
from contributors.invitations.models import Invitation, InvitationStatus
from contributors.invitations.selectors import invitation_token
from contributors.models import RoleChange
from tests.conftest import require_services
from tests.factories import UserFactory
from tests.test_concurrency import (
    JOIN_TIMEOUT,
    LOCK_WAIT_TIMEOUT,
    Outcome,
    _blocked_pids,
    _run_in_thread,
    fresh,
    winner_and_loser,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    require_services("the race tests need PostgreSQL row locks")
    assert connection.vendor == "postgresql"


def race_on_invitation(invitation_id: int, calls: dict) -> dict[str, Outcome]:
    barrier = threading.Barrier(len(calls))
    outcomes = {name: Outcome(name) for name in calls}
    threads = [threading.Thread(target=_run_in_thread, args=(outcomes[n], barrier, c)) for n, c in calls.items()]
    with transaction.atomic():
        Invitation.objects.select_for_update().get(pk=invitation_id)
        for thread in threads:
            thread.start()
        for outcome in outcomes.values():
            assert outcome.ready.wait(LOCK_WAIT_TIMEOUT)
        pids = [o.backend_pid for o in outcomes.values()]
        assert None not in pids, {o.name: o.error for o in outcomes.values()}
        deadline = time.monotonic() + LOCK_WAIT_TIMEOUT
        while _blocked_pids(pids) != set(pids):
            assert time.monotonic() < deadline, "both accepts should have queued on the invitation's row"
            time.sleep(0.01)
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
        assert not thread.is_alive()
    return outcomes


def test_it_lets_only_one_of_two_people_accept_the_same_link(personas):
    for attempt in range(5):
        invitation = services.invitation_create(
            board=personas.board,
            email=f"shared{attempt}@example.com",
            role="contributor",
            inviter=personas.manager,
            site_url="http://testserver/",
        )
        token = invitation_token(invitation)
        people = {"first": UserFactory(), "second": UserFactory()}

        outcomes = race_on_invitation(
            invitation.pk,
            {
                name: (lambda user=user: services.invitation_accept(token=token, user=fresh(user)))
                for name, user in people.items()
            },
        )

        winner, loser = winner_and_loser(outcomes)
        invitation.refresh_from_db()
        assert invitation.status == InvitationStatus.ACCEPTED
        assert invitation.accepted_by == people[winner.name]
        assert RoleChange.objects.filter(user=people[loser.name]).count() == 0
        assert RoleChange.objects.filter(user=people[winner.name], board=personas.board).count() == 1
