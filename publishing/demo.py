"""Demo data for publishing: a webhook channel on Launch pointing at the demo receiver, and three posts
scheduled for the first minutes after the demo starts (one of them fails once and is retried)."""

from datetime import timedelta

from django.utils import timezone

from drafts.services import draft_create, draft_transition
from publishing.demo_receiver import SECRET, URL
from publishing.models import Channel
from publishing.services import channel_create

POSTS = [
    (1, "Launch week: day one", "The planner is live. Here is what's new."),
    (2, "Launch week: meet the team (flaky)", "Five people, two cities, one planner."),
    (3, "Launch week: your first board", "Set up your first board in two minutes."),
]


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
    now = timezone.now()
    for minutes, title, body in POSTS:
        draft = draft_create(board=launch, author=users["alice"], title=title, body=body, tags=["launch"])
        draft_transition(draft_id=draft.pk, name="submit", actor=users["alice"])
        draft_transition(draft_id=draft.pk, name="approve", actor=users["reviewer"])
        draft_transition(
            draft_id=draft.pk, name="schedule", actor=users["manager"], publish_at=now + timedelta(minutes=minutes)
        )
