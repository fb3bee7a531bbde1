"""Races for a brief's places on PostgreSQL: the brief's row lock decides who gets the last one.

As in test_concurrency.py, each race is made real: the test holds the brief's row lock, starts two threads
that claim at the same moment, waits until PostgreSQL reports both blocked on that lock, then lets go.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from contributors.briefs.models import Brief, BriefClaim
from contributors.briefs.services import brief_claim, brief_create
from drafts.models import Draft
from tests.conftest import require_services
from tests.factories import future, member
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

REPEATS = 10


@pytest.fixture(autouse=True)
def _postgres_only():
    require_services("the race tests need PostgreSQL row locks")
    assert connection.vendor == "postgresql"


def race_on_brief(brief_id: int, calls: dict[str, Callable[[], object]]) -> dict[str, Outcome]:
    """Run two claims in threads that both queue on the brief's row lock before either may proceed."""
    barrier = threading.Barrier(len(calls))
    outcomes = {name: Outcome(name) for name in calls}
    threads = [
        threading.Thread(target=_run_in_thread, args=(outcomes[name], barrier, call), name=f"race-{name}")
        for name, call in calls.items()
    ]
    with transaction.atomic():
        Brief.objects.select_for_update().get(pk=brief_id)
        for thread in threads:
            thread.start()
        for outcome in outcomes.values():
            assert outcome.ready.wait(LOCK_WAIT_TIMEOUT), f"{outcome.name} did not connect"
        pids = [o.backend_pid for o in outcomes.values()]
        if None in pids:
            pytest.fail(f"a racing thread failed to start: { {o.name: o.error for o in outcomes.values()} }")
        deadline = time.monotonic() + LOCK_WAIT_TIMEOUT
        while _blocked_pids(pids) != set(pids):
            early = [o for o in outcomes.values() if o.error is not None or o.result is not None]
            if early:
                pytest.fail(f"{early[0].name} finished while the brief was locked: {early[0].error!r}")
            if time.monotonic() > deadline:
                pytest.fail("both claims should have queued on the brief's row lock")
            time.sleep(0.01)
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
        assert not thread.is_alive(), f"{thread.name} is still running"
    return outcomes


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
