"""The promise under stress: 500 posts due within ten seconds, a receiver that fails a fifth of the calls
(429, 503, answers too late), two worker processes and one of them killed with SIGKILL mid-run. Every
publication ends published, and each post reaches the receiver exactly once."""

import os
import random
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from contributors.models import User
from drafts.models import Draft, DraftState
from publishing.models import Publication
from publishing.standins.webhook import Fault, WebhookStandIn
from tests.celery_processes import READY_TIMEOUT, start_celery
from tests.factories import make_channel

SECRET = "fault-secret"
POSTS = 500
DUE_WITHIN_SECONDS = 10  # all of them, from a second after the workers are ready
FAST_RECOVERY = {
    "PUBLISHING_HTTP_TIMEOUT": "1",
    "PUBLISHING_BACKOFF_BASE_SECONDS": "0.5",
    "PUBLISHING_CLAIM_STALE_SECONDS": "5",
    "PUBLISHING_SENDING_STALE_SECONDS": "8",
}


def flaky(rng: random.Random):
    def choose() -> Fault | None:
        roll = rng.random()
        if roll < 0.07:
            return Fault(status=429, retry_after=1)
        if roll < 0.14:
            return Fault(status=503)
        if roll < 0.20:
            return Fault(delay=1.5)  # posted, but the answer comes after the client's timeout
        return None

    return choose


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_it_publishes_every_post_exactly_once_through_faults_and_a_killed_worker(
    services, broker_purged, personas, tmp_path
):
    receiver = WebhookStandIn(secret=SECRET, chaos=flaky(random.Random(20261122)))
    url = receiver.start()
    channel = make_channel(
        personas.board, "webhook", name="Flaky receiver", settings={"url": url}, credentials={"secret": SECRET}
    )
    author = User.objects.get(pk=personas.contributor.pk)
    processes = [start_celery("worker", tmp_path, "--pool=solo", env=FAST_RECOVERY) for _ in range(2)]
    processes.append(start_celery("beat", tmp_path, "--schedule", str(tmp_path / "beat-schedule")))
    try:
        for worker in processes[:2]:
            worker.wait_for(r"\bready\.", READY_TIMEOUT)
        # Due from just after the workers are ready (not after a guess at how long they take to start).
        start = timezone.now() + timedelta(seconds=1)
        drafts = Draft.objects.bulk_create(
            Draft(
                board=personas.board,
                author=author,
                title=f"Post {n}",
                body=f"Body {n}",
                state=DraftState.SCHEDULED,
                publish_at=start + timedelta(seconds=n * DUE_WITHIN_SECONDS / POSTS),
            )
            for n in range(POSTS)
        )
        Publication.objects.bulk_create(Publication(draft=d, channel=channel, due_at=d.publish_at) for d in drafts)
        victim = processes[0]
        deadline = time.monotonic() + 60
        while Publication.objects.filter(state="published").count() < POSTS // 5 and time.monotonic() < deadline:
            time.sleep(0.1)
        os.killpg(victim.process.pid, signal.SIGKILL)
        victim.process.wait(timeout=10)

        deadline = time.monotonic() + 240
        while Publication.objects.exclude(state="published").exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        left = dict(Publication.objects.exclude(state="published").values_list("pk", "state"))
        assert left == {}, f"not published: {left}\n{processes[1].log()[-3000:]}"
    finally:
        for process in processes:
            process.stop()
        receiver.stop()

    # The pre-flight check pings the receiver too (beat runs it at start): count only the posts.
    titles = [post["title"] for post in receiver.posts if post.get("event") == "post.published"]
    assert len(titles) == POSTS
    assert sorted(set(titles)) == sorted(titles), "a post reached the receiver twice"
    assert receiver.requests > POSTS, "the receiver's faults were exercised"
    assert Draft.objects.filter(state="published").count() == POSTS
