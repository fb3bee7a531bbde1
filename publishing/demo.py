"""Demo data for publishing: Launch's channels (a webhook, Mastodon and Bluesky, all stand-ins that
publishing/demo_receiver.py runs on 127.0.0.1), and three posts scheduled for the first minutes after the
demo starts (one of them fails once on the webhook and is retried), and a recap scheduled tomorrow on two
of the three channels, each at its own time."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from drafts.services import draft_create, draft_transition
from publishing.demo_receiver import (
    BLUESKY_IDENTIFIER,
    BLUESKY_PASSWORD,
    BLUESKY_URL,
    MASTODON_TOKEN,
    MASTODON_URL,
    SECRET,
    URL,
)
from publishing.models import Channel
from publishing.services import channel_create

POSTS = [
    (1, "Launch week: day one", "The planner is live. Here is what's new.", "Product"),
    (2, "Launch week: meet the team (flaky)", "Five people, two cities, one planner.", "Community"),
    (3, "Launch week: your first board", "Set up your first board in two minutes.", "Education"),
]


def _pillars(board, name: str) -> list[int]:
    """The board's pillar of that name (drafts.planning.pillars_demo runs first), or none."""
    return list(board.pillars.filter(name=name).values_list("pk", flat=True))


def load_demo(*, boards, users) -> None:
    launch = boards["launch"]
    if Channel.objects.filter(board=launch, name="Demo receiver").exists():
        return
    channel_create(
        board=launch,
        actor=None,
        kind="webhook",
        name="Demo receiver",
        settings={"url": URL},
        credentials={"secret": SECRET},
    )
    mastodon = channel_create(
        board=launch,
        actor=None,
        kind="mastodon",
        name="Mastodon (stand-in)",
        settings={"url": MASTODON_URL},
        credentials={"token": MASTODON_TOKEN},
    )
    bluesky = channel_create(
        board=launch,
        actor=None,
        kind="bluesky",
        name="Bluesky (stand-in)",
        settings={"pds": BLUESKY_URL},
        credentials={"identifier": BLUESKY_IDENTIFIER, "password": BLUESKY_PASSWORD},
    )
    now = timezone.now()
    for minutes, title, body, pillar in POSTS:
        draft = draft_create(
            board=launch,
            author=users["alice"],
            title=title,
            body=body,
            tags=["launch"],
            pillars=_pillars(launch, pillar),
        )
        draft_transition(draft_id=draft.pk, name="submit", actor=users["alice"])
        draft_transition(draft_id=draft.pk, name="approve", actor=users["reviewer"])
        draft_transition(
            draft_id=draft.pk, name="schedule", actor=users["manager"], publish_at=now + timedelta(minutes=minutes)
        )

    # Scheduling per channel: Mastodon in the morning, Bluesky after lunch, the webhook not at all.
    local = (now + timedelta(days=1)).astimezone(ZoneInfo(launch.time_zone or "UTC"))
    tomorrow = local.replace(hour=9, minute=0, second=0, microsecond=0)
    recap = draft_create(
        board=launch,
        author=users["alice"],
        title="Launch week: the recap",
        body="A week of launches, in five pictures and one number.",
        tags=["launch"],
        pillars=_pillars(launch, "Community"),
    )
    draft_transition(draft_id=recap.pk, name="submit", actor=users["alice"])
    draft_transition(draft_id=recap.pk, name="approve", actor=users["reviewer"])
    draft_transition(
        draft_id=recap.pk,
        name="schedule",
        actor=users["manager"],
        publish_at=tomorrow,
        channels=[mastodon.pk, bluesky.pk],
        times={bluesky.pk: tomorrow.replace(hour=14)},
        comment="Mastodon first; Bluesky after lunch.",
    )
