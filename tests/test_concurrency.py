"""Races on PostgreSQL: two requests hit the same draft at the same moment; the row lock decides.

Each race is made real, not hoped for: the test first takes the draft's row lock itself
(`SELECT ... FOR UPDATE` in its own transaction), starts two threads that line up on a barrier and call
the service, waits until PostgreSQL reports *both* threads blocked on that lock, and only then releases
it. Both services are then inside their transactions contending for the same row, and exactly one of them
may win. Every race is repeated several times on a fresh draft.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction

from cocreate.errors import Conflict
from contributors.models import User
from drafts.models import Draft, DraftApproval, DraftEvent, DraftRevision
from drafts.services import draft_transition, draft_update
from tests.conftest import require_services
from tests.factories import advance, make_draft, member

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REPEATS = 10
LOCK_WAIT_TIMEOUT = 10.0  # seconds for both threads to queue on the row lock
JOIN_TIMEOUT = 30.0


@dataclass
class Outcome:
    name: str
    result: object = None
    error: BaseException | None = None
    backend_pid: int | None = None
    ready: threading.Event = field(default_factory=threading.Event)


def _run_in_thread(outcome: Outcome, barrier: threading.Barrier, call: Callable[[], object]) -> None:
    try:
        # Connect before the barrier so both threads start the service call at the same moment.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            outcome.backend_pid = cursor.fetchone()[0]
        outcome.ready.set()
        barrier.wait(timeout=JOIN_TIMEOUT)
        outcome.result = call()
    except BaseException as exc:  # recorded and asserted on by the test thread
        outcome.error = exc
    finally:
        outcome.ready.set()
        connection.close()


def _blocked_pids(pids: list[int]) -> set[int]:
    """The given backends that PostgreSQL reports as waiting for a lock held by another backend."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p FROM unnest(%s::int[]) AS p WHERE cardinality(pg_blocking_pids(p)) > 0",
            [pids],
        )
        return {row[0] for row in cursor.fetchall()}


def race(draft_id: int, calls: dict[str, Callable[[], object]]) -> dict[str, Outcome]:
    """Run the calls in two threads that both queue on the draft's row lock before either may proceed."""
    return race_for_row(Draft, draft_id, calls)


def race_for_row(model, pk: int, calls: dict[str, Callable[[], object]]) -> dict[str, Outcome]:
    """Run the calls in two threads that both queue on one row's lock before either may proceed."""
    assert len(calls) == 2
    barrier = threading.Barrier(len(calls))
    outcomes = {name: Outcome(name) for name in calls}
    threads = [
        threading.Thread(target=_run_in_thread, args=(outcomes[name], barrier, call), name=f"race-{name}")
        for name, call in calls.items()
    ]
    with transaction.atomic():
        # The test thread holds the row lock while both threads start and block on it.
        model.objects.select_for_update().get(pk=pk)
        for thread in threads:
            thread.start()
        for outcome in outcomes.values():
            assert outcome.ready.wait(LOCK_WAIT_TIMEOUT), f"{outcome.name} did not connect"
        pids = [o.backend_pid for o in outcomes.values()]
        if None in pids:  # a thread failed before it could even connect
            errors = {o.name: o.error for o in outcomes.values()}
            pytest.fail(f"a racing thread failed to start: {errors}")
        deadline = time.monotonic() + LOCK_WAIT_TIMEOUT
        while _blocked_pids(pids) != set(pids):
            early = [o for o in outcomes.values() if o.error is not None or o.result is not None]
            if early:
                pytest.fail(f"{early[0].name} finished while the row was locked: {early[0].error!r}")
            if time.monotonic() > deadline:
                pytest.fail(f"both threads should have queued on the {model._meta.verbose_name}'s row lock")
            time.sleep(0.01)
        # Leaving the block commits and releases the lock: now they race for it.
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
        assert not thread.is_alive(), f"{thread.name} is still running"
    return outcomes


def winner_and_loser(outcomes: dict[str, Outcome]) -> tuple[Outcome, Outcome]:
    """Exactly one call succeeded and the other was refused with Conflict (anything else fails)."""
    unexpected = {o.name: o.error for o in outcomes.values() if o.error and not isinstance(o.error, Conflict)}
    assert not unexpected, f"a racing call failed with something other than Conflict: {unexpected!r}"
    winners = [o for o in outcomes.values() if o.error is None]
    losers = [o for o in outcomes.values() if isinstance(o.error, Conflict)]
    assert len(winners) == 1, f"expected exactly one winner, got {[o.name for o in winners]}"
    assert len(losers) == 1
    return winners[0], losers[0]


def fresh(user: User) -> User:
    """A separate user object per thread: permission caches live on the user object."""
    return User.objects.get(pk=user.pk)


@pytest.fixture(autouse=True)
def _postgres_only():
    require_services("the race tests need PostgreSQL row locks")
    assert connection.vendor == "postgresql"


