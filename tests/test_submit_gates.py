import pytest
from django.core.exceptions import PermissionDenied

from drafts import gates
from drafts.models import DraftEvent
from drafts.services import draft_transition


@pytest.fixture
def gate():
    """Register a submit check for one test, and take it away again."""
    registered = []

    def _register(check):
        registered.append(gates.register_submit_check(check))
        return check

    yield _register
    for check in registered:
        gates._submit_checks.remove(check)


def test_it_refuses_the_submit_when_a_gate_says_no_and_writes_nothing(personas, draft, gate):
    def unsigned_nda(*, draft, actor):
        raise PermissionDenied("Sign the Launch NDA (version 2) before you submit.")

    gate(unsigned_nda)
    with pytest.raises(PermissionDenied, match="Launch NDA"):
        draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert not DraftEvent.objects.filter(draft=draft, transition="submit").exists()


def test_it_records_what_the_gates_report_on_the_submit_event(personas, draft, gate):
    gate(lambda *, draft, actor: {"guidelines_version": 3, "warnings": ["Consider adding #ad"]})
    event = draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    assert event.data == {"guidelines_version": 3, "warnings": ["Consider adding #ad"]}


def test_it_runs_gates_on_submit_only(personas, draft, gate):
    calls = []
    gate(lambda *, draft, actor: calls.append(actor) or {})
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    draft_transition(draft_id=draft.pk, name="approve", actor=personas.reviewer)
    assert calls == [personas.contributor]
