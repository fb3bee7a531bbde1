"""The whole pipeline with real processes: beat claims from PostgreSQL, a worker publishes through Redis."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from drafts.models import Draft
from drafts.services import draft_transition
from publishing.models import Publication
from publishing.standins.webhook import WebhookStandIn
from tests.celery_processes import READY_TIMEOUT, start_celery
from tests.factories import advance, make_channel

SECRET = "pipeline-secret"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_it_publishes_a_scheduled_draft_once_on_time_with_real_beat_and_worker(
    services, broker_purged, personas, draft, tmp_path
):
    receiver = WebhookStandIn(secret=SECRET)
    url = receiver.start()
    make_channel(personas.board, "webhook", name="Hook", settings={"url": url}, credentials={"secret": SECRET})
    advance(draft, "approved", personas)

    worker = start_celery("worker", tmp_path, "--pool=solo")
    beat = start_celery("beat", tmp_path, "--schedule", str(tmp_path / "beat-schedule"))
    try:
        worker.wait_for(r"\bready\.", READY_TIMEOUT)
        publish_at = timezone.now() + timedelta(seconds=4)
        draft_transition(draft_id=draft.pk, name="schedule", actor=personas.manager, publish_at=publish_at)

        deadline = time.monotonic() + 30
        while Draft.objects.get(pk=draft.pk).state == "scheduled" and time.monotonic() < deadline:
            time.sleep(0.1)
        draft.refresh_from_db()
        assert draft.state == "published", f"worker:\n{worker.log()[-3000:]}\nbeat:\n{beat.log()[-2000:]}"
        publication = Publication.objects.get(draft=draft)
        assert len(receiver.posts) == 1
        assert publication.sent_at >= publish_at
        lateness = (publication.sent_at - publish_at).total_seconds()
        assert lateness < 3, f"sent {lateness:.2f} s late"
    finally:
        beat.stop()
        worker.stop()
        receiver.stop()