def test_it_lets_only_one_of_two_reviewers_approve_at_the_same_moment(personas):
    assert personas.board.required_approvals == 1
    second_reviewer = member(personas.board, "reviewer", username="second-reviewer")
    reviewers = {"reviewer": personas.reviewer, "second-reviewer": second_reviewer}
    wins = Counter()
    for attempt in range(REPEATS):
        draft = make_draft(personas.board, personas.contributor, title=f"Approve race {attempt}")
        advance(draft, "review", personas)

        outcomes = race(
            draft.pk,
            {
                name: (lambda user=user, pk=draft.pk: draft_transition(draft_id=pk, name="approve", actor=fresh(user)))
                for name, user in reviewers.items()
            },
        )

        winner, loser = winner_and_loser(outcomes)
        wins[winner.name] += 1
        draft.refresh_from_db()
        assert draft.state == "approved"
        assert draft.version == 3  # create 1, submit 2, approve 3: one bump, not two
        events = list(DraftEvent.objects.filter(draft=draft, transition="approve"))
        assert len(events) == 1
        assert events[0].pk == winner.result.pk
        assert events[0].actor_id == reviewers[winner.name].pk
        assert (events[0].source, events[0].target) == ("review", "approved")
        assert list(DraftApproval.objects.filter(draft=draft).values_list("reviewer_id", flat=True)) == [
            reviewers[winner.name].pk
        ]
        assert "cannot be approved" in loser.error.message
    assert sum(wins.values()) == REPEATS


def test_it_lets_only_one_of_approve_and_archive_win(personas):
    # Both callers send the version they saw (as the page and the API do), so whoever loses the race is
    # refused instead of acting on a draft that changed under them.
    wins = Counter()
    for attempt in range(REPEATS):
        draft = make_draft(personas.board, personas.contributor, title=f"Approve/archive race {attempt}")
        advance(draft, "review", personas)
        seen = draft.version

        outcomes = race(
            draft.pk,
            {
                "approve": lambda pk=draft.pk: draft_transition(
                    draft_id=pk, name="approve", actor=fresh(personas.reviewer), expected_version=seen
                ),
                "archive": lambda pk=draft.pk: draft_transition(
                    draft_id=pk, name="archive", actor=fresh(personas.contributor), expected_version=seen
                ),
            },
        )

        winner, loser = winner_and_loser(outcomes)
        wins[winner.name] += 1
        draft.refresh_from_db()
        events = list(DraftEvent.objects.filter(draft=draft).exclude(transition__in=["create", "submit"]))
        assert len(events) == 1, "exactly one event: the winner's"
        event = events[0]
        assert event.pk == winner.result.pk
        assert event.transition == winner.name
        assert event.source == "review"
        assert draft.state == event.target == {"approve": "approved", "archive": "archived"}[winner.name]
        assert draft.version == seen + 1
        # The approval row is written in the approve transaction: present only when approve won.
        assert DraftApproval.objects.filter(draft=draft).count() == (1 if winner.name == "approve" else 0)
        assert f"version {seen}, now {seen + 1}" in loser.error.message
    assert sum(wins.values()) == REPEATS


def test_it_keeps_one_of_two_stale_edits_and_refuses_the_other(personas):
    editors = {"contributor": personas.contributor, "reviewer": personas.reviewer}
    wins = Counter()
    for attempt in range(REPEATS):
        draft = make_draft(personas.board, personas.contributor, title=f"Edit race {attempt}", body="Original.")
        start = draft.version
        revisions_before = DraftRevision.objects.filter(draft=draft).count()
        bodies = {name: f"Edit by {name} in attempt {attempt}." for name in editors}

        outcomes = race(
            draft.pk,
            {
                name: (
                    lambda user=user, body=bodies[name], pk=draft.pk: draft_update(
                        draft_id=pk, actor=fresh(user), version=start, body=body
                    )
                )
                for name, user in editors.items()
            },
        )

        winner, loser = winner_and_loser(outcomes)
        wins[winner.name] += 1
        draft.refresh_from_db()
        assert draft.version == start + 1
        assert draft.body == bodies[winner.name]
        revisions = list(DraftRevision.objects.filter(draft=draft).order_by("number"))
        assert len(revisions) == revisions_before + 1, "exactly one new revision"
        newest = revisions[-1]
        assert (newest.number, newest.body, newest.author_id) == (
            revisions_before + 1,
            bodies[winner.name],
            editors[winner.name].pk,
        )
        # Nothing lost: the original is still in history and the loser was told, not silently overwritten.
        assert revisions[0].body == "Original."
        assert bodies[loser.name] not in {r.body for r in revisions}
        assert f"you had version {start}, it is now {start + 1}" in loser.error.message
    assert sum(wins.values()) == REPEATS
