"""A worker killed in the middle of a concurrent batch: its posts were in flight (the receiver had them, no
answer had come back). A second worker takes them back once stale and resends them under the same
idempotency keys, so every post reaches the receiver exactly once and every publication ends published."""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from contributors.models import User
from drafts.models import Draft, DraftState
from publishing.models import Publication
from publishing.services import PUBLISH_BATCH
from publishing.standins.webhook import WebhookStandIn
from tests.celery_processes import READY_TIMEOUT, start_celery
from tests.factories import make_channel

SECRET = "batch-kill-secret"
POSTS = 200
RECOVERY = {
    "PUBLISHING_HTTP_TIMEOUT": "5",
    "PUBLISHING_CLAIM_STALE_SECONDS": "5",
    "PUBLISHING_SENDING_STALE_SECONDS": "8",
}


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_every_post_sent_exactly_once(services, broker_purged, personas, tmp_path):
    receiver = WebhookStandIn(secret=SECRET, delay=0.5)  # every batch is in flight for half a second
    url = receiver.start()
    channel = make_channel(
        personas.board, "webhook", name="Slow receiver", settings={"url": url}, credentials={"secret": SECRET}
    )
    author = User.objects.get(pk=personas.contributor.pk)
    workers = [start_celery("worker", tmp_path, "--pool=solo", env=RECOVERY)]
    beat = start_celery("beat", tmp_path, "--schedule", str(tmp_path / "beat-schedule"))
    try:
        workers[0].wait_for(r"\bready\.", READY_TIMEOUT)
        due = timezone.now() + timedelta(seconds=1)
        drafts = Draft.objects.bulk_create(
            Draft(
                board=personas.board,
                author=author,
                title=f"Post {n}",
                body=f"Body {n}",
                state=DraftState.SCHEDULED,
                publish_at=due,
            )
            for n in range(POSTS)
        )
        Publication.objects.bulk_create(Publication(draft=d, channel=channel, due_at=due) for d in drafts)

        # The only worker's batch has reached the receiver, most not answered yet: kill it there.
        deadline = time.monotonic() + 60
        while receiver.requests < PUBLISH_BATCH and time.monotonic() < deadline:
            time.sleep(0.01)
        os.killpg(workers[0].process.pid, signal.SIGKILL)
        workers[0].process.wait(timeout=10)
        assert Publication.objects.filter(state="sending").count() > 1, "no batch was in flight"
        assert Publication.objects.filter(state="published").count() < POSTS
        workers.append(start_celery("worker", tmp_path, "--pool=solo", env=RECOVERY))

        deadline = time.monotonic() + 120
        while Publication.objects.exclude(state="published").exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        left = dict(Publication.objects.exclude(state="published").values_list("pk", "state"))
        assert left == {}, f"not published: {left}\n{workers[1].log()[-3000:]}"
    finally:
        beat.stop()
        for worker in workers:
            worker.stop()
        receiver.stop()

    titles = [post["title"] for post in receiver.posts if post.get("event") == "post.published"]
    assert sorted(titles) == sorted(f"Post {n}" for n in range(POSTS)), "each post reached the receiver once"
    # The killed batch's posts were sent again (same keys, so the receiver posted nothing new).
    assert receiver.requests > POSTS
    assert Draft.objects.filter(state="published").count() == POSTS
