"""Races for a brief's places on PostgreSQL: the brief's row lock decides who gets the last one.

As in test_concurrency.py, each race is made real: the test holds the brief's row lock, starts two threads
that claim at the same moment, waits until PostgreSQL reports both blocked on that lock, then lets go.
"""

from collections import Counter

import pytest
from django.db import connection

from contributors.briefs.models import Brief, BriefClaim
from contributors.briefs.services import brief_claim, brief_create
from drafts.models import Draft
from tests.conftest import require_services
from tests.factories import future, member
from tests.test_concurrency import (
    Outcome,
    fresh,
    race_for_row,
    winner_and_loser,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REPEATS = 10


@pytest.fixture(autouse=True)
def _postgres_only():
    require_services("the race tests need PostgreSQL row locks")
    assert connection.vendor == "postgresql"


def race_on_brief(brief_id: int, calls: dict) -> dict[str, Outcome]:
    return race_for_row(Brief, brief_id, calls)


def test_it_gives_the_last_place_to_exactly_one_of_two_contributors(personas):
    second = member(personas.board, "contributor", username="second-contributor")
    racers = {"contributor": personas.contributor, "second": second}
    wins = Counter()
    for attempt in range(REPEATS):
        brief = brief_create(
            board=personas.board, actor=personas.manager, topic=f"Last place {attempt}", deadline=future(), max_claims=2
        )
        brief_claim(brief_id=brief.pk, actor=personas.reviewer)  # one place left

        outcomes = race_on_brief(
            brief.pk,
            {
                name: (lambda user=user, pk=brief.pk: brief_claim(brief_id=pk, actor=fresh(user)))
                for name, user in racers.items()
            },
        )

        winner, loser = winner_and_loser(outcomes)
        wins[winner.name] += 1
        claims = BriefClaim.objects.filter(brief=brief)
        assert claims.count() == 2, "never more claims than places"
        assert set(claims.values_list("contributor_id", flat=True)) == {personas.reviewer.pk, racers[winner.name].pk}
        assert Draft.objects.filter(title=brief.topic).count() == 2, "the loser's draft was rolled back"
        assert "All 2 places on this brief are taken" in loser.error.message
    assert sum(wins.values()) == REPEATS


def test_it_gives_one_contributor_one_claim_when_they_claim_twice_at_once(personas):
    for attempt in range(REPEATS):
        brief = brief_create(
            board=personas.board,
            actor=personas.manager,
            topic=f"Double click {attempt}",
            deadline=future(),
            max_claims=5,
        )

        outcomes = race_on_brief(
            brief.pk,
            {
                name: (lambda pk=brief.pk: brief_claim(brief_id=pk, actor=fresh(personas.contributor)))
                for name in ("first-click", "second-click")
            },
        )

        winner, loser = winner_and_loser(outcomes)
        assert BriefClaim.objects.filter(brief=brief, contributor=personas.contributor).count() == 1
        assert Draft.objects.filter(title=brief.topic).count() == 1
        assert f"your draft is #{winner.result.draft_id}" in loser.error.message
