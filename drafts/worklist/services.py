"""Reminders that keep work moving, sent through contributors.notifications.notify(kind=REMINDER).

Each reminder has a source naming the thing and the step (`reminder:review:<draft>:<round>:reviewers`...), and
notify() makes one notification per (recipient, kind, source): running this every few minutes reminds each
person once per step. Times are passed in (`now`), so each step can be tested at a fixed moment.
"""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from contributors.models import Board, User
from contributors.notifications.kinds import Kind
from contributors.notifications.services import notify
from contributors.selectors import board_members
from drafts.models import Draft, DraftState
from drafts.worklist.selectors import approved_due_hours
from publishing.models import Publication, PublicationState

BATCH = 500


def _people(board: Board, roles: set[str], cache: dict) -> list[User]:
    if board.pk not in cache:
        cache[board.pk] = board_members(board)
    return [user for user, role in cache[board.pk] if role in roles]


def _not_authors(people: list[User], draft: Draft) -> list[User]:
    writers = {draft.author_id, *draft.coauthors.values_list("pk", flat=True)}
    return [user for user in people if user.pk not in writers]


def reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Send every reminder that is due at `now`; returns how many notifications each step made."""
    now = now or timezone.now()
    made = {"review_reviewers": 0, "review_managers": 0, "approved_managers": 0, "preflight_managers": 0}
    members: dict[int, list] = {}

    # In review past the board's due time: the reviewers; past twice the due time: the managers too.
    # The coarse filter (every board allows at least an hour) is refined per board below.
    in_review = (
        Draft.objects.filter(state=DraftState.REVIEW, state_since__lte=now - timedelta(hours=1))
        .select_related("board")
        .order_by("state_since", "id")[:BATCH]
    )
    for draft in in_review:
        due = draft.state_since + timedelta(hours=draft.board.review_due_hours)
        if due > now:
            continue
        url = reverse("draft-detail", args=[draft.pk])
        waited = _hours(now - draft.state_since)
        reviewers = _not_authors(_people(draft.board, {"reviewer", "manager"}, members), draft)
        made["review_reviewers"] += len(
            notify(
                kind=Kind.REMINDER,
                recipients=reviewers,
                source=f"reminder:review:{draft.pk}:{draft.review_round}:reviewers",
                title=f"Waiting for review for {waited}: {draft.title}",
                body=f"It was due {draft.board.review_due_hours} hours after it was submitted. Review it, or ask "
                "another reviewer to.",
                url=url,
                draft=draft,
            )
        )
        if due + timedelta(hours=draft.board.review_due_hours) <= now:
            managers = _people(draft.board, {"manager"}, members)
            made["review_managers"] += len(
                notify(
                    kind=Kind.REMINDER,
                    recipients=managers,
                    source=f"reminder:review:{draft.pk}:{draft.review_round}:managers",
                    title=f"Overdue review, still waiting after {waited}: {draft.title}",
                    body="Its reviewers were reminded and nobody has reviewed it yet. Find a reviewer for it.",
                    url=url,
                    draft=draft,
                )
            )

    # Approved and not scheduled for WORKLIST_APPROVED_DUE_HOURS: the managers.
    approved = (
        Draft.objects.filter(state=DraftState.APPROVED, state_since__lte=now - timedelta(hours=approved_due_hours()))
        .select_related("board")
        .order_by("state_since", "id")[:BATCH]
    )
    for draft in approved:
        made["approved_managers"] += len(
            notify(
                kind=Kind.REMINDER,
                recipients=_people(draft.board, {"manager"}, members),
                source=f"reminder:approved:{draft.pk}:{draft.review_round}:managers",
                title=f"Approved {_hours(now - draft.state_since)} ago, not scheduled: {draft.title}",
                body="Schedule it, or archive it if it is no longer wanted.",
                url=reverse("draft-detail", args=[draft.pk]),
                draft=draft,
            )
        )

    # Scheduled posts whose channel failed the pre-flight check (publishing.services.preflight found it and
    # e-mailed the managers; this puts it where they work too).
    failing = (
        Publication.objects.filter(state=PublicationState.PENDING, due_at__gte=now)
        .exclude(preflight_problem="")
        .select_related("draft__board", "channel")
        .order_by("due_at", "id")[:BATCH]
    )
    for publication in failing:
        draft = publication.draft
        made["preflight_managers"] += len(
            notify(
                kind=Kind.REMINDER,
                recipients=_people(draft.board, {"manager"}, members),
                source=f"reminder:preflight:{publication.pk}:{publication.preflight_at:%Y%m%d%H%M%S}:managers"
                if publication.preflight_at
                else f"reminder:preflight:{publication.pk}:managers",
                title=f"Will not publish on {publication.channel.name}: {draft.title}",
                body=publication.preflight_problem,
                url=reverse("draft-detail", args=[draft.pk]),
                draft=draft,
            )
        )
    return made


def _hours(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} hour{'s' if hours != 1 else ''}"
