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
from drafts.planning.mix import DAY_PILLAR_TARGET
from drafts.planning.models import Pillar
from drafts.services import draft_create, draft_transition, drafts_mark_published
from publishing.models import Publication, PublicationState

WAITING_TITLE = "Calendar: the spring checklist, ready to schedule"
DAYS_BEFORE, DAYS_AFTER = 13, 15
HOURS = [9, 12, 15, 17]
TITLES = {
    "Product": [
        "Feature spotlight: shared boards",
        "Release notes: faster week view",
        "Tip: colour-code your lists",
        "Roadmap peek: what comes in spring",
        "How reminders work now",
        "New: templates for teams",
    ],
    "Community": [
        "Customer story: a family of five",
        "Meet a superfan: Lena from Aarhus",
        "Community Q&A: your questions",
        "Showcase: the tidiest boards",
        "Thank you: 10,000 planners",
    ],
    "Education": [
        "How-to: plan a week in ten minutes",
        "Planning basics: one inbox",
        "Five-minute lesson: priorities",
        "Template of the week: the trip",
        "Guide: from chaos to calendar",
    ],
    "Stories": [
        "How a teacher plans her term",
        "A bakery's Saturday, planned",
        "Planning a four-month thru-hike",
        "The club that never misses practice",
    ],
    "Tips": [
        "Colour-code your week",
        "Templates for family life",
        "Shortcuts nobody told you",
    ],
    "Events": [
        "Superfan meetup in Brooklyn",
        "Webinar: planning with kids",
    ],
}
BOARDS = {  # board slug: (author, approver, off-mix day offset or None, failed day offset or None, a post every n days)
    "launch": ("alice", "reviewer", 5, -3, 1),
    "community": ("bob", "manager", None, None, 1),
}


def _pillars(board) -> list[Pillar]:
    """The board's pillars, which the pillars demo (run before this one) has given it."""
    return list(Pillar.objects.filter(board=board))


def _posted(board, zone: ZoneInfo, today) -> dict[int, list[int]]:
    """The pillar ids of the posts the other demos already put on the month, by day offset from today."""
    start = datetime.combine(today - timedelta(days=DAYS_BEFORE), time(0), tzinfo=zone)
    end = datetime.combine(today + timedelta(days=DAYS_AFTER + 1), time(0), tzinfo=zone)
    rows = Pillar.drafts.through.objects.filter(
        draft__board=board, draft__state__in=["scheduled", "published"], draft__publish_at__range=(start, end)
    ).values_list("draft__publish_at", "pillar_id")
    posted: dict[int, list[int]] = {}
    for when, pillar_id in rows:
        posted.setdefault((when.astimezone(zone).date() - today).days, []).append(pillar_id)
    return posted


def _plan(
    pillars: list[Pillar], off_mix: int | None, every: int, posted: dict[int, list[int]], weekday: int
) -> list[tuple[int, int, Pillar, str]]:
    """(day offset, hour, pillar, title) for every post of the month, the same each time. Each post goes to the
    pillar furthest below its target in its week so far, counting the posts already `posted`, and never to one
    the day already has, so the weeks and days come out on target (today is the `weekday`th day of its week);
    the off-mix day has three Product posts and nothing else."""
    product = next((p for p in pillars if p.name.lower() == "product"), pillars[0])
    week_counts: dict[int, dict[int, int]] = {}

    def counts_of(offset: int) -> dict[int, int]:
        return week_counts.setdefault((offset + weekday) // 7, {p.pk: 0 for p in pillars})

    for offset, pillar_ids in posted.items():
        for pk in pillar_ids:
            counts_of(offset)[pk] = counts_of(offset).get(pk, 0) + 1
    off_mix_hours = HOURS[:3]
    if off_mix is not None:  # counted from the start, so the rest of its week makes up for it
        counts_of(off_mix)[product.pk] += len(off_mix_hours)
    used: dict[str, int] = {}
    plan = []

    def add(offset: int, hour: int, pillar: Pillar, title: str | None = None) -> None:
        if offset != off_mix:
            counts_of(offset)[pillar.pk] += 1
        if title is None:
            titles = TITLES.get(pillar.name, [f"{pillar.name}: a post for the month"])
            title = titles[used.get(pillar.name, 0) % len(titles)]
            used[pillar.name] = used.get(pillar.name, 0) + 1
        plan.append((offset, hour, pillar, title))

    for offset in range(-DAYS_BEFORE, DAYS_AFTER + 1):
        if offset == off_mix:
            for n, hour in enumerate(off_mix_hours, 1):
                add(offset, hour, product, f"Product week, part {n}: the planner up close")
            continue
        if offset % every or (offset + weekday) % 7 == 6:
            continue  # quiet on Sundays
        today = set(posted.get(offset, []))
        wanted = 2 if offset % 3 == 1 else 1
        if len(posted.get(offset, [])) >= 2:  # a day the other demos already filled: complete its mix
            wanted = max(wanted, len(pillars) - len(today))
        for n in range(wanted):
            counts = counts_of(offset)
            total = sum(counts.values()) + 1
            free = [p for p in pillars if p.pk not in today] or pillars
            if wanted > 1 or today:  # a day of several posts: the pillars it should have (mix.DAY_PILLAR_TARGET) first
                free = [p for p in free if p.target_percent >= DAY_PILLAR_TARGET] or free
            pillar = min(
                free,
                key=lambda p: (counts[p.pk] - total * p.target_percent / 100, p.position),
            )
            today.add(pillar.pk)
            add(offset, HOURS[(offset + 3 * n) % len(HOURS)], pillar)
    return plan


def load_demo(*, boards, users) -> None:
    if Draft.objects.filter(title=WAITING_TITLE).exists():
        return
    now = timezone.now()
    manager = users["manager"]
    made: list[int] = []
    for slug, (author_name, approver_name, off_mix, failed_day, every) in BOARDS.items():
        board = boards[slug]
        author, approver = users[author_name], users[approver_name]
        zone = ZoneInfo(board.time_zone or "UTC")
        today = now.astimezone(zone).date()
        pillars = _pillars(board)
        past: list[tuple[int, datetime]] = []
        failed: list[tuple[int, datetime]] = []
        for offset, hour, pillar, title in _plan(pillars, off_mix, every, _posted(board, zone, today), today.weekday()):
            when = datetime.combine(today + timedelta(days=offset), time(hour), tzinfo=zone)
            draft = draft_create(
                board=board, author=author, title=title, body=f"{title}. More on the blog.", pillars=[pillar.pk]
            )
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
            pillars=[pillars[-1].pk],
        )
        draft_transition(draft_id=waiting.pk, name="submit", actor=author)
        draft_transition(draft_id=waiting.pk, name="approve", actor=approver)
        made.append(waiting.pk)
    DraftEvent.objects.filter(draft_id__in=made, notified_at=None).update(notified_at=now)
