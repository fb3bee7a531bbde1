"""Demo data: two boards, the demo logins and drafts in every state, built with the real services.

Idempotent: users and roles are brought to the wanted state every time (a login's password is set only
when the login is new); drafts are created only when the demo boards are new, so running it twice
changes nothing.
"""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from contributors.agreements import demo as agreements_demo
from contributors.briefs import demo as briefs_demo
from contributors.guidelines import demo as guidelines_demo
from contributors.invitations import demo as invitations_demo
from contributors.models import Board, User
from contributors.notifications import demo as notifications_demo
from contributors.profiles import demo as profiles_demo
from contributors.services import board_create, board_role_grant
from drafts import demo_passages
from drafts.images import draft_image_add
from drafts.planning import calendar_demo, notes_demo, pillars_demo
from drafts.services import comment_create, draft_create, draft_transition, draft_update
from drafts.worklist import demo as worklist_demo
from publishing import demo as publishing_demo
from publishing import reliability_demo

DEMO_PASSWORD = "cocreate-demo"

DEMO_USERS = [
    # username, display name, staff, {board slug: role}
    ("admin", "Ada Admin", True, {}),
    ("manager", "Mona Manager", False, {"launch": "manager", "community": "manager"}),
    ("reviewer", "Rui Reviewer", False, {"launch": "reviewer"}),
    ("alice", "Alice Expert", False, {"launch": "contributor"}),
    ("bob", "Bob Superfan", False, {"community": "contributor"}),
    ("carol", "Carol Newcomer", False, {"launch": "contributor"}),
]

BOARDS = [
    ("Launch", "launch", "Posts and articles for the spring product launch.", "Europe/Copenhagen"),
    ("Community", "community", "Stories from customers and superfans.", "America/New_York"),
]


def _describe_roles(staff: bool, roles: dict[str, str]) -> str:
    if staff:
        return "staff (site admin)"
    return ", ".join(f"{role} on {slug}" for slug, role in roles.items())


DEMO_LOGINS = "\n".join(
    f"  {username:<9} {DEMO_PASSWORD}   {_describe_roles(staff, roles)}" for username, _, staff, roles in DEMO_USERS
)


@transaction.atomic
def load_demo_data() -> bool:
    """Returns True when the boards (and so the drafts) were created by this call."""
    users = {}
    for username, display_name, staff, _ in DEMO_USERS:
        user, created_user = User.objects.get_or_create(username=username)
        wanted = {"display_name": display_name, "email": f"{username}@example.com", "is_staff": staff}
        wanted["is_superuser"] = staff
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, wanted[name])
        # Hashing costs about half a second a password: only a new login (or one without a usable
        # password) gets one; a demo password someone changed stays changed.
        if created_user or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
        users[username] = user

    created = not Board.objects.filter(slug__in=[slug for _, slug, _, _ in BOARDS]).exists()
    boards = {}
    for name, slug, description, tz in BOARDS:
        board = Board.objects.filter(slug=slug).first() or board_create(
            name=name, slug=slug, description=description, time_zone=tz
        )
        boards[slug] = board
    for username, _, _, roles in DEMO_USERS:
        for slug, role in roles.items():
            board_role_grant(board=boards[slug], user=users[username], role=role)
    if created:
        _create_drafts(boards, users)
    # Each feature adds its own demo data (each is safe to run again); agreements first, so alice has
    # signed the Launch NDA before she claims a brief or submits the posts scheduled for the first minutes.
    # Passage comments after them: they anchor in drafts the others may have made; notifications last, told
    # by the real fan-out about everything the others did.
    features = [
        agreements_demo,
        guidelines_demo,
        pillars_demo,
        invitations_demo,
        briefs_demo,
        profiles_demo,
        publishing_demo,
    ]
    for feature in [
        *features,
        demo_passages,
        worklist_demo,
        calendar_demo,
        reliability_demo,
        notifications_demo,
        notes_demo,
    ]:
        feature.load_demo(boards=boards, users=users)
    return created


SUBMIT = ("submit", "alice", {})
APPROVE = ("approve", "reviewer", {"comment": "Clear and on-brand."})
SCHEDULE = ("schedule", "manager", {"publish_at": "in two days"})

