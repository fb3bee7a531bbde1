"""Two people open the same invitation link at the same moment on PostgreSQL: exactly one joins.

Same technique as tests/test_concurrency.py: the test holds the invitation's row lock until PostgreSQL
reports both accepting threads blocked on it, then lets them race.
"""

import pytest
from django.db import connection

from contributors.invitations import services
from contributors.invitations.models import Invitation, InvitationStatus
from contributors.invitations.selectors import invitation_token
from contributors.models import RoleChange
from tests.conftest import require_services
from tests.factories import UserFactory
from tests.test_concurrency import (
    Outcome,
    fresh,
    race_for_row,
    winner_and_loser,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    require_services("the race tests need PostgreSQL row locks")
    assert connection.vendor == "postgresql"


def race_on_invitation(invitation_id: int, calls: dict) -> dict[str, Outcome]:
    return race_for_row(Invitation, invitation_id, calls)


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
        # Two accounts on the invited address (addresses are not unique): only the addressee may accept.
        people = {
            "first": UserFactory(email=f"shared{attempt}@example.com"),
            "second": UserFactory(email=f"Shared{attempt}@example.com"),
        }

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
