"""Demo data for calendar notes and deadlines: a launch and a holiday on Launch, a campaign on Community, and a
deadline on the Launch draft in review. Safe to run again: a note is added only when its board has none of that
title, and the deadline only when the draft has none."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from drafts.models import Draft, DraftState
from drafts.planning.deadline_services import deadline_set
from drafts.planning.models import CalendarNote, Deadline
from drafts.planning.note_services import calendar_note_create

IN_REVIEW = "Behind the scenes: building the launch video"


def _next(month: int, day: int, today: date) -> date:
    candidate = date(today.year, month, day)
    return candidate if candidate >= today else date(today.year + 1, month, day)


def load_demo(*, boards, users) -> None:
    launch, community = boards["launch"], boards["community"]
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(launch.time_zone)).date()
    holidays = _next(12, 24, today)
    notes = [
        (launch, "Product launch week", today + timedelta(days=9), today + timedelta(days=13),
         "The planner goes live: launch posts on every channel, nothing else that week."),
        (launch, "Office closed for the holidays", holidays, holidays + timedelta(days=2),
         "Nobody is around to answer replies: schedule nothing that needs a quick response."),
        (community, "Customer stories month", today + timedelta(days=3), today + timedelta(days=30),
         "One superfan story a week, tagged #PlannerPeople."),
    ]  # fmt: skip
    for board, title, starts_on, ends_on, body in notes:
        if not CalendarNote.objects.filter(board=board, title=title).exists():
            calendar_note_create(
                board=board, actor=users["manager"], title=title, starts_on=starts_on, ends_on=ends_on, body=body
            )
    draft = Draft.objects.filter(board=launch, title=IN_REVIEW, state=DraftState.REVIEW).first()
    if draft is not None and not Deadline.objects.filter(draft=draft).exists():
        zone = zoneinfo.ZoneInfo(launch.time_zone)
        due = datetime.combine(today + timedelta(days=2), time(17, 0), tzinfo=zone)
        deadline_set(draft_id=draft.pk, actor=users["reviewer"], due_at=due, label="Due for review")
