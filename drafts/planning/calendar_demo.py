"""Demo data for the calendar: on both boards, a month of posts around today (the past ones published, one
failed, the coming ones scheduled), one or two a day at round hours of the board's zone, each in a pillar;
one day off the mix (three Product posts on Launch and nothing else); and an approved draft waiting in the
sidebar to be scheduled. Built with the real services; run again, it changes nothing (its drafts are made
once, found by the sidebar draft's title).

The posts are not news: their workflow events are marked as told, so the notifications demo does not turn a
month of posts into a few hundred notifications.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from drafts.models import Draft, DraftEvent
from drafts.planning.models import Pillar
from drafts.services import draft_create, draft_transition, drafts_mark_published
from publishing.models import Publication, PublicationState

WAITING_TITLE = "Calendar: the spring checklist, ready to schedule"
DEFAULT_PILLARS = [("Product", "#4f46e5"), ("Community", "#0f766e"), ("Education", "#c2410c")]
DAYS_BEFORE, DAYS_AFTER = 14, 16
HOURS = [9, 12, 15, 17]
TOPICS = {
    "Product": ["Feature spotlight", "Release notes", "Tip of the week", "Roadmap peek"],
    "Community": ["Customer story", "Meet a superfan", "Community Q&A", "User showcase"],
    "Education": ["How-to guide", "Planning basics", "Five-minute lesson", "Template of the week"],
}
BOARDS = {  # board slug: (author, approver, off-mix day offset or None, failed day offset or None)
    "launch": ("alice", "reviewer", 5, -3),
    "community": ("bob", "manager", None, None),
}


def _pillars(board) -> list[Pillar]:
    pillars = list(Pillar.objects.filter(board=board))
    if not pillars:  # the pillars feature's demo gives boards theirs; without it, three to show the colours
        pillars = [
            Pillar.objects.create(board=board, name=name, colour=colour, position=position, target_percent=33)
            for position, (name, colour) in enumerate(DEFAULT_PILLARS)
        ]
    return pillars


def _plan(board, pillars: list[Pillar], off_mix: int | None) -> list[tuple[int, int, Pillar, str]]:
    """(day offset, hour, pillar, title) for every post of the month, deterministic."""
    product = next((p for p in pillars if p.name.lower() == "product"), pillars[0])
    plan = []
    for offset in range(-DAYS_BEFORE, DAYS_AFTER + 1):
        if offset == off_mix:
            plan += [(offset, hour, product, f"Product week, part {n}") for n, hour in enumerate(HOURS[:3], 1)]
            continue
        count = 1 + (offset + board.pk) % 2  # one or two a day
        if (offset + 2 * board.pk) % 7 == 0:
            continue  # a quiet day now and then
        for n in range(count):
            pillar = pillars[(offset + n + board.pk) % len(pillars)]
            topics = TOPICS.get(pillar.name, ["Post"])
            topic = topics[(offset + n) % len(topics)]
            plan.append(
                (offset, HOURS[(offset + 3 * n) % len(HOURS)], pillar, f"{topic}: {board.name.lower()} {offset + 30}")
            )
    return plan


def load_demo(*, boards, users) -> None:
    if Draft.objects.filter(title=WAITING_TITLE).exists():
        return
    now = timezone.now()
    manager = users["manager"]
    made: list[int] = []
    for slug, (author_name, approver_name, off_mix, failed_day) in BOARDS.items():
        board = boards[slug]
        author, approver = users[author_name], users[approver_name]
        zone = ZoneInfo(board.time_zone or "UTC")
        today = now.astimezone(zone).date()
        pillars = _pillars(board)
        past: list[tuple[int, datetime]] = []
        failed: list[tuple[int, datetime]] = []
        for offset, hour, pillar, title in _plan(board, pillars, off_mix):
            when = datetime.combine(today + timedelta(days=offset), time(hour), tzinfo=zone)
            draft = draft_create(board=board, author=author, title=title, body=f"{title}. More on the blog.")
            draft.pillars.add(pillar)
            draft_transition(draft_id=draft.pk, name="submit", actor=author)
            draft_transition(draft_id=draft.pk, name="approve", actor=approver)
            # Published and failed posts are scheduled ahead first (the schedule step takes only a future time),
            # then settled and put back at their day, as the publishing workers would have left them.
            settled = when <= now + timedelta(minutes=30)
            draft_transition(
                draft_id=draft.pk,
                name="schedule",
                actor=manager,
                publish_at=now + timedelta(days=60) if settled else when,
            )
            made.append(draft.pk)
            if settled:
                (failed if offset == failed_day and not failed else past).append((draft.pk, when))
        drafts_mark_published(draft_ids=[pk for pk, _ in past], data={"demo": True})
        for pk, _when in failed:
            draft_transition(
                draft_id=pk, name="mark_failed", actor=None, comment="The platform refused the post (demo)."
            )
        for pk, when in past + failed:
            state = PublicationState.PUBLISHED if (pk, when) in past else PublicationState.FAILED
            Draft.objects.filter(pk=pk).update(publish_at=when, state_since=when)
            Publication.objects.filter(draft_id=pk).update(
                state=state,
                due_at=when,
                published_at=when if state == PublicationState.PUBLISHED else None,
                last_error="" if state == PublicationState.PUBLISHED else "Rejected by the platform (demo).",
            )
        waiting = draft_create(
            board=board,
            author=author,
            title=WAITING_TITLE if slug == "launch" else "Calendar: a member's story, ready to schedule",
            body="Approved and waiting for a slot on the calendar.",
        )
        waiting.pillars.add(pillars[-1])
        draft_transition(draft_id=waiting.pk, name="submit", actor=author)
        draft_transition(draft_id=waiting.pk, name="approve", actor=approver)
        made.append(waiting.pk)
    DraftEvent.objects.filter(draft_id__in=made, notified_at=None).update(notified_at=now)
