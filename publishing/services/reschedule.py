"""Moving a post to another time: the calendar's drag and drop and its keyboard form call draft_reschedule.

There is no separate "move" transition: a draft that is approved is scheduled, one already scheduled is
unscheduled and scheduled again, a failed one is retried, each through drafts.services.draft_transition in one
transaction. So every check of the schedule step runs as it does from the draft page (who may, the platform's
validation of the post on each channel, the agreement gate, the approved content's fingerprint taken again),
the audit log shows the steps with where the post was moved from, and a refusal leaves everything as it was.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cocreate.errors import Conflict
from contributors.permissions import MANAGERS_ONLY
from drafts import rules
from drafts.models import DraftEvent, DraftState
from drafts.selectors import draft_get_for_user
from drafts.services import draft_transition
from drafts.steps import time_problem
from publishing.models import Publication, PublicationState

MOVABLE = (DraftState.APPROVED, DraftState.SCHEDULED, DraftState.FAILED)


@transaction.atomic
def draft_reschedule(
    *,
    draft_id: int,
    actor,
    publish_at: datetime,
    expected_version: int | None = None,
    via: str = "calendar",
) -> DraftEvent:
    """Publish the draft at `publish_at` instead: schedule an approved draft (on the board's active channels),
    move a scheduled one (every channel's time moves by the same amount, so a channel that went two hours
    after the others still does), or retry a failed one then. Returns the schedule (or retry) event.

    Refused like the schedule step: Http404 for a draft the actor cannot see, PermissionDenied for anyone
    but the board's managers, ValidationError for a time that has passed or a post a platform would reject,
    Conflict for a draft in another state, a stale `expected_version`, or a post already going out."""
    draft = draft_get_for_user(actor, draft_id, for_update=True)
    if not rules.can_schedule(draft, actor):
        raise PermissionDenied(MANAGERS_ONLY)  # the schedule step's rule (rules.can_schedule), the one message
    if expected_version is not None and expected_version != draft.version:
        raise Conflict(
            f"This post changed since the calendar was loaded (version {expected_version}, now {draft.version}): "
            "reload the calendar."
        )
    if draft.state not in MOVABLE:
        raise Conflict(f"A {draft.get_state_display().lower()} post cannot be moved.")
    problem = time_problem(publish_at)
    if problem:
        raise ValidationError({"publish_at": [problem]})
    data: dict[str, str | None] = {"via": via}
    if draft.state == DraftState.APPROVED:
        return draft_transition(draft_id=draft.pk, name="schedule", actor=actor, publish_at=publish_at, data=data)
    if draft.state == DraftState.FAILED:
        data["moved_from"] = draft.publish_at.isoformat() if draft.publish_at else None
        return draft_transition(draft_id=draft.pk, name="retry", actor=actor, publish_at=publish_at, data=data)
    return _move_scheduled(draft, actor, publish_at, data)


def _move_scheduled(draft, actor, publish_at: datetime, data: dict[str, str | None]) -> DraftEvent:
    publications = list(
        Publication.objects.select_for_update()
        .filter(draft=draft)
        .exclude(state=PublicationState.CANCELLED)
        .select_related("channel")
        .order_by("due_at", "pk")
    )
    started = [p for p in publications if p.state in (PublicationState.SENDING, PublicationState.PUBLISHED)]
    if started:
        names = ", ".join(p.channel.name for p in started)
        raise Conflict(f"This post is already going out on {names}: it can no longer be moved.")
    old = draft.publish_at
    data = {**data, "moved_from": old.isoformat() if old else None}
    waiting = [p for p in publications if p.state in (PublicationState.PENDING, PublicationState.CLAIMED)]
    arguments: dict = {"publish_at": publish_at}
    if waiting and old is not None:
        delta = publish_at - old
        arguments["channels"] = [p.channel_id for p in waiting]
        arguments["times"] = {p.channel_id: p.due_at + delta for p in waiting}
    unscheduled = draft_transition(
        draft_id=draft.pk, name="unschedule", actor=actor, comment="Moved to another time.", data=data
    )
    # Half of a move is no news: the authors hear of the schedule event ("scheduled for <the new time>"), not
    # of a post taken off the schedule a moment before. The history keeps both.
    DraftEvent.objects.filter(pk=unscheduled.pk).update(notified_at=timezone.now())
    return draft_transition(draft_id=draft.pk, name="schedule", actor=actor, data=data, **arguments)
