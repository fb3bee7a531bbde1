"""Writes of a draft's internal deadline: the board's reviewers and managers set and clear it. A deadline
is for the team ("due for review by Friday"): it never moves or blocks a publication, and it is history,
not news (drafts.services.NOT_NOTIFIED), so nobody is e-mailed about it. Each change is a DraftEvent."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from contributors.models import User
from contributors.templatetags.zoned import zoned_words
from drafts.models import Draft, DraftEvent, DraftState
from drafts.planning.deadline_selectors import deadline_of, may_set_deadline
from drafts.planning.models import Deadline
from drafts.selectors import draft_get_for_user

DEADLINE_LABEL_MAX = 120
DEFAULT_LABEL = "Due for review"
# A deadline is for the weeks ahead; two years out is a typo.
DEADLINE_MAX_AHEAD = timedelta(days=731)
SET_DEADLINE = "set_deadline"
CLEAR_DEADLINE = "clear_deadline"
NOT_ALLOWED = "Only the board's reviewers and managers can set a draft's deadline."
CLOSED_STATES = {DraftState.PUBLISHED, DraftState.ARCHIVED}


def _draft_for_deadline(draft_id: int, actor: User) -> Draft:
    draft = draft_get_for_user(actor, draft_id, for_update=True)
    if not may_set_deadline(draft, actor):
        raise PermissionDenied(NOT_ALLOWED)
    return draft


@transaction.atomic
def deadline_set(
    *, draft_id: int, actor: User, due_at: datetime | None, label: str = DEFAULT_LABEL, now: datetime | None = None
) -> Deadline:
    draft = _draft_for_deadline(draft_id, actor)
    now = now or timezone.now()
    label = (label or "").strip() or DEFAULT_LABEL
    errors: dict[str, list[str]] = {}
    if draft.state in CLOSED_STATES:
        raise ValidationError(f"A draft that is {draft.get_state_display().lower()} needs no deadline.")
    if due_at is None:
        errors["due_at"] = ["Give the date and time it is due."]
    elif timezone.is_naive(due_at):
        errors["due_at"] = ["Give the time with its offset from UTC, for example 2026-12-11T17:00:00+01:00."]
    elif due_at <= now:
        errors["due_at"] = ["Choose a time that has not passed yet."]
    elif due_at > now + DEADLINE_MAX_AHEAD:
        errors["due_at"] = ["Choose a time within the next two years."]
    if len(label) > DEADLINE_LABEL_MAX:
        errors["label"] = [f"Keep the label to {DEADLINE_LABEL_MAX} characters (it has {len(label)})."]
    if errors:
        raise ValidationError(errors)
    assert due_at is not None
    deadline = deadline_of(draft)
    if deadline is not None and deadline.due_at == due_at and deadline.label == label:
        return deadline
    if deadline is None:
        deadline = Deadline(draft=draft)
    deadline.due_at, deadline.label, deadline.set_by = due_at, label, actor
    deadline.save()
    DraftEvent.objects.create(
        draft=draft,
        actor=actor,
        transition=SET_DEADLINE,
        source=draft.state,
        target=draft.state,
        comment=f"{label}: {zoned_words(due_at, draft.board)}",
        data={"due_at": due_at.isoformat(), "label": label},
    )
    return deadline


@transaction.atomic
def deadline_clear(*, draft_id: int, actor: User) -> bool:
    """Remove the draft's deadline; False when it had none (nothing is recorded then)."""
    draft = _draft_for_deadline(draft_id, actor)
    deleted, _ = Deadline.objects.filter(draft=draft).delete()
    if not deleted:
        return False
    DraftEvent.objects.create(
        draft=draft, actor=actor, transition=CLEAR_DEADLINE, source=draft.state, target=draft.state
    )
    return True