# board, author, title, body, tags, variants, workflow steps (transition, actor or None, arguments)
DEMO_DRAFTS = [
    ("launch", "alice", "Behind the scenes: building the launch video",
     "We filmed in three cities in two days.\n\nThe crew slept on the night train between the shoots, and the "
     "drone took off at dawn: the drone survived a seagull.\n\nWatch the whole video on launch day.",
     ["culture"], {}, [SUBMIT]),
    ("launch", "alice", "Launch-day checklist for teams", "A printable checklist.", ["how-to"], {},
     [SUBMIT, ("request_changes", "reviewer", {"comment": "Please add the pricing section."})]),
    ("launch", "alice", "Why we built the planner", "A note from the founders.", ["story"],
     {"kind:linkedin": "Why we built the planner: a note from our founders."}, [SUBMIT, APPROVE]),
    ("launch", "alice", "Meet the planner: launch announcement", "Today we launch the planner.", ["product"],
     {"kind:x": "Meet the planner!", "kind:bluesky": "Meet the planner, out today."}, [SUBMIT, APPROVE, SCHEDULE]),
    ("launch", "alice", "Teaser: something new is coming", "Stay tuned.", ["product"], {},
     [SUBMIT, APPROVE, SCHEDULE, ("mark_published", None, {})]),
    ("launch", "alice", "Webinar invitation", "Join our launch webinar.", ["event"], {},
     [SUBMIT, APPROVE, SCHEDULE, ("mark_failed", None, {"comment": "The platform rejected the post (demo)."})]),
    ("launch", "alice", "Old idea: a launch poem", "Roses are red...", ["fun"], {},
     [("archive", "alice", {"comment": "Not our tone after all."})]),
    ("community", "bob", "My top 3 planner tips", "1. Colours\n2. Templates\n3. Shared lists", ["tips"], {}, []),
]  # fmt: skip


def _create_drafts(boards, users) -> None:
    in_two_days = timezone.now() + timedelta(days=2)
    for slug, author, title, body, tags, variants, steps in DEMO_DRAFTS:
        draft = draft_create(
            board=boards[slug], author=users[author], title=title, body=body, tags=tags, variants=variants
        )
        for name, actor, arguments in steps:
            if "publish_at" in arguments:
                arguments = {**arguments, "publish_at": in_two_days}
            draft_transition(draft_id=draft.pk, name=name, actor=users.get(actor), **arguments)

    # A draft with history: edited once and commented on, still being written.
    draft = draft_create(
        board=boards["launch"],
        author=users["alice"],
        title="Five ways our new planner saves your Monday",
        body="Mondays are **hard**. Here is how the planner helps:\n\n1. One inbox\n2. Smart reminders\n",
        tags=["product", "how-to"],
        variants={"kind:x": "5 ways the new planner saves your Monday"},
    )
    draft_update(draft_id=draft.pk, actor=users["alice"], version=draft.version, body=draft.body + "3. Shared boards\n")
    comment_create(draft_id=draft.pk, author=users["reviewer"], body="Could we add a customer quote?")
    draft_image_add(draft_id=draft.pk, actor=users["alice"], upload=_planner_picture(), alt_text=PLANNER_ALT_TEXT)

    # A customer story in review, with a comment from the team.
    draft = draft_create(
        board=boards["community"],
        author=users["bob"],
        title="How I organise my family with the planner",
        body="As a dad of three, I need **one** place for everything.",
        tags=["customer-story"],
    )
    comment_create(draft_id=draft.pk, author=users["manager"], body="Love this! Can you add a photo?")
    draft_transition(draft_id=draft.pk, name="submit", actor=users["bob"])


PLANNER_ALT_TEXT = (
    "The planner's week view: Monday's column holds three colour-coded tasks, and a reminder badge sits on "
    "the first one."
)


def _planner_picture() -> ContentFile:
    """A simple drawing of the planner's week view, made here so the demo needs no image files."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1200, 675), (250, 250, 252))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, 1200, 70), fill=(79, 70, 229))
    for day in range(5):
        left = 40 + day * 228
        draw.rectangle((left, 110, left + 208, 635), outline=(203, 213, 225), width=3)
    for row, colour in enumerate([(251, 191, 36), (52, 211, 153), (96, 165, 250)]):
        top = 140 + row * 110
        draw.rounded_rectangle((58, top, 230, top + 80), radius=12, fill=colour)
    draw.ellipse((205, 125, 245, 165), fill=(239, 68, 68))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return ContentFile(out.getvalue(), name="planner-week.png")
