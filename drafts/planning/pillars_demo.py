"""Demo data for content pillars: Launch's Product 30%, Community 40%, Education 30% and Community's Stories
50%, Tips 30%, Events 20%, made with the real services. The demo drafts' old tags become pillars through the
tag migration (a pillar takes in the drafts tagged with its name; the other demo tags are folded into the
pillar they belong to). The calendar demo (drafts/planning/calendar_demo.py) then plans a month of posts in
these pillars, with one Launch day off the mix.

Idempotent: a board that already has pillars is left as it is.
"""

from drafts.planning.models import Pillar
from drafts.planning.pillar_services import pillar_create, pillar_tag_fold

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
