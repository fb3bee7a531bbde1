"""Demo data for the reliability panel: the calendar demo settles its past posts exactly at their time, which
would make every channel 100 % on time with no lateness at all. This spreads them as real workers leave them:
most out within a second or two, a few tens of seconds or minutes late, some only after a retry.

Idempotent: only posts still published exactly at their due time are touched, so a second run changes nothing."""

from datetime import timedelta

from django.db.models import F

from publishing.models import Publication, PublicationState

# (seconds late, attempts), cycled over each channel's posts in due order.
PATTERN = [
    (0.6, 1), (1.2, 1), (0.9, 1), (2.5, 1), (14, 1), (0.8, 1), (1.1, 1), (45, 1),
    (0.7, 1), (190, 2), (1.4, 1), (0.9, 1), (75, 1), (3.2, 1), (1.0, 1), (610, 3),
]  # fmt: skip


def load_demo(*, boards, users) -> None:
    rows = list(
        Publication.objects.filter(
            channel__board__in=list(boards.values()),
            state=PublicationState.PUBLISHED,
            published_at=F("due_at"),
        ).order_by("channel_id", "due_at", "pk")
    )
    seen: dict[int, int] = {}
    for publication in rows:
        n = seen.get(publication.channel_id, 0)
        seen[publication.channel_id] = n + 1
        late, attempts = PATTERN[(n + publication.channel_id) % len(PATTERN)]
        publication.published_at = publication.due_at + timedelta(seconds=late)
        publication.attempts = attempts
    Publication.objects.bulk_update(rows, ["published_at", "attempts"], batch_size=500)
