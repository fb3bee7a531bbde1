"""Demo data for content pillars: Launch's Product 30%, Community 40%, Education 30% and Community's Stories
50%, Tips 30%, Events 20%, made with the real services. The demo drafts' old tags become pillars through the
tag migration (a pillar takes in the drafts tagged with its name; the other demo tags are folded into the
pillar they belong to). A few posts are scheduled over the next ten days so the mix has something to count:
on target for the weeks, with one day off the mix on Launch (two Product posts two days from now, the demo's
launch announcement and its teaser, and nothing else that day).

Idempotent: a board that already has pillars is left as it is.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from contributors.templatetags.zoned import zone_of
from drafts.planning.models import Pillar
from drafts.planning.pillar_services import pillar_create, pillar_tag_fold
from drafts.services import draft_create, draft_transition

# board slug: (name, target, colour, description, other tags folded into it)
PILLARS = {
    "launch": [
        ("Product", 30, "#2f6f4e", "What the planner does and what is new in it.", []),
        ("Community", 40, "#b4462b", "Customers, the team and events: the people around the planner.",
         ["story", "culture", "event"]),
        ("Education", 30, "#3b5ba5", "How-tos and checklists that help people plan better.", ["how-to"]),
    ],
    "community": [
        ("Stories", 50, "#8a4f9e", "Customers telling how they plan.", ["customer-story", "story"]),
        ("Tips", 30, "#2d7f86", "Small tricks from superfans.", []),
        ("Events", 20, "#b7791f", "Meetups, webinars and live sessions.", ["event"]),
    ],
}  # fmt: skip

# board slug: author, approver, scheduler, and the posts as (days from today, local hour, pillar, title, body)
POSTS = {
    "launch": (
        "alice",
        "reviewer",
        "manager",
        [
            (3, 10, "Education", "Three ways to plan a launch week", "A short how-to for busy teams."),
            (4, 9, "Community", "Thank you, early adopters", "Two thousand of you in a month."),
            (4, 12, "Education", "Shared boards in five minutes", "A step-by-step guide."),
            (4, 15, "Product", "Reminders that follow your time zone", "New this week."),
            (5, 11, "Community", "Meet Sara, our first beta tester", "She planned a wedding with it."),
            (6, 10, "Community", "Live Q&A with the founders", "Bring your questions."),
            (7, 10, "Education", "Checklist: before you invite your team", "Print it and tick it off."),
            (8, 9, "Product", "Templates are here", "Start from one of twelve plans."),
            (8, 12, "Community", "Your planner setups", "Share yours with #myplanner."),
            (8, 15, "Education", "From notebook to planner", "Move your lists over in an afternoon."),
            (9, 11, "Community", "Team spotlight: support", "The people who answer your mails."),
        ],
    ),
    "community": (
        "bob",
        "manager",
        "manager",
        [
            (1, 10, "Stories", "How a teacher plans her term", "Thirty pupils, one board."),
            (2, 12, "Tips", "Colour-code your week", "One colour per person."),
            (3, 9, "Stories", "A bakery's Saturday", "Orders, staff and deliveries."),
            (3, 12, "Events", "Superfan meetup in Brooklyn", "Coffee and planners, the 12th."),
            (3, 15, "Tips", "Templates for family life", "Three we love."),
            (5, 10, "Stories", "Planning a thru-hike", "Four months on the trail."),
            (7, 12, "Tips", "Shortcuts nobody told you", "Press ? in the planner."),
            (8, 10, "Stories", "The club that never misses practice", "A coach's board."),
            (9, 12, "Events", "Webinar: planning with kids", "Join us live."),
        ],
    ),
}


def load_demo(*, boards, users) -> None:
    for slug, pillars in PILLARS.items():
        board = boards.get(slug)
        if board is None or Pillar.objects.filter(board=board).exists():
            continue
        by_name = {}
        for name, target, colour, description, folded in pillars:
            pillar = pillar_create(
                board=board, actor=None, name=name, colour=colour, description=description, target_percent=target
            )
            for tag in folded:
                pillar_tag_fold(board=board, actor=None, pillar_id=pillar.pk, tag=tag)
            by_name[name] = pillar
        _schedule_posts(board, users, by_name, *POSTS[slug])


def _schedule_posts(board, users, pillars, author, approver, scheduler, posts) -> None:
    zone = zone_of(board)
    today = timezone.now().astimezone(zone).date()
    for days, hour, pillar, title, body in posts:
        when = datetime.combine(today + timedelta(days=days), time(hour), zone)
        draft = draft_create(board=board, author=users[author], title=title, body=body, pillars=[pillars[pillar].pk])
        draft_transition(draft_id=draft.pk, name="submit", actor=users[author])
        draft_transition(draft_id=draft.pk, name="approve", actor=users[approver])
        draft_transition(draft_id=draft.pk, name="schedule", actor=users[scheduler], publish_at=when)
