"""The draft workflow as drafts.services.draft_transition enforces it: states, permissions, policy, audit."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from cocreate.errors import Conflict
from drafts.models import Draft, DraftApproval, DraftEvent, DraftState
from drafts.selectors import transition_names
from drafts.services import draft_event_notify, draft_transition
from tests.factories import advance, future, make_draft, member

STATES = ["draft", "review", "approved", "scheduled", "published", "failed", "archived"]
TRANSITIONS = list(dict.fromkeys(transition_names()))

# The workflow written out by hand, so a change to the model has to be a deliberate change here too.
# (source, transition) -> target. Every pair not listed must be refused with Conflict.
LEGAL = {
    ("draft", "submit"): "review",
    ("review", "request_changes"): "draft",
    ("review", "approve"): "approved",
    ("approved", "schedule"): "scheduled",
    ("scheduled", "unschedule"): "approved",
    ("draft", "archive"): "archived",
    ("review", "archive"): "archived",
    ("approved", "archive"): "archived",
    ("scheduled", "mark_published"): "published",
    ("scheduled", "mark_failed"): "failed",
    ("failed", "retry"): "scheduled",
}

# Who normally takes each transition on the contributor's draft (None is the system).
ACTOR = {
    "submit": "contributor",
    "request_changes": "reviewer",
    "approve": "reviewer",
    "schedule": "manager",
    "unschedule": "manager",
    "archive": "contributor",
    "mark_published": None,
    "mark_failed": None,
    "retry": "manager",
}

# Personas allowed to take each transition on a visible draft written by `contributor`.
ALLOWED = {
    "submit": {"contributor", "manager", "admin"},
    "request_changes": {"reviewer", "manager", "admin"},
    "approve": {"reviewer", "manager", "admin"},
    "schedule": {"manager", "admin"},
    "unschedule": {"manager", "admin"},
    "archive": {"contributor", "manager", "admin"},
    "mark_published": {"system"},
    "mark_failed": {"system"},
    "retry": {"manager", "admin"},
}
# Cannot see the contributor's draft at all, so they get a 404 whatever they try.
BLIND = {"anonymous", "outsider", "other_contributor"}
ACTORS = ["system", "anonymous", "outsider", "other_contributor", "contributor", "reviewer", "manager", "admin"]


def arguments(name: str) -> dict:
    """What each transition needs besides the actor."""
    if name == "request_changes":
        return {"comment": "Please tighten the intro."}
    if name == "schedule":
        return {"publish_at": future()}
    return {}


def actor_for(personas, persona: str | None):
    if persona in (None, "system"):
        return None
    if persona == "anonymous":
        return AnonymousUser()
    if persona == "other_contributor":
        return member(personas.board, "contributor", username="other-contributor")
    return getattr(personas, persona)


def snapshot(draft: Draft) -> tuple:
    draft.refresh_from_db()
    return (
        draft.state,
        draft.version,
        draft.review_round,
        draft.publish_at,
        DraftEvent.objects.filter(draft=draft).count(),
        DraftApproval.objects.filter(draft=draft).count(),
    )


def take(draft: Draft, name: str, actor, **kwargs) -> DraftEvent:
    for key, value in arguments(name).items():
        kwargs.setdefault(key, value)
    return draft_transition(draft_id=draft.pk, name=name, actor=actor, **kwargs)


# --- The shape of the workflow ---------------------------------------------------------------------------


def test_it_has_the_documented_states_and_transitions():
    assert [s.value for s in DraftState] == STATES
    assert set(TRANSITIONS) == set(ACTOR) == set(ALLOWED)
    assert {name for _, name in LEGAL} == set(TRANSITIONS)
    declared = {
        (source, t.name): t.target
        for t in Draft._meta.get_field("state").get_all_transitions(Draft)
        for source in ([t.source] if isinstance(t.source, str) else t.source)
    }
    # approve's target is a RETURN_VALUE (review or approved); the others are plain states.
    assert set(declared) == set(LEGAL)
    for pair, target in declared.items():
        if pair != ("review", "approve"):
            assert target == LEGAL[pair], pair


def test_it_declares_a_permission_on_every_transition():
    transitions = Draft._meta.get_field("state").get_all_transitions(Draft)
    assert transitions
    for t in transitions:
        assert t.permission is not None, f"{t.name} from {t.source} declares no permission"
        assert callable(t.permission), t.name
        # Not even the system passes a person's permission check: actor None is refused by every callable.
        assert t.permission(Draft(), None) is False


def test_it_refuses_to_set_the_state_directly(personas, draft):
    with pytest.raises(AttributeError, match="Direct state modification is not allowed"):
        draft.state = DraftState.APPROVED
    loaded = Draft.objects.get(pk=draft.pk)
    with pytest.raises(AttributeError):
        loaded.state = "published"
    assert Draft.objects.get(pk=draft.pk).state == "draft"
    # The service is the way to change it; refresh_from_db still works on the protected field.
    advance(draft, "review", personas)
    assert draft.state == "review"


def test_it_never_calls_transition_methods_directly_in_app_code():
    """State changes go through draft_transition; nothing else calls draft.submit() and friends."""
    root = Path(settings.BASE_DIR)
    # Receivers named like a draft (draft, self.draft, drafts[0]...); Celery's self.retry() is fine.
    call = re.compile(r"draft\w*(\[[^]]*\])?\.(" + "|".join(TRANSITIONS) + r")\(", re.IGNORECASE)
    # ...and no queryset update() writes a draft's state behind the workflow's back (publications have
    # their own state machine, in publishing/services.py).
    bulk = re.compile(r"\.update\(.*\bstate\s*=(?!\s*PublicationState)")
    offenders = []
    for package in ("cocreate", "contributors", "drafts", "publishing"):
        for path in (root / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if call.search(line) or bulk.search(line):
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []


# --- Every transition from every state -------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", TRANSITIONS)
def test_it_allows_exactly_the_legal_transitions_from_each_state(personas, draft, state, name):
    advance(draft, state, personas)
    assert draft.state == state
    actor = actor_for(personas, ACTOR[name])
    before = snapshot(draft)
    last_event_id = DraftEvent.objects.filter(draft=draft).latest("id").id

    if (state, name) not in LEGAL:
        with pytest.raises(Conflict):
            take(draft, name, actor)
        assert snapshot(draft) == before
        assert not DraftEvent.objects.filter(draft=draft, id__gt=last_event_id).exists()
        return

    returned = take(draft, name, actor)
    draft.refresh_from_db()
    assert draft.state == LEGAL[(state, name)]
    assert draft.version == before[1] + 1
    new_events = list(DraftEvent.objects.filter(draft=draft, id__gt=last_event_id))
    assert len(new_events) == 1
    event = new_events[0]
    assert event == returned
    assert (event.transition, event.source, event.target) == (name, state, LEGAL[(state, name)])
    assert event.actor == actor
    assert DraftEvent.objects.filter(draft=draft).count() == before[4] + 1


def test_it_counts_review_rounds_and_sets_and_clears_publish_at(personas, draft):
    assert draft.review_round == 0
    advance(draft, "approved", personas)
    assert draft.review_round == 1
    when = future(90)
    event = take(draft, "schedule", personas.manager, publish_at=when)
    draft.refresh_from_db()
    assert draft.publish_at == when
    assert event.data == {"publish_at": when.isoformat()}
    take(draft, "unschedule", personas.manager)
    draft.refresh_from_db()
    assert draft.publish_at is None


def test_it_answers_404_for_an_unknown_transition(personas, draft):
    before = snapshot(draft)
    with pytest.raises(Http404):
        draft_transition(draft_id=draft.pk, name="publish_now", actor=personas.admin)
    with pytest.raises(Http404):
        draft_transition(draft_id=draft.pk, name="save", actor=personas.admin)
    assert snapshot(draft) == before


# --- Who may take which transition -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ACTORS)
@pytest.mark.parametrize(("state", "name"), sorted(LEGAL))
def test_it_lets_only_the_right_people_take_each_transition(personas, draft, state, name, persona):
    advance(draft, state, personas)
    actor = actor_for(personas, persona)
    before = snapshot(draft)

    if persona in ALLOWED[name]:
        event = take(draft, name, actor)
        assert event.actor == actor
        assert Draft.objects.get(pk=draft.pk).state == LEGAL[(state, name)]
        return

    expected = Http404 if persona in BLIND else PermissionDenied
    with pytest.raises(expected):
        take(draft, name, actor)
    assert snapshot(draft) == before


def test_it_lets_the_system_take_only_system_transitions(personas, draft):
    for state, name in sorted(LEGAL):
        subject = make_draft(personas.board, personas.contributor, title=f"{state} {name}")
        advance(subject, state, personas)
        if name in ("mark_published", "mark_failed"):
            take(subject, name, None)
        else:
            with pytest.raises(PermissionDenied):
                take(subject, name, None)
            assert Draft.objects.get(pk=subject.pk).state == state


def test_it_lets_a_coauthor_submit_and_archive(personas, draft):
    coauthor = member(personas.board, "contributor", username="coauthor")
    draft.coauthors.add(coauthor)
    take(draft, "submit", coauthor)
    take(draft, "archive", coauthor)
    assert Draft.objects.get(pk=draft.pk).state == "archived"


def test_it_forgets_permissions_when_a_role_is_revoked(personas, draft):
    from contributors.services import board_role_revoke

    board_role_revoke(board=personas.board, user=personas.contributor)
    with pytest.raises(Http404):
        take(draft, "submit", personas.contributor)
    assert Draft.objects.get(pk=draft.pk).state == "draft"


# --- Approval policy ---------------------------------------------------------------------------------------


@pytest.fixture
def two_approvals(personas):
    personas.board.required_approvals = 2
    personas.board.save()
    return member(personas.board, "reviewer", username="second-reviewer")


def test_it_needs_two_distinct_reviewers_when_the_board_says_so(personas, draft, two_approvals):
    advance(draft, "review", personas)

    first = take(draft, "approve", personas.reviewer)
    draft.refresh_from_db()
    assert draft.state == "review"
    assert (first.source, first.target) == ("review", "review")
    assert first.data == {"approvals": 1, "required": 2}
    assert draft.version == 3

    second = take(draft, "approve", two_approvals)
    draft.refresh_from_db()
    assert draft.state == "approved"
    assert (second.source, second.target) == ("review", "approved")
    assert second.data == {"approvals": 2, "required": 2}
    assert draft.version == 4

    approvals = DraftApproval.objects.filter(draft=draft).order_by("id")
    assert [(a.reviewer, a.review_round, a.version) for a in approvals] == [
        (personas.reviewer, 1, 2),
        (two_approvals, 1, 3),
    ]


def test_it_refuses_a_second_approval_by_the_same_reviewer(personas, draft, two_approvals):
    advance(draft, "review", personas)
    take(draft, "approve", personas.reviewer)
    before = snapshot(draft)
    with pytest.raises(PermissionDenied, match="already approved"):
        take(draft, "approve", personas.reviewer)
    assert snapshot(draft) == before
    assert draft.state == "review"


@pytest.mark.parametrize("author", ["reviewer", "manager", "admin"])
def test_it_never_lets_authors_approve_their_own_draft(personas, author):
    own = make_draft(personas.board, getattr(personas, author), title="My own")
    take(own, "submit", getattr(personas, author))
    before = snapshot(own)
    with pytest.raises(PermissionDenied, match="own draft"):
        take(own, "approve", getattr(personas, author))
    assert snapshot(own) == before
    # Another reviewer can.
    approver = personas.manager if author == "reviewer" else personas.reviewer
    take(own, "approve", approver)
    assert Draft.objects.get(pk=own.pk).state == "approved"


def test_it_never_lets_a_coauthor_approve(personas, draft):
    draft.coauthors.add(personas.reviewer)
    take(draft, "submit", personas.contributor)
    with pytest.raises(PermissionDenied, match="own draft"):
        take(draft, "approve", personas.reviewer)
    assert not DraftApproval.objects.filter(draft=draft).exists()


def test_it_starts_a_new_review_round_after_changes_were_requested(personas, draft, two_approvals):
    advance(draft, "review", personas)
    take(draft, "approve", personas.reviewer)
    take(draft, "request_changes", two_approvals, comment="Needs a better hook.")
    take(draft, "submit", personas.contributor)
    draft.refresh_from_db()
    assert (draft.state, draft.review_round) == ("review", 2)

    # The round-1 approval no longer counts; the same reviewer may approve again in round 2.
    again = take(draft, "approve", personas.reviewer)
    assert (again.target, again.data["approvals"]) == ("review", 1)
    final = take(draft, "approve", two_approvals)
    assert (final.target, final.data["approvals"]) == ("approved", 2)

    rounds = list(DraftApproval.objects.filter(draft=draft).order_by("id").values_list("reviewer", "review_round"))
    assert rounds == [
        (personas.reviewer.pk, 1),
        (personas.reviewer.pk, 2),
        (two_approvals.pk, 2),
    ]


# --- Arguments, versions --------------------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_it_requires_a_comment_to_request_changes(personas, draft, comment):
    advance(draft, "review", personas)
    before = snapshot(draft)
    with pytest.raises(ValidationError) as excinfo:
        take(draft, "request_changes", personas.reviewer, comment=comment)
    assert "comment" in excinfo.value.message_dict
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    "publish_at",
    [
        None,
        pytest.param(lambda: timezone.now() - timedelta(minutes=1), id="past"),
        pytest.param(lambda: timezone.now(), id="now"),
        pytest.param(lambda: (timezone.now() + timedelta(hours=2)).replace(tzinfo=None), id="naive"),
    ],
)
def test_it_validates_the_publish_time(personas, draft, publish_at):
    advance(draft, "approved", personas)
    before = snapshot(draft)
    with pytest.raises(ValidationError) as excinfo:
        draft_transition(
            draft_id=draft.pk,
            name="schedule",
            actor=personas.manager,
            publish_at=publish_at() if callable(publish_at) else publish_at,
        )
    assert "publish_at" in excinfo.value.message_dict
    assert snapshot(draft) == before


def test_it_refuses_a_stale_expected_version(personas, draft):
    stale = draft.version
    take(draft, "submit", personas.contributor, expected_version=stale)
    draft.refresh_from_db()
    before = snapshot(draft)
    with pytest.raises(Conflict, match="changed since"):
        take(draft, "archive", personas.contributor, expected_version=stale)
    assert snapshot(draft) == before
    take(draft, "archive", personas.contributor, expected_version=draft.version)
    assert Draft.objects.get(pk=draft.pk).state == "archived"


# --- Notifications -------------------------------------------------------------------------------------


def test_it_emails_the_author_once_when_someone_else_moves_the_draft(
    personas, draft, django_capture_on_commit_callbacks
):
    advance(draft, "review", personas)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event = take(draft, "request_changes", personas.reviewer, comment="Shorter, please.")
    assert callbacks  # the notification, then its e-mail: both after commit
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [personas.contributor.email]
    assert message.subject == f"@reviewer asked for changes on ‘{draft.title}’"  # in words, not "request_changes"
    assert "Shorter, please." in message.body
    assert f"http://testserver/drafts/{draft.pk}/" in message.body
    event.refresh_from_db()
    assert event.notified_at is not None

    # Delivered again (a retried or duplicated task): nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        assert draft_event_notify(event_id=event.pk) is False
        assert draft_event_notify(event_id=event.pk) is False
    assert len(mail.outbox) == 1


def test_it_claims_an_event_before_sending_so_it_sends_once(personas, draft, django_capture_on_commit_callbacks):
    # Without the on_commit callbacks running, the event is still unclaimed.
    event = take(draft, "submit", personas.manager)
    assert event.notified_at is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert draft_event_notify(event_id=event.pk) is True
        assert draft_event_notify(event_id=event.pk) is False
    assert [m.to for m in mail.outbox] == [[personas.reviewer.email]]  # the reviewers; the manager did it


def test_it_does_not_email_people_about_their_own_transitions(personas, draft, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = take(draft, "submit", personas.contributor)
    assert sorted(m.to[0] for m in mail.outbox) == [personas.manager.email, personas.reviewer.email]
    event.refresh_from_db()
    assert event.notified_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        take(draft, "request_changes", personas.manager, comment="Fix the date.")
    assert [m.to for m in mail.outbox] == [[personas.contributor.email]]  # not the manager who sent it back


def test_it_does_not_email_when_the_transition_fails(personas, draft, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(PermissionDenied):
        take(draft, "submit", personas.reviewer)
    assert callbacks == []
    assert mail.outbox == []


def test_it_notifies_about_a_draft_whose_title_spans_lines(personas, django_capture_on_commit_callbacks):
    """Titles may contain line breaks (the API accepts them); an e-mail subject may not."""
    odd = make_draft(personas.board, personas.contributor, title="Part one\nPart two")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = take(odd, "submit", personas.manager)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "@manager submitted ‘Part one Part two’ for review"
    event.refresh_from_db()
    assert event.notified_at is not None


def test_it_retries_a_failed_draft_as_soon_as_possible_when_its_slot_has_passed(personas, draft):
    advance(draft, "failed", personas)
    Draft.objects.filter(pk=draft.pk).update(publish_at=timezone.now() - timedelta(hours=3))
    before = timezone.now()
    event = draft_transition(draft_id=draft.pk, name="retry", actor=personas.manager)
    draft.refresh_from_db()
    assert draft.state == "scheduled"
    assert draft.publish_at >= before
    assert event.data["publish_at"] == draft.publish_at.isoformat()


def test_it_retries_a_failed_draft_at_a_new_time(personas, draft):
    advance(draft, "failed", personas)
    new_time = future(minutes=240)
    draft_transition(draft_id=draft.pk, name="retry", actor=personas.manager, publish_at=new_time)
    draft.refresh_from_db()
    assert draft.publish_at == new_time


def test_it_refuses_a_retry_into_the_past(personas, draft):
    advance(draft, "failed", personas)
    with pytest.raises(ValidationError):
        draft_transition(
            draft_id=draft.pk, name="retry", actor=personas.manager, publish_at=timezone.now() - timedelta(minutes=1)
        )
    draft.refresh_from_db()
    assert draft.state == "failed"
