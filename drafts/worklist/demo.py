"""Demo data for My work and the review queue: one Launch draft overdue in review, one approved draft that has
waited to be scheduled, and the reminders they call for. Safe to run again: a draft already back-dated is left
alone, and each reminder is made once (its source)."""

from datetime import timedelta

from django.utils import timezone

from drafts.models import Draft, DraftState
from drafts.worklist.services import reminders_send

OVERDUE_IN_REVIEW = "Behind the scenes: building the launch video"
WAITING_TO_SCHEDULE = "Why we built the planner"


def load_demo(*, boards, users) -> None:
    now = timezone.now()
    launch = boards["launch"]
    # Submitted three days ago: past the board's 48 hours, so the reviewers have been reminded.
    Draft.objects.filter(
        board=launch, title=OVERDUE_IN_REVIEW, state=DraftState.REVIEW, state_since__gt=now - timedelta(days=2)
    ).update(state_since=now - timedelta(days=3))
    Draft.objects.filter(
        board=launch, title=WAITING_TO_SCHEDULE, state=DraftState.APPROVED, state_since__gt=now - timedelta(days=3)
    ).update(state_since=now - timedelta(days=4))
    reminders_send(now=now)
