"""Demo data: two boards, the demo logins and drafts in every state, built with the real services.

Idempotent: users and roles are brought to the wanted state every time; drafts are created only when
the demo boards are new, so running it twice changes nothing.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from contributors.models import Board, User
from contributors.services import board_create, board_role_grant
from drafts.services import comment_create, draft_create, draft_transition, draft_update

DEMO_PASSWORD = "cocreate-demo"

DEMO_USERS = [
    # username, display name, staff, {board slug: role}
    ("admin", "Ada Admin", True, {}),
    ("manager", "Mona Manager", False, {"launch": "manager", "community": "manager"}),
    ("reviewer", "Rui Reviewer", False, {"launch": "reviewer"}),
    ("alice", "Alice Expert", False, {"launch": "contributor"}),
    ("bob", "Bob Superfan", False, {"community": "contributor"}),
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
        user, _ = User.objects.get_or_create(username=username)
        user.display_name = display_name
        user.email = f"{username}@example.com"
        user.is_staff = user.is_superuser = staff
        user.set_password(DEMO_PASSWORD)
        user.save()
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
    return created


def _advance(draft, steps, users):
    for name, actor, kwargs in steps:
        draft_transition(draft_id=draft.pk, name=name, actor=users.get(actor), **kwargs)


def _create_drafts(boards, users) -> None:
    launch, community = boards["launch"], boards["community"]
    soon = timezone.now() + timedelta(days=2)
    submit = ("submit", "alice", {})
    approve = ("approve", "reviewer", {"comment": "Clear and on-brand."})
    schedule = ("schedule", "manager", {"publish_at": soon})

    d = draft_create(
        board=launch,
        author=users["alice"],
        title="Five ways our new planner saves your Monday",
        body="Mondays are **hard**. Here is how the planner helps:\n\n1. One inbox\n2. Smart reminders\n",
        tags=["product", "how-to"],
        variants={"x": "5 ways the new planner saves your Monday"},
    )
    draft_update(
        draft_id=d.pk, actor=users["alice"], version=d.version, body=d.body + "3. Shared boards with your team\n"
    )
    comment_create(draft_id=d.pk, author=users["reviewer"], body="Could we add a customer quote?")

    d = draft_create(
        board=launch,
        author=users["alice"],
        title="Behind the scenes: building the launch video",
        body="We filmed in three cities in two days.",
        tags=["culture"],
    )
    _advance(d, [submit], users)

    d = draft_create(
        board=launch,
        author=users["alice"],
        title="Launch-day checklist for teams",
        body="A printable checklist.",
        tags=["how-to"],
    )
    _advance(d, [submit, ("request_changes", "reviewer", {"comment": "Please add the pricing section."})], users)

    d = draft_create(
        board=launch,
        author=users["alice"],
        title="Why we built the planner",
        body="A note from the founders.",
        tags=["story"],
        variants={"linkedin": "Why we built the planner: a note from our founders."},
    )
    _advance(d, [submit, approve], users)

    d = draft_create(
        board=launch,
        author=users["alice"],
        title="Meet the planner: launch announcement",
        body="Today we launch the planner.",
        tags=["product"],
        variants={"x": "Meet the planner!", "bluesky": "Meet the planner, out today."},
    )
    _advance(d, [submit, approve, schedule], users)

    d = draft_create(
        board=launch,
        author=users["alice"],
        title="Teaser: something new is coming",
        body="Stay tuned.",
        tags=["product"],
    )
    _advance(d, [submit, approve, schedule, ("mark_published", None, {})], users)

    d = draft_create(
        board=launch, author=users["alice"], title="Webinar invitation", body="Join our launch webinar.", tags=["event"]
    )
    _advance(
        d,
        [submit, approve, schedule, ("mark_failed", None, {"comment": "The platform rejected the post (demo)."})],
        users,
    )

    d = draft_create(
        board=launch, author=users["alice"], title="Old idea: a launch poem", body="Roses are red...", tags=["fun"]
    )
    _advance(d, [("archive", "alice", {"comment": "Not our tone after all."})], users)

    d = draft_create(
        board=community,
        author=users["bob"],
        title="How I organise my family with the planner",
        body="As a dad of three, I need **one** place for everything.",
        tags=["customer-story"],
    )
    comment_create(draft_id=d.pk, author=users["manager"], body="Love this! Can you add a photo?")
    _advance(d, [("submit", "bob", {})], users)

    draft_create(
        board=community,
        author=users["bob"],
        title="My top 3 planner tips",
        body="1. Colours\n2. Templates\n3. Shared lists",
        tags=["tips"],
    )
